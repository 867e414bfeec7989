import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, jsonMutator, mutator } from "../../../test/helpers/fuzz.js";
import { firmwareCollector as c } from "./index.js";
import { parseMcuboot } from "./mcuboot.js";

const fw = (n: string) => fixture("firmware", n);
const keys = (n: string) => ({ options: { keys: fw(n) } });

describe("firmware collector: MCUboot", () => {
  it("verifies imgtool images signed with ECDSA P-256, Ed25519 and RSA-2048 keys", async () => {
    for (const [image, key] of [
      ["t800-4.2.0-ecdsa-p256.signed.bin", "nwc-fw-p256.pub.pem"],
      ["t800-4.2.0-ed25519.signed.bin", "nwc-fw-ed25519.pub.pem"],
      ["t800-4.2.0-rsa2048.signed.bin", "nwc-fw-rsa2048.pub.pem"],
    ] as const) {
      const r = await run(c, fw(image), keys(key));
      expect(r.valid, image).toBe(true);
      for (const id of [
        "mcuboot.header",
        "mcuboot.tlv",
        "mcuboot.hash",
        "mcuboot.signature",
        "mcuboot.key-hash",
        "firmware.development-key",
      ])
        expect(results(r, id), `${image} ${id}`).toEqual(["pass"]);
      expect(proposal(r, "etsi-en-303-645:5.3-9")).toMatchObject({ verdict: "pass", strength: "supports" });
    }
    const p256 = await run(c, fw("t800-4.2.0-ecdsa-p256.signed.bin"), keys("nwc-fw-p256.pub.pem"));
    expect(p256.image).toMatchObject({ version: "4.2.0+7", headerSize: 512, imageSize: 4096 });
    expect(results(p256, "mcuboot.security-counter")).toEqual(["pass"]);
    expect(p256.checks.find((x) => x.id === "mcuboot.security-counter")?.message).toBe("security counter 7");
  });

  it("fails a signature with the wrong key, a tampered image and an unsigned one", async () => {
    const wrong = await run(c, fw("t800-4.2.0-rsa2048.signed.bin"), keys("nwc-fw-p256.pub.pem"));
    expect(results(wrong, "mcuboot.signature")).toEqual(["fail"]);
    expect(proposal(wrong, "nist-ir-8259a:5.2")).toMatchObject({ verdict: "fail", strength: "proves" });
    const tampered = Uint8Array.from(fw("t800-4.2.0-ecdsa-p256.signed.bin"));
    tampered[1000] = (tampered[1000] as number) ^ 1;
    const t = await run(c, tampered, keys("nwc-fw-p256.pub.pem"));
    expect(results(t, "mcuboot.hash")).toEqual(["fail"]);
    expect(results(t, "mcuboot.signature")).toEqual(["fail"]);
    const unsigned = await run(c, fw("t800-4.2.0-unsigned.bin"), keys("nwc-fw-p256.pub.pem"));
    expect(results(unsigned, "mcuboot.signature")).toEqual(["fail"]);
    expect(results(unsigned, "mcuboot.hash")).toEqual(["pass"]);
    const noKey = await run(c, fw("t800-4.2.0-ecdsa-p256.signed.bin"));
    expect(results(noKey, "mcuboot.signature")).toEqual(["warn"]);
    expect(noKey.proposals).toEqual([]);
  });

  it("fails an image signed with MCUboot's published development key, whatever key is supplied", async () => {
    const byHash = await run(
      c,
      fw("t800-1.0.0-mcuboot-dev-key-ec-p256.signed.bin"),
      keys("nwc-fw-p256.pub.pem"),
    );
    expect(byHash.checks.find((x) => x.id === "firmware.development-key")?.message).toMatch(
      /root-ec-p256\.pem/,
    );
    expect(proposal(byHash, "etsi-en-303-645:5.3-10")).toMatchObject({ verdict: "fail", strength: "proves" });
    // The user supplies the development key itself: the signature verifies, and the image still fails.
    const image = parseMcuboot(fw("t800-1.0.0-mcuboot-dev-key-rsa2048-pubkey.signed.bin"));
    if ("error" in image) throw new Error(image.error);
    const embedded = image.tlvs.find((t) => t.name === "PUBKEY")?.value as Uint8Array;
    const devKey = createPublicKey({ key: Buffer.from(embedded), format: "der", type: "pkcs1" }).export({
      type: "spki",
      format: "pem",
    });
    const r = await run(c, fw("t800-1.0.0-mcuboot-dev-key-rsa2048-pubkey.signed.bin"), {
      options: { keys: String(devKey) },
    });
    expect(results(r, "mcuboot.signature")).toEqual(["pass"]);
    expect(r.checks.filter((x) => x.id === "firmware.development-key").map((x) => x.message)).toEqual([
      "the image embeds MCUboot default signing key (mcu-tools/mcuboot, root-rsa-2048.pem): anyone can sign such an image",
      "the supplied key is MCUboot default signing key (mcu-tools/mcuboot, root-rsa-2048.pem): anyone can sign such an image",
    ]);
    expect(proposal(r, "eu-cra:annex-i.part-ii.7")?.verdict).toBe("fail");
  });

  it("reports truncated images and broken TLV areas", async () => {
    const img = fw("t800-4.2.0-ecdsa-p256.signed.bin");
    const short = await run(c, img.subarray(0, 600));
    expect(results(short, "mcuboot.header")).toEqual(["fail"]);
    expect(short.valid).toBe(false);
    const cut = await run(c, img.subarray(0, img.length - 10));
    expect(results(cut, "mcuboot.tlv")).toEqual(["fail"]);
  });

  it("survives 10,000 hostile images", async () => {
    const seeds = [
      "t800-4.2.0-ecdsa-p256.signed.bin",
      "t800-4.2.0-ed25519.signed.bin",
      "t800-1.0.0-mcuboot-dev-key-rsa2048-pubkey.signed.bin",
    ].map(fw);
    const next = mutator(seeds, [
      "\u003d\u00b8\u00f3\u0096",
      "\u0007\u0069\u00ff\u00ff",
      "\u0008\u0069\u0004\u0000",
      "\u0022\u0000\u00ff\u00ff",
    ]);
    await fuzzCollector(c, next, { runs: 10_000, context: keys("nwc-fw-p256.pub.pem") });
  }, 120_000);
});

