/**
 * SUIT manifests (the IETF SUIT manifest format, draft-ietf-suit-manifest, for the RFC 9124
 * information model): the envelope (CBOR tag 107) with its authentication wrapper and manifest,
 * read with cbor2. The wrapper's SUIT_Digest is recomputed over the manifest's bytes and each
 * COSE_Sign1 (or COSE_Sign signer) is verified, over the detached bstr-wrapped digest, with the
 * keys the user supplies (node:crypto: ES256/384/512, EdDSA).
 *
 * Every bstr-wrapped structure is decoded on its own, with a small depth bound: cbor2 decodes
 * without recursion and checks lengths against the input, so hostile sizes fail fast.
 */
import { createHash, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { decode, encode, Tag } from "cbor2";

export const SUIT_ENVELOPE_TAG = 107;
export const SUIT_MANIFEST_TAG = 1070;
const MAX_DEPTH = 64;
/** Commands listed per sequence: a manifest names a handful; more is hostile. */
const MAX_COMMANDS = 10_000;

/** COSE hash algorithms SUIT_Digest uses, by COSE id, with node:crypto's name. */
export const SUIT_DIGEST_ALGORITHMS: Record<number, { name: string; node?: string }> = {
  [-16]: { name: "SHA-256", node: "sha256" },
  [-43]: { name: "SHA-384", node: "sha384" },
  [-44]: { name: "SHA-512", node: "sha512" },
  [-18]: { name: "SHAKE128" },
  [-45]: { name: "SHAKE256" },
};

const COSE_ALGORITHMS: Record<number, { name: string; hash?: string; curve?: string; type: "ec" | "ed" }> = {
  [-7]: { name: "ES256", hash: "sha256", curve: "prime256v1", type: "ec" },
  [-35]: { name: "ES384", hash: "sha384", curve: "secp384r1", type: "ec" },
  [-36]: { name: "ES512", hash: "sha512", curve: "secp521r1", type: "ec" },
  [-8]: { name: "EdDSA", type: "ed" },
};

const COSE_TAGS: Record<number, string> = {
  18: "COSE_Sign1",
  98: "COSE_Sign",
  17: "COSE_Mac0",
  97: "COSE_Mac",
};

const COMMANDS: Record<number, string> = {
  1: "condition-vendor-identifier",
  2: "condition-class-identifier",
  3: "condition-image-match",
  5: "condition-component-slot",
  6: "condition-check-content",
  12: "directive-set-component-index",
  14: "condition-abort",
  15: "directive-try-each",
  18: "directive-write",
  20: "directive-override-parameters",
  21: "directive-fetch",
  22: "directive-copy",
  23: "directive-invoke",
  24: "condition-device-identifier",
  31: "directive-swap",
  32: "directive-run-sequence",
};

export class SuitError extends Error {}

type Cbor = unknown;

/**
 * A plain Uint8Array view: cbor2 encodes a Node Buffer as a map (its toJSON), so Buffers (the
 * runner hands input over as one) must not reach `encode`, nor be the source of decoded slices.
 */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeCbor(bytes: Uint8Array, what: string): Cbor {
  try {
    return decode(plain(bytes), { preferMap: true, maxDepth: MAX_DEPTH, rejectDuplicateKeys: true });
  } catch (e) {
    throw new SuitError(`${what}: not CBOR (${(e as Error).message})`);
  }
}

const isBytes = (v: Cbor): v is Uint8Array => v instanceof Uint8Array;
const asMap = (v: Cbor): Map<Cbor, Cbor> | undefined => (v instanceof Map ? v : undefined);
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
const uint = (v: Cbor): number | undefined =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0
    ? v
    : typeof v === "bigint" && v >= 0n
      ? Number(v)
      : undefined;

function uuid(b: Uint8Array): string {
  const h = hex(b);
  return b.length === 16
    ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    : h;
}

/** A bstr-wrapped CBOR member: its bytes and what they decode to. */
function wrapped(v: Cbor, what: string): { bytes: Uint8Array; value: Cbor } {
  if (!isBytes(v)) throw new SuitError(`${what} is not a byte string holding CBOR`);
  return { bytes: v, value: decodeCbor(v, what) };
}

export interface SuitDigest {
  algorithmId: number;
  algorithm: string;
  bytes: string;
}

function readDigest(v: Cbor, what: string): SuitDigest {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== "number" || !isBytes(v[1]))
    throw new SuitError(`${what} is not a SUIT_Digest [algorithm-id, digest-bytes]`);
  return {
    algorithmId: v[0],
    algorithm: SUIT_DIGEST_ALGORITHMS[v[0]]?.name ?? `unknown (${v[0]})`,
    bytes: hex(v[1]),
  };
}

