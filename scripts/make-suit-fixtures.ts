// Writes the SUIT test envelopes of test/fixtures/firmware/ (see its SOURCES.md): manifests built
// with cbor2 after draft-ietf-suit-manifest's CDDL, signed (COSE_Sign1, detached payload) with keys
// made for the run. Only the public keys are written. Run: npx tsx scripts/make-suit-fixtures.ts
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encode, Tag } from "cbor2";

const OUT = join(import.meta.dirname, "..", "test", "fixtures", "firmware");
const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

/** RFC 4122 name-based UUID (version 5), as the draft derives vendor and class ids. */
function uuid5(namespace: Uint8Array, name: string): Uint8Array {
  const h = createHash("sha1").update(namespace).update(name).digest().subarray(0, 16);
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  return new Uint8Array(h);
}
const DNS_NAMESPACE = Buffer.from("6ba7b8109dad11d180b400c04fd430c8", "hex");
const VENDOR_ID = uuid5(DNS_NAMESPACE, "northwind.example");
const CLASS_ID = uuid5(VENDOR_ID, "T-800 thermostat controller");

const bstr = (v: unknown) => encode(v);
const digest = (b: Uint8Array) => encode([-16, sha256(b)]);

interface Options {
  name: string;
  sequence: number;
  payload: Uint8Array;
  identifiers: boolean;
  key?: { key: KeyObject; alg: -7 | -8 };
  text?: string;
  integrated?: string;
}

function envelope(o: Options): Uint8Array {
  const params = new Map<number, unknown>([
    ...(o.identifiers
      ? ([
          [1, VENDOR_ID],
          [2, CLASS_ID],
        ] as [number, unknown][])
      : []),
    [3, digest(o.payload)],
    [14, o.payload.length],
  ]);
  const shared = [20, params, ...(o.identifiers ? [1, 15, 2, 15] : [])];
  const common = new Map<number, unknown>([
    [2, [[new Uint8Array([0])]]],
    [4, bstr(shared)],
  ]);
  const uri = o.integrated ?? `https://fw.northwind.example/t800/${o.name}.bin`;
  const install = bstr([20, new Map([[21, uri]]), 21, 2, 3, 15]);
  const manifest = new Map<number, unknown>([
    [1, 1],
    [2, o.sequence],
    [3, bstr(common)],
    [7, bstr([3, 15])],
    [9, bstr([23, 2])],
    [20, install],
  ]);
  let textBytes: Uint8Array | undefined;
  if (o.text) {
    textBytes = bstr(new Map([[1, o.text]]));
    // Severed: the manifest keeps the digest of the bstr-wrapped member, the envelope carries it.
    manifest.set(23, [-16, sha256(encode(textBytes))]);
  }
  const manifestBytes = encode(manifest);
  const digestBytes = encode([-16, sha256(encode(manifestBytes))]);
  const auth: Uint8Array[] = [digestBytes];
  if (o.key) {
    const protectedBytes = encode(new Map([[1, o.key.alg]]));
    const toBeSigned = encode(["Signature1", protectedBytes, new Uint8Array(0), digestBytes]);
    const signature =
      o.key.alg === -8
        ? sign(null, toBeSigned, o.key.key)
        : sign("sha256", toBeSigned, { key: o.key.key, dsaEncoding: "ieee-p1363" });
    auth.push(encode(new Tag(18, [protectedBytes, new Map(), null, new Uint8Array(signature)])));
  }
  const env = new Map<unknown, unknown>([
    [2, encode(auth)],
    [3, manifestBytes],
  ]);
  if (textBytes) env.set(23, textBytes);
  if (o.integrated) env.set(o.integrated, o.payload);
  return encode(new Tag(107, env));
}

const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const ed25519 = generateKeyPairSync("ed25519");
const payload = new Uint8Array(randomBytes(2048));
const pem = (k: KeyObject) => k.export({ type: "spki", format: "pem" }) as string;

const files: [string, Uint8Array | string][] = [
  ["nwc-suit-p256.pub.pem", pem(p256.publicKey)],
  ["nwc-suit-ed25519.pub.pem", pem(ed25519.publicKey)],
  ["t800-4.2.0-suit-payload.bin", payload],
  [
    "t800-4.2.0-es256.suit",
    envelope({
      name: "4.2.0",
      sequence: 42,
      payload,
      identifiers: true,
      key: { key: p256.privateKey, alg: -7 },
    }),
  ],
  [
    "t800-4.2.0-eddsa-integrated.suit",
    envelope({
      name: "4.2.0",
      sequence: 42,
      payload,
      identifiers: true,
      key: { key: ed25519.privateKey, alg: -8 },
      text: "Northwind Controls T-800 firmware 4.2.0",
      integrated: "#t800-4.2.0.bin",
    }),
  ],
  [
    "t800-4.2.0-no-identifiers.suit",
    envelope({
      name: "4.2.0",
      sequence: 42,
      payload,
      identifiers: false,
      key: { key: p256.privateKey, alg: -7 },
    }),
  ],
  ["t800-4.2.0-unsigned.suit", envelope({ name: "4.2.0", sequence: 42, payload, identifiers: true })],
];
for (const [name, content] of files) writeFileSync(join(OUT, name), content);
console.log(
  `wrote ${files.map(([n]) => n).join(", ")}; vendor id ${Buffer.from(VENDOR_ID).toString("hex")}, class id ${Buffer.from(CLASS_ID).toString("hex")}`,
);