describe("firmware collector: TUF", () => {
  it("checks the Sigstore TUF root: roles, thresholds, signatures against itself, expiry", async () => {
    const r = await run(c, fw("sigstore-root.json"), { date: "2026-03-01" });
    expect(r.format).toBe("tuf-root");
    expect(r.valid).toBe(true);
    expect(results(r, "tuf.roles")).toEqual(["pass"]);
    expect(r.checks.find((x) => x.id === "tuf.signatures")?.message).toMatch(
      /^4 of 5 keys signed \(threshold 3\)/,
    );
    expect(results(r, "tuf.expiry")).toEqual(["pass"]);
    const later = await run(c, fw("sigstore-root.json"), { date: "2026-12-01" });
    expect(results(later, "tuf.expiry")).toEqual(["fail"]);
    expect(proposal(later, "nist-sp-800-213a:T5.1.5")?.verdict).toBe("fail");
  });

  it("fails a root whose signatures no longer match, and a role threshold above its keys", async () => {
    const root = JSON.parse(new TextDecoder().decode(fw("sigstore-root.json")));
    root.signed.consistent_snapshot = !root.signed.consistent_snapshot;
    const r = await run(c, new TextEncoder().encode(JSON.stringify(root)), { date: "2026-03-01" });
    expect(r.checks.find((x) => x.id === "tuf.signatures")?.message).toMatch(
      /^0 valid signatures, threshold 3/,
    );
    root.signed.roles.snapshot.threshold = 2;
    const t = await run(c, new TextEncoder().encode(JSON.stringify(root)), { date: "2026-03-01" });
    expect(t.checks.find((x) => x.id === "tuf.roles" && x.result === "fail")?.message).toBe(
      "snapshot: threshold 2 exceeds its 1 keys",
    );
  });

  // A sample: each document's signatures are verified; `npm run fuzz` runs 10,000.
  it("survives 2,000 hostile TUF documents", async () => {
    const seeds = [JSON.parse(new TextDecoder().decode(fw("sigstore-root.json")))];
    await fuzzCollector(c, jsonMutator(seeds, 31), { runs: 2000, context: { date: "2026-03-01" } });
  }, 120_000);
});