/** The digest of `bytes` with a SUIT_Digest's algorithm; undefined when Cairn cannot compute it. */
export function digestOf(d: SuitDigest, bytes: Uint8Array): string | undefined {
  const node = SUIT_DIGEST_ALGORITHMS[d.algorithmId]?.node;
  return node ? createHash(node).update(bytes).digest("hex") : undefined;
}

/**
 * SUIT digests the manifest and severable members as the envelope holds them: bstr-wrapped, the
 * byte string's head included. The head is re-encoded in CBOR's preferred (shortest) form, which
 * is what encoders write; a non-preferred head in the input would show as a digest mismatch.
 */
export function bstrWrapped(bytes: Uint8Array): Uint8Array {
  return encode(plain(bytes));
}

export interface SuitImage {
  component: number;
  digest?: SuitDigest;
  size?: number;
}

export interface SuitCommandSummary {
  /** Sequence name (shared-sequence, validate, install...) -> the commands it runs, by name. */
  sequences: Record<string, string[]>;
  vendorIds: string[];
  classIds: string[];
  deviceIds: string[];
  images: SuitImage[];
  uris: string[];
  problems: string[];
}

function newSummary(): SuitCommandSummary {
  return { sequences: {}, vendorIds: [], classIds: [], deviceIds: [], images: [], uris: [], problems: [] };
}

/**
 * Walks a command sequence (pairs of command and argument), with an explicit work list for the
 * nested sequences of try-each and run-sequence. Parameters are tracked per component index, as
 * the manifest processor would set them.
 */
function walkSequence(name: string, bytes: Uint8Array, components: number, out: SuitCommandSummary): void {
  const work: { bytes: Uint8Array; index: number[] }[] = [{ bytes, index: [0] }];
  const listed = out.sequences[name] ?? [];
  out.sequences[name] = listed;
  let budget = MAX_COMMANDS;
  while (work.length > 0) {
    const item = work.pop() as { bytes: Uint8Array; index: number[] };
    let seq: Cbor;
    try {
      seq = decodeCbor(item.bytes, `${name} sequence`);
    } catch (e) {
      out.problems.push((e as Error).message);
      continue;
    }
    if (!Array.isArray(seq) || seq.length % 2 !== 0) {
      out.problems.push(`the ${name} sequence is not a list of command and argument pairs`);
      continue;
    }
    let index = item.index;
    for (let i = 0; i < seq.length; i += 2) {
      if (--budget < 0) {
        out.problems.push(`the ${name} sequence has more than ${MAX_COMMANDS} commands`);
        return;
      }
      const cmd = seq[i];
      const arg = seq[i + 1];
      if (typeof cmd !== "number" || !Number.isInteger(cmd)) {
        out.problems.push(`the ${name} sequence has a command that is not an integer`);
        break;
      }
      const cmdName = cmd < 0 ? `custom (${cmd})` : (COMMANDS[cmd] ?? `unknown (${cmd})`);
      if (listed.length < 200) listed.push(cmdName);
      if (cmd === 12) {
        const n = uint(arg);
        if (n !== undefined && n < components) index = [n];
        else if (arg === true) index = Array.from({ length: Math.min(components, 256) }, (_, k) => k);
        else if (Array.isArray(arg))
          index = arg.map(uint).filter((x): x is number => x !== undefined && x < components);
        else out.problems.push(`set-component-index ${String(arg)} names no component`);
      } else if (cmd === 20 || cmd === 19) {
        const params = asMap(arg);
        if (!params) {
          out.problems.push(`${cmdName} in ${name} has no parameter map`);
          continue;
        }
        readParameters(params, index, out);
      } else if (cmd === 15 && Array.isArray(arg)) {
        for (const s of arg) if (isBytes(s)) work.push({ bytes: s, index });
      } else if (cmd === 32 && isBytes(arg)) work.push({ bytes: arg, index });
    }
  }
}

