import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, mutator } from "../../../test/helpers/fuzz.js";
import { x509Collector as c } from "./index.js";

const cat = (...names: string[]) =>
  new Uint8Array(Buffer.concat(names.map((n) => Buffer.from(fixture("x509", n)))));
const pemToDer = (pem: Uint8Array) =>
  new Uint8Array(Buffer.from(new TextDecoder().decode(pem).replace(/-----[A-Z ]+-----|\s/g, ""), "base64"));
const matterTrust = { trust: fixture("x509", "Matter-Test-PAA-NoVID.pem") };
const idevidTrust = { trust: fixture("x509", "northwind-idevid-root.pem"), profile: "idevid" };

describe("x509 device identity collector", () => {
  it("checks a matter.js DAC -> PAI chain to the Matter Test PAA, and fails it as a test root", async () => {
    const r = await run(c, cat("matterjs-DAC-FFF1-8000.pem", "matterjs-PAI-FFF1.pem"), {
      options: matterTrust,
    });
    expect(r.valid).toBe(true);
    expect(r.format).toBe("x509-matter-attestation");
    for (const id of [
      "x509.chain",
      "x509.key",
      "x509.signature-algorithm",
      "matter.ids",
      "matter.algorithms",
      "matter.dac.extensions",
      "matter.pai.extensions",
      "matter.paa.extensions",
      "matter.validity",
    ])
      expect(results(r, id), id).toEqual(["pass"]);
    expect(results(r, "matter.test-root")).toEqual(["fail", "fail"]);
    expect((r.certificates as { role: string }[]).map((x) => x.role)).toEqual(["dac", "pai", "paa"]);
    expect(proposal(r, "nist-ir-8259a:1.1")).toMatchObject({
      verdict: "fail",
      strength: "proves-only-when-failing",
    });
    expect(proposal(r, "etsi-en-303-645:5.4-4")?.verdict).toBe("pass");
  });

  it("fails the chain when the PAI is missing, or against the other test PAA", async () => {
    const noPai = await run(c, fixture("x509", "matterjs-DAC-FFF1-8000.pem"), { options: matterTrust });
    expect(results(noPai, "x509.chain")).toEqual(["fail"]);
    const wrong = await run(c, cat("matterjs-DAC-FFF1-8000.pem", "matterjs-PAI-FFF1.pem"), {
      options: { trust: fixture("x509", "Matter-Test-PAA-FFF1.pem") },
    });
    expect(results(wrong, "x509.chain")).toEqual(["fail"]);
    const none = await run(c, cat("matterjs-DAC-FFF1-8000.pem", "matterjs-PAI-FFF1.pem"));
    expect(results(none, "x509.chain")).toEqual(["warn"]);
  });

  it("checks a batch of 20 DACs for uniqueness and finds a duplicated unit", async () => {
    const batch = cat("matterjs-DAC-batch-FFF1-8000.pem", "matterjs-PAI-FFF1.pem");
    const r = await run(c, batch, { options: matterTrust });
    expect(r.devices).toBe(20);
    expect(results(r, "x509.uniqueness.key")).toEqual(["pass"]);
    expect(results(r, "x509.uniqueness.serial")).toEqual(["pass"]);
    expect(results(r, "x509.chain")).toEqual(["pass"]);
    const twice = await run(
      c,
      cat("matterjs-DAC-batch-FFF1-8000.pem", "matterjs-DAC-FFF1-8000.pem", "matterjs-PAI-FFF1.pem"),
      {
        options: matterTrust,
      },
    );
    expect(results(twice, "x509.uniqueness.key")).toEqual(["fail"]);
    expect(results(twice, "x509.uniqueness.serial")).toEqual(["fail"]);
    expect(proposal(twice, "etsi-en-303-645:5.4-4")).toMatchObject({
      verdict: "fail",
      strength: "proves-only-when-failing",
    });
  });

  it("judges the Matter test PAA itself: a root, valid to 9999", async () => {
    const r = await run(c, fixture("x509", "Matter-Test-PAA-FFF1.pem"), { options: { profile: "matter" } });
    expect(r.valid).toBe(true);
    expect(results(r, "matter.paa.extensions")).toEqual(["pass"]);
    expect(results(r, "x509.validity")).toEqual(["pass"]);
  });

  it("checks OpenSSL-made 802.1AR IDevIDs: suites, serialNumber, shared keys, weak and expired units", async () => {
    const good = await run(c, cat("idevid-t800-000123.pem", "idevid-t800-000124.pem"), {
      options: idevidTrust,
    });
    expect(good.format).toBe("x509-ieee-802.1ar-idevid");
    for (const id of [
      "x509.chain",
      "idevid.subject",
      "idevid.extensions",
      "idevid.algorithms",
      "x509.uniqueness.key",
    ])
      expect(results(good, id), id).toEqual(["pass"]);
    expect(good.checks.find((x) => x.id === "idevid.hardware-module-name")?.message).toBe(
      "2 of 2 carry a hardwareModuleName",
    );
    expect(proposal(good, "nist-ir-8259a:1.1")).toMatchObject({
      verdict: "pass",
      strength: "proves-only-when-failing",
    });

    const bad = await run(
      c,
      cat(
        "idevid-t800-000123.pem",
        "idevid-t800-000124.pem",
        "idevid-t800-000125-sharedkey.pem",
        "idevid-weak-rsa1024-sha1-expired.pem",
      ),
      { options: idevidTrust },
    );
    expect(results(bad, "x509.uniqueness.key")).toEqual(["fail"]);
    expect(bad.checks.find((x) => x.id === "x509.key" && x.result === "fail")?.message).toMatch(
      /rsa 1024 bits/,
    );
    expect(
      bad.checks.find((x) => x.id === "x509.signature-algorithm" && x.result === "fail")?.message,
    ).toMatch(/ecdsa-with-SHA1/);
    expect(bad.checks.find((x) => x.id === "x509.validity")?.message).toMatch(/expired on 2020-12-31/);
    expect(results(bad, "idevid.algorithms")).toEqual(["fail"]);
    expect(proposal(bad, "etsi-en-303-645:5.4-4")?.verdict).toBe("fail");
    expect(proposal(bad, "nist-ir-8259a:3.1")?.verdict).toBe("fail");
  });

  it("reads a DER certificate and rejects input with no certificate", async () => {
    const der = pemToDer(fixture("x509", "matterjs-DAC-FFF1-8000.pem"));
    const r = await run(c, der, { options: { profile: "matter" } });
    expect(r.count).toBe(1);
    expect(results(r, "x509.parse")).toEqual(["pass"]);
    const none = await run(c, new TextEncoder().encode("hello"));
    expect(none.valid).toBe(false);
    const broken = await run(
      c,
      new TextEncoder().encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
    );
    expect(results(broken, "x509.parse")).toEqual(["fail"]);
    expect(() =>
      c.collect(
        { bytes: der, info: { sha256: "", bytes: der.length } },
        { date: "2026-12-01", options: { profile: "x" } },
      ),
    ).toThrow(/--profile: "x" is not one of/);
  });

  it("survives 10,000 hostile inputs", async () => {
    const seeds = [
      cat("matterjs-DAC-FFF1-8000.pem", "matterjs-PAI-FFF1.pem"),
      pemToDer(fixture("x509", "idevid-t800-000123.pem")),
      pemToDer(fixture("x509", "matterjs-PAI-FFF1.pem")),
    ];
    const next = mutator(seeds, [
      "-----BEGIN CERTIFICATE-----\n",
      "-----END CERTIFICATE-----\n",
      "\u0030\u0082\u00ff\u00ff",
      "==",
      "\u0000",
    ]);
    await fuzzCollector(c, next, { runs: 10_000, context: { options: matterTrust } });
  }, 120_000);
});
