import { decode, encode, Tag } from "cbor2";
import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, mutator } from "../../../test/helpers/fuzz.js";
import { firmwareCollector as c } from "./index.js";

const fw = (n: string) => fixture("firmware", n);
const ES256 = "t800-4.2.0-es256.suit";
const EDDSA = "t800-4.2.0-eddsa-integrated.suit";

/** The envelope with its manifest replaced by `change(manifest map)`, the wrapper left as signed. */
function withManifest(bytes: Uint8Array, change: (m: Map<number, unknown>) => void): Uint8Array {
  const env = decode(bytes, { preferMap: true }) as Tag;
  const map = env.contents as Map<unknown, unknown>;
  const manifest = decode(map.get(3) as Uint8Array, { preferMap: true }) as Map<number, unknown>;
  change(manifest);
  map.set(3, encode(manifest));
  return encode(new Tag(107, map));
}

describe("firmware collector: SUIT", () => {
  it("verifies ES256 and EdDSA envelopes with the manufacturer's keys", async () => {
    for (const [file, key] of [
      [ES256, "nwc-suit-p256.pub.pem"],
      [EDDSA, "nwc-suit-ed25519.pub.pem"],
    ] as const) {
      const r = await run(c, fw(file), { options: { keys: fw(key) } });
      expect(r.format, file).toBe("suit");
      expect(r.valid, file).toBe(true);
      for (const id of [
        "firmware.format",
        "suit.envelope",
        "suit.manifest",
        "suit.digest",
        "suit.signature",
        "suit.identifiers",
        "firmware.development-key",
      ])
        expect(results(r, id), `${file} ${id}`).toEqual(["pass"]);
      expect(proposal(r, "etsi-en-303-645:5.3-9")).toMatchObject({ verdict: "pass", strength: "supports" });
      expect(r.suit).toMatchObject({
        manifestVersion: 1,
        sequenceNumber: 42,
        components: [["00"]],
        vendorIds: ["8cb7868a-71e7-5e04-918b-4d0d240f944a"],
        classIds: ["9c87e97f-9f74-5377-aaff-d93a0fbda311"],
        images: [{ component: 0, algorithm: "SHA-256", size: 2048 }],
      });
    }
    const ed = await run(c, fw(EDDSA), { options: { keys: fw("nwc-suit-ed25519.pub.pem") } });
    expect(ed.checks.filter((x) => x.id === "suit.image-digest").map((x) => x.message)).toEqual([
      "integrated payload #t800-4.2.0.bin matches component 0's digest and size",
    ]);
    expect(results(ed, "suit.severable")).toEqual(["pass"]);
    expect(ed.checks.find((x) => x.id === "suit.sequence-number")?.message).toMatch(/^sequence number 42/);
    expect(c.detect(fw(ES256), undefined)).toBeGreaterThan(0.9);
    // The runner hands input and option files over as Node Buffers: the same verdicts.
    const buf = await run(c, Buffer.from(fw(ES256)), {
      options: { keys: Buffer.from(fw("nwc-suit-p256.pub.pem")) },
    });
    expect(results(buf, "suit.digest")).toEqual(["pass"]);
    expect(results(buf, "suit.signature")).toEqual(["pass"]);
  });

  it("checks a supplied payload against the image digest and size (option target)", async () => {
    const payload = fw("t800-4.2.0-suit-payload.bin");
    const ok = await run(c, fw(ES256), { options: { keys: fw("nwc-suit-p256.pub.pem"), target: payload } });
    expect(results(ok, "suit.image-digest")).toEqual(["pass"]);
    const other = Uint8Array.from(payload);
    other[7] = (other[7] as number) ^ 1;
    const bad = await run(c, fw(ES256), { options: { keys: fw("nwc-suit-p256.pub.pem"), target: other } });
    expect(results(bad, "suit.image-digest")).toEqual(["fail"]);
    expect(proposal(bad, "nist-ir-8259a:5.2")).toMatchObject({ verdict: "fail", strength: "proves" });
  });

  it("fails the wrong key, a changed manifest, an unsigned envelope and a bare manifest", async () => {
    const wrong = await run(c, fw(ES256), { options: { keys: fw("nwc-suit-ed25519.pub.pem") } });
    expect(results(wrong, "suit.signature")).toEqual(["fail"]);
    expect(proposal(wrong, "eu-cra:annex-i.part-ii.7")).toMatchObject({
      verdict: "fail",
      strength: "proves",
    });

    // A rollback: the sequence number lowered after signing.
    const changed = withManifest(fw(ES256), (m) => m.set(2, 1));
    const t = await run(c, changed, { options: { keys: fw("nwc-suit-p256.pub.pem") } });
    expect(results(t, "suit.digest")).toEqual(["fail"]);
    expect(t.checks.find((x) => x.id === "suit.signature")).toMatchObject({
      result: "fail",
      message: "COSE_Sign1 ES256 verifies over a digest that does not match the manifest",
    });

    const unsigned = await run(c, fw("t800-4.2.0-unsigned.suit"), {
      options: { keys: fw("nwc-suit-p256.pub.pem") },
    });
    expect(unsigned.checks.find((x) => x.id === "suit.signature")?.message).toMatch(/not signed/);
    expect(proposal(unsigned, "nist-sp-800-213a:T5.2.2")?.verdict).toBe("fail");

    const env = decode(fw(ES256), { preferMap: true }) as Tag;
    const manifest = decode((env.contents as Map<number, Uint8Array>).get(3) as Uint8Array, {
      preferMap: true,
    });
    const bare = await run(c, encode(new Tag(1070, manifest)));
    expect(results(bare, "suit.envelope")).toEqual(["fail"]);
    expect(results(bare, "suit.signature")).toEqual(["fail"]);
    expect(bare.valid).toBe(false);

    const noKey = await run(c, fw(ES256));
    expect(results(noKey, "suit.signature")).toEqual(["warn"]);
    expect(noKey.proposals).toEqual([]);
  });

  it("fails a manifest that checks neither vendor nor class (RFC 9124 REQ.SEC.COMPATIBLE)", async () => {
    const r = await run(c, fw("t800-4.2.0-no-identifiers.suit"), {
      options: { keys: fw("nwc-suit-p256.pub.pem") },
    });
    expect(results(r, "suit.signature")).toEqual(["pass"]);
    expect(r.checks.find((x) => x.id === "suit.identifiers")).toMatchObject({
      result: "fail",
      message: expect.stringMatching(/^no vendor identifier is set; no class identifier is set/),
    });
  });

  it("reports structure problems with their place, never a crash", async () => {
    const noSeq = await run(
      c,
      withManifest(fw(ES256), (m) => {
        m.delete(2);
        m.set(1, 2);
        m.set(7, encode([3]));
      }),
    );
    expect(noSeq.valid).toBe(false);
    expect(noSeq.checks.filter((x) => x.id === "suit.manifest").map((x) => x.message)).toEqual([
      "the validate sequence is not a list of command and argument pairs",
      "manifest version 2 (must be 1)",
      "no sequence number (key 2, an unsigned integer)",
    ]);
    const deep = new Uint8Array([0xd8, 0x6b, 0xa1, 0x02, ...new Array(5000).fill(0x81), 0x00]);
    const d = await run(c, deep);
    expect(d.valid).toBe(false);
    expect(results(d, "suit.envelope")).toEqual(["fail"]);
    const huge = new Uint8Array([0xd8, 0x6b, 0xa1, 0x03, 0x5b, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(results(await run(c, huge), "suit.envelope")).toEqual(["fail"]);
  });

  it("survives 10,000 hostile envelopes", async () => {
    const seeds = [ES256, EDDSA, "t800-4.2.0-unsigned.suit", "t800-4.2.0-no-identifiers.suit"].map(fw);
    const tokens = [
      "\u00d8\u006b",
      "\u009f",
      "\u00bf",
      "\u00ff",
      "\u005b\u00ff\u00ff\u00ff\u00ff",
      "\u0081\u0081\u0081\u0081",
      "\u00d2\u0084",
      "\u0018\u002a",
    ];
    await fuzzCollector(c, mutator(seeds, tokens, 4242), {
      runs: 10_000,
      context: { options: { keys: fw("nwc-suit-p256.pub.pem"), target: fw("t800-4.2.0-suit-payload.bin") } },
    });
  }, 120_000);
});