function imageFor(out: SuitCommandSummary, component: number): SuitImage {
  let image = out.images.find((x) => x.component === component);
  if (!image) {
    image = { component };
    out.images.push(image);
  }
  return image;
}

function readParameters(params: Map<Cbor, Cbor>, index: number[], out: SuitCommandSummary): void {
  const add = (list: string[], v: Cbor) => {
    const b = v instanceof Tag && isBytes(v.contents) ? v.contents : v;
    if (isBytes(b) && !list.includes(uuid(b)) && list.length < 100) list.push(uuid(b));
  };
  add(out.vendorIds, params.get(1));
  add(out.classIds, params.get(2));
  add(out.deviceIds, params.get(24));
  const uri = params.get(21);
  if (typeof uri === "string" && out.uris.length < 100) out.uris.push(uri);
  const digest = params.get(3);
  const size = uint(params.get(14));
  for (const c of index.slice(0, 256)) {
    if (digest !== undefined) {
      try {
        imageFor(out, c).digest = readDigest(wrapped(digest, "image-digest").value, "image-digest");
      } catch (e) {
        out.problems.push((e as Error).message);
      }
    }
    if (size !== undefined) imageFor(out, c).size = size;
  }
}

export interface SuitAuthBlock {
  type: string;
  algorithm?: string;
  algorithmId?: number;
  kid?: string;
  /** The bytes to verify and the signature, for COSE_Sign1 and each COSE_Sign signer. */
  signatures: { toBeSigned: Uint8Array; signature: Uint8Array; algorithmId?: number }[];
}

export interface SuitEnvelope {
  tagged: boolean;
  /** A bare manifest (tag 1070) carries no authentication. */
  bareManifest: boolean;
  manifestBytes: Uint8Array;
  digest?: SuitDigest;
  digestBytes?: Uint8Array;
  authBlocks: SuitAuthBlock[];
  version?: number;
  sequenceNumber?: number;
  referenceUri?: string;
  components: string[][];
  commands: SuitCommandSummary;
  /** Severable members (payload-fetch 16, install 20, text 23): in the envelope, and their digest in the manifest. */
  severable: {
    key: number;
    name: string;
    inEnvelope?: Uint8Array;
    digest?: SuitDigest;
    inManifest: boolean;
  }[];
  integrated: { key: string; bytes: Uint8Array }[];
  problems: string[];
}

const SEVERABLE: Record<number, string> = { 16: "payload-fetch", 20: "install", 23: "text" };
const SEQUENCES: Record<number, string> = {
  7: "validate",
  8: "load",
  9: "invoke",
  16: "payload-fetch",
  20: "install",
};

