import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, mutator } from "../../../test/helpers/fuzz.js";
import { securityTxtCollector as c } from "./index.js";

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);
const keys = { keys: fixture("security-txt", "northwind-psirt.pub.asc") };

describe("security.txt collector", () => {
  it("verifies a GnuPG cleartext signature and reports the signer", async () => {
    const r = await run(c, fixture("security-txt", "northwind-signed.security.txt"), { options: keys });
    expect(r.valid).toBe(true);
    expect(r.format).toBe("security.txt (OpenPGP cleartext-signed)");
    expect(results(r, "security-txt.signature.verified")).toEqual(["pass"]);
    expect(r.signature).toMatchObject({
      verified: true,
      fingerprint: "3235C4CE3AE2562215D0BC66DBDCFF7A7F9AD920",
      userIds: ["Northwind Controls PSIRT <psirt@northwind.example>"],
    });
    expect(results(r, "security-txt.contact")).toEqual(["pass", "pass"]);
    expect(results(r, "security-txt.csaf")).toEqual(["pass"]);
    expect(results(r, "security-txt.preferred-languages")).toEqual(["pass"]);
    expect(proposal(r, "etsi-en-303-645:5.2-1")).toMatchObject({ verdict: "pass", strength: "supports" });
    expect(proposal(r, "eu-cra:annex-ii.2")).toMatchObject({ verdict: "pass", strength: "supports" });
  });

  it("rejects a tampered signed file and one signed by a key not supplied", async () => {
    const tampered = await run(c, fixture("security-txt", "northwind-tampered.security.txt"), {
      options: keys,
    });
    expect(results(tampered, "security-txt.signature.verified")).toEqual(["fail"]);
    expect(proposal(tampered, "etsi-en-303-645:5.2-1")?.verdict).toBe("fail");
    const other = await run(c, fixture("security-txt", "northwind-signed-by-other.security.txt"), {
      options: keys,
    });
    expect(other.checks.find((x) => x.id === "security-txt.signature.verified")?.message).toMatch(
      /030BA954991F062C, which is not among the supplied keys/,
    );
    const withOther = await run(c, fixture("security-txt", "northwind-signed-by-other.security.txt"), {
      options: { keys: fixture("security-txt", "other.pub.asc") },
    });
    expect(withOther.signature).toMatchObject({
      verified: true,
      fingerprint: "58E1C7C989EC54024E17CF24030BA954991F062C",
    });
  });

  it("says a signature was not verified when no key is given", async () => {
    const r = await run(c, fixture("security-txt", "northwind-signed.security.txt"));
    expect(results(r, "security-txt.signature.verified")).toEqual(["warn"]);
    expect(r.valid).toBe(true);
  });

  it("judges expiry on the assessment date", async () => {
    const f = fixture("security-txt", "northwind-signed.security.txt");
    const later = await run(c, f, { date: "2027-07-01" });
    expect(results(later, "security-txt.expires.current")).toEqual(["fail"]);
    expect(later.valid).toBe(true);
    expect(proposal(later, "eu-cra:annex-ii.2")?.verdict).toBe("fail");
    const early = await run(c, f, { date: "2026-01-01" });
    expect(results(early, "security-txt.expires.horizon")).toEqual(["warn"]);
  });

  it("reads the express-security-txt package's file: no Expires, no final line ending", async () => {
    const r = await run(c, fixture("security-txt", "express-security-txt.security.txt"));
    expect(r.valid).toBe(false);
    expect(results(r, "security-txt.expires")).toEqual(["fail"]);
    expect(results(r, "security-txt.contact")).toEqual(["pass", "pass"]);
    expect(results(r, "security-txt.line-ending")).toEqual(["warn"]);
    expect(results(r, "security-txt.policy")).toEqual(["pass"]);
  });

  it("reads the gatsby plugin's template: comments only, no Contact", async () => {
    const r = await run(c, fixture("security-txt", "gatsby-plugin-template.security.txt"));
    expect(r.valid).toBe(false);
    expect(results(r, "security-txt.contact")).toEqual(["fail"]);
    expect(proposal(r, "nist-ir-8259b:2.1")?.verdict).toBe("fail");
  });

  it("applies the field rules", async () => {
    const r = await run(
      c,
      text(
        [
          "Contact: security@example.com",
          "Contact: http://example.com/report",
          "Expires: 2027-02-30T00:00:00Z",
          "Expires: 2027-01-01T00:00:00Z",
          "Preferred-Languages: en, english please",
          "Policy: http://example.com/policy",
          "Encryption: -----BEGIN PGP PUBLIC KEY BLOCK-----",
          "CSAF: https://example.com/advisories/",
          "X-Custom: yes",
          "Broken line",
          "Bad Name: x",
          "",
        ].join("\r\n"),
      ),
      { options: { url: "https://example.com/.well-known/security.txt" } },
    );
    expect(r.valid).toBe(false);
    const msgs = r.checks.filter((x) => x.result === "fail").map((x) => `${x.id} ${x.location ?? ""}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        "security-txt.contact line 1",
        "security-txt.uri-scheme line 2",
        "security-txt.expires line 3",
        "security-txt.once line 4",
        "security-txt.preferred-languages line 5",
        "security-txt.uri-scheme line 6",
        "security-txt.encryption line 7",
        "security-txt.csaf line 8",
        "security-txt.syntax line 10",
        "security-txt.syntax line 11",
      ]),
    );
    expect(results(r, "security-txt.unknown-field")).toEqual(["info"]);
  });

  it("fails Canonical when the file was fetched from a URL it does not list, and text outside the signature", async () => {
    const signed = new TextDecoder().decode(fixture("security-txt", "northwind-signed.security.txt"));
    const r = await run(c, text(`Contact: mailto:evil@example.org\n${signed}`), {
      options: { ...keys, url: "https://mirror.example/.well-known/security.txt" },
    });
    expect(results(r, "security-txt.signature.coverage")).toEqual(["fail"]);
    expect(results(r, "security-txt.canonical")).toEqual(["fail"]);
    expect(results(r, "security-txt.signature.verified")).toEqual(["pass"]);
  });

  it("detects security.txt and not other text", () => {
    expect(c.detect(fixture("security-txt", "northwind-signed.security.txt"), undefined)).toBeGreaterThan(
      0.8,
    );
    expect(
      c.detect(text("Contact: mailto:a@b.c\nExpires: 2027-01-01T00:00:00Z\n"), undefined),
    ).toBeGreaterThan(0.9);
    expect(c.detect(text('{"document":{}}'), "advisory.json")).toBe(0);
  });

  it("survives 10,000 hostile inputs", async () => {
    const seeds = [
      "northwind-signed.security.txt",
      "express-security-txt.security.txt",
      "gatsby-plugin-template.security.txt",
    ].map((n) => fixture("security-txt", n));
    const next = mutator(seeds, [
      "\r",
      "\n",
      ":",
      "Contact: ",
      "Expires: 9999-12-31T23:59:60Z",
      "-----BEGIN PGP SIGNATURE-----\n",
      "- ",
      "\u0000",
      "\uFEFF",
      "é",
    ]);
    const { slowestMs } = await fuzzCollector(c, next, { runs: 10_000 });
    expect(slowestMs).toBeLessThan(1000);
  }, 60_000);

  // A sample (an OpenPGP verification each); `npm run fuzz` runs 10,000.
  it("survives hostile signed inputs with a key (signature path)", async () => {
    const seeds = [fixture("security-txt", "northwind-signed.security.txt")];
    const next = mutator(seeds, ["=", "\n\n", "-----END PGP SIGNATURE-----", "Hash: SHA1\n"], 99);
    await fuzzCollector(c, next, { runs: 300, context: { options: keys } });
  }, 60_000);
});