function readAuthBlock(v: Cbor, digestBytes: Uint8Array): SuitAuthBlock {
  const { value } = wrapped(v, "an authentication block");
  if (!(value instanceof Tag) || !Array.isArray(value.contents))
    return { type: "unknown (not a tagged COSE structure)", signatures: [] };
  const tag = Number(value.tag);
  const parts = value.contents as Cbor[];
  const block: SuitAuthBlock = { type: COSE_TAGS[tag] ?? `unknown (tag ${tag})`, signatures: [] };
  const protectedBytes = parts[0];
  if (!isBytes(protectedBytes)) return block;
  const headers = protectedBytes.length
    ? asMap(decodeCbor(protectedBytes, "COSE protected header"))
    : new Map();
  const alg = headers?.get(1);
  const kid = asMap(parts[1])?.get(4) ?? headers?.get(4);
  if (typeof alg === "number") {
    block.algorithmId = alg;
    block.algorithm = COSE_ALGORITHMS[alg]?.name ?? `COSE alg ${alg}`;
  }
  if (isBytes(kid)) block.kid = hex(kid);
  // Detached payload: the bstr-wrapped SUIT_Digest, as the envelope carries it.
  if (tag === 18 && isBytes(parts[3]))
    block.signatures.push({
      toBeSigned: encode(["Signature1", protectedBytes, new Uint8Array(0), digestBytes]),
      signature: parts[3],
      ...(block.algorithmId !== undefined ? { algorithmId: block.algorithmId } : {}),
    });
  if (tag === 98 && Array.isArray(parts[3]))
    for (const signer of (parts[3] as Cbor[]).slice(0, 16)) {
      if (!Array.isArray(signer) || !isBytes(signer[0]) || !isBytes(signer[2])) continue;
      const sh = signer[0].length ? asMap(decodeCbor(signer[0], "COSE signer header")) : undefined;
      const salg = sh?.get(1);
      block.signatures.push({
        toBeSigned: encode(["Signature", protectedBytes, signer[0], new Uint8Array(0), digestBytes]),
        signature: signer[2],
        ...(typeof salg === "number" ? { algorithmId: salg } : {}),
      });
      if (typeof salg === "number" && block.algorithmId === undefined) {
        block.algorithmId = salg;
        block.algorithm = COSE_ALGORITHMS[salg]?.name ?? `COSE alg ${salg}`;
      }
    }
  return block;
}

export function readSuit(bytes: Uint8Array): SuitEnvelope {
  const top = decodeCbor(bytes, "the input");
  if (!(top instanceof Tag))
    throw new SuitError("not a tagged SUIT envelope (tag 107) or manifest (tag 1070)");
  const tag = Number(top.tag);
  if (tag === SUIT_MANIFEST_TAG) {
    const m = asMap(top.contents);
    if (!m) throw new SuitError("the tagged manifest is not a map");
    return readManifest(m, encode(top.contents), {
      tagged: true,
      bareManifest: true,
      authBlocks: [],
      severable: [],
      integrated: [],
      problems: [],
    });
  }
  if (tag !== SUIT_ENVELOPE_TAG)
    throw new SuitError(`CBOR tag ${tag} is neither a SUIT envelope nor manifest`);
  const env = asMap(top.contents);
  if (!env) throw new SuitError("the envelope is not a map");
  const auth = wrapped(env.get(2), "the authentication wrapper (key 2)");
  const manifest = wrapped(env.get(3), "the manifest (key 3)");
  if (!Array.isArray(auth.value) || auth.value.length < 1)
    throw new SuitError("the authentication wrapper is not a list [digest, blocks...]");
  const digestWrapped = wrapped(auth.value[0], "the authentication wrapper's digest");
  const digest = readDigest(digestWrapped.value, "the authentication wrapper's digest");
  const problems: string[] = [];
  const authBlocks: SuitAuthBlock[] = [];
  for (const b of (auth.value as Cbor[]).slice(1, 17)) {
    try {
      authBlocks.push(readAuthBlock(b, digestWrapped.bytes));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const m = asMap(manifest.value);
  if (!m) throw new SuitError("the manifest is not a map");
  const severable: SuitEnvelope["severable"] = [];
  for (const [k, name] of Object.entries(SEVERABLE)) {
    const v = env.get(Number(k));
    if (v !== undefined) {
      if (isBytes(v)) severable.push({ key: Number(k), name, inEnvelope: v, inManifest: false });
      else problems.push(`severable member ${name} in the envelope is not a byte string`);
    }
  }
  const integrated: SuitEnvelope["integrated"] = [];
  for (const [k, v] of env)
    if (typeof k === "string" && isBytes(v) && integrated.length < 256) integrated.push({ key: k, bytes: v });
  return readManifest(m, manifest.bytes, {
    tagged: true,
    bareManifest: false,
    digest,
    digestBytes: digestWrapped.bytes,
    authBlocks,
    severable,
    integrated,
    problems,
  });
}

function readManifest(
  m: Map<Cbor, Cbor>,
  manifestBytes: Uint8Array,
  base: Pick<
    SuitEnvelope,
    | "tagged"
    | "bareManifest"
    | "authBlocks"
    | "severable"
    | "integrated"
    | "problems"
    | "digest"
    | "digestBytes"
  >,
): SuitEnvelope {
  const out: SuitEnvelope = { ...base, manifestBytes, components: [], commands: newSummary() };
  const version = uint(m.get(1));
  if (version !== undefined) out.version = version;
  const seq = uint(m.get(2));
  if (seq !== undefined) out.sequenceNumber = seq;
  const ref = m.get(4);
  if (typeof ref === "string") out.referenceUri = ref;
  let common: Map<Cbor, Cbor> | undefined;
  try {
    common = asMap(wrapped(m.get(3), "suit-common (key 3)").value);
    if (!common) out.problems.push("suit-common is not a map");
  } catch (e) {
    out.problems.push((e as Error).message);
  }
  const comps = common?.get(2);
  if (Array.isArray(comps))
    for (const c of comps.slice(0, 256))
      out.components.push(Array.isArray(c) ? c.filter(isBytes).map((b) => hex(b)) : []);
  const n = Math.max(out.components.length, 1);
  const shared = common?.get(4);
  if (isBytes(shared)) walkSequence("shared-sequence", shared, n, out.commands);
  for (const [k, name] of Object.entries(SEQUENCES)) {
    const v = m.get(Number(k));
    if (isBytes(v)) walkSequence(name, v, n, out.commands);
  }
  for (const [k, name] of Object.entries(SEVERABLE)) {
    const v = m.get(Number(k));
    if (v === undefined) continue;
    const entry = out.severable.find((s) => s.key === Number(k));
    if (Array.isArray(v)) {
      try {
        const digest = readDigest(v, `the ${name} digest`);
        if (entry) entry.digest = digest;
        else out.severable.push({ key: Number(k), name, digest, inManifest: false });
      } catch (e) {
        out.problems.push((e as Error).message);
      }
    } else if (entry) entry.inManifest = true;
  }
  // A severable member sent in the envelope is walked when the manifest holds its digest.
  for (const s of out.severable)
    if (
      s.inEnvelope &&
      s.digest &&
      s.key !== 23 &&
      digestOf(s.digest, bstrWrapped(s.inEnvelope)) === s.digest.bytes
    )
      walkSequence(s.name, s.inEnvelope, n, out.commands);
  out.problems.push(...out.commands.problems);
  return out;
}

/** Verifies one COSE signature with a key: ECDSA signatures are r||s (IEEE P1363), as COSE writes them. */
export function verifyCose(
  sig: { toBeSigned: Uint8Array; signature: Uint8Array; algorithmId?: number },
  key: KeyObject,
): boolean {
  const alg = sig.algorithmId === undefined ? undefined : COSE_ALGORITHMS[sig.algorithmId];
  if (!alg) return false;
  try {
    if (alg.type === "ed") {
      if (key.asymmetricKeyType !== "ed25519" && key.asymmetricKeyType !== "ed448") return false;
      return cryptoVerify(null, sig.toBeSigned, key, sig.signature);
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== alg.curve) return false;
    return cryptoVerify(
      alg.hash as string,
      sig.toBeSigned,
      { key, dsaEncoding: "ieee-p1363" },
      sig.signature,
    );
  } catch {
    return false;
  }
}
