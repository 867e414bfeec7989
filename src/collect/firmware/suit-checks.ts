/**
 * The checks on a SUIT envelope: structure, the manifest digest, the COSE signatures with the
 * supplied keys, the sequence number, vendor and class identifiers, image digests (against the
 * integrated payloads and a supplied target) and severable members. Loaded by the firmware
 * collector only for SUIT input (it pulls in cbor2).
 */
import { createHash, type KeyObject } from "node:crypto";
import type { CheckList } from "../support/report.js";
import { knownBySpki } from "./known-keys.js";
import { bstrWrapped, digestOf, readSuit, type SuitEnvelope, SuitError, verifyCose } from "./suit.js";

export interface SuitSummary {
  manifestVersion?: number;
  sequenceNumber?: number;
  referenceUri?: string;
  components: string[][];
  vendorIds: string[];
  classIds: string[];
  deviceIds: string[];
  images: { component: number; algorithm?: string; digest?: string; size?: number }[];
  authentication: { type: string; algorithm?: string; kid?: string }[];
  sequences: Record<string, string[]>;
  severable: string[];
  integratedPayloads: { key: string; bytes: number }[];
  uris: string[];
}

const spkiHash = (k: KeyObject) =>
  createHash("sha256")
    .update(k.export({ type: "spki", format: "der" }))
    .digest("hex");

/** Runs the SUIT checks; returns the envelope's summary, or undefined when it cannot be read. */
export function checkSuit(
  bytes: Uint8Array,
  checks: CheckList,
  keys: KeyObject[],
  target: Uint8Array | undefined,
): SuitSummary | undefined {
  let env: SuitEnvelope;
  try {
    env = readSuit(bytes);
  } catch (e) {
    if (!(e instanceof SuitError)) throw e;
    checks.fail("suit.envelope", e.message);
    return undefined;
  }
  if (env.bareManifest)
    checks.fail(
      "suit.envelope",
      "a bare SUIT manifest (tag 1070): no envelope, so no authentication wrapper",
    );
  else
    checks.pass(
      "suit.envelope",
      `SUIT envelope: authentication wrapper with ${env.authBlocks.length} blocks, manifest of ${env.manifestBytes.length} bytes`,
    );

  const structure: string[] = [...env.problems];
  if (env.version !== 1) structure.push(`manifest version ${env.version ?? "missing"} (must be 1)`);
  if (env.sequenceNumber === undefined) structure.push("no sequence number (key 2, an unsigned integer)");
  if (env.components.length === 0) structure.push("suit-common names no component");
  for (const p of structure.slice(0, 50)) checks.fail("suit.manifest", p);
  if (structure.length === 0)
    checks.pass(
      "suit.manifest",
      `version 1, ${env.components.length} components, sequences ${Object.keys(env.commands.sequences).join(", ") || "none"}`,
    );

  if (env.digest) {
    const actual = digestOf(env.digest, bstrWrapped(env.manifestBytes));
    if (actual === undefined)
      checks.warn("suit.digest", `${env.digest.algorithm} digest: Cairn cannot compute it, not checked`);
    else if (actual === env.digest.bytes)
      checks.pass("suit.digest", `${env.digest.algorithm} of the manifest matches`);
    else
      checks.fail(
        "suit.digest",
        `the ${env.digest.algorithm} digest does not match the manifest: changed after signing`,
      );
  }

  const sigs = env.authBlocks.flatMap((b) => b.signatures);
  const types = env.authBlocks.map((b) => `${b.type}${b.algorithm ? ` ${b.algorithm}` : ""}`);
  let verifiedWith: KeyObject | undefined;
  if (env.bareManifest) checks.fail("suit.signature", "a bare manifest is not authenticated");
  else if (sigs.length === 0)
    checks.fail(
      "suit.signature",
      env.authBlocks.length === 0
        ? "the authentication wrapper holds no COSE signature: the manifest is not signed"
        : `no signature Cairn can verify (${types.join(", ")}): a MAC needs a shared secret the device holds`,
    );
  else if (keys.length === 0)
    checks.warn("suit.signature", `${types.join(", ")} present; no key supplied (option keys): not verified`);
  else {
    for (const s of sigs) for (const k of keys) if (!verifiedWith && verifyCose(s, k)) verifiedWith = k;
    if (verifiedWith && checks.failed("suit.digest"))
      checks.fail(
        "suit.signature",
        `${types.join(", ")} verifies over a digest that does not match the manifest`,
      );
    else if (verifiedWith)
      checks.pass(
        "suit.signature",
        `${types.join(", ")} verifies with the supplied ${verifiedWith.asymmetricKeyType} key`,
      );
    else checks.fail("suit.signature", `${types.join(", ")} does not verify with any supplied key`);
  }
  const dev = keys.map((k) => knownBySpki(spkiHash(k))).filter((k) => k !== undefined);
  if (dev.length > 0)
    for (const k of dev)
      checks.fail(
        "firmware.development-key",
        `the supplied key is ${k.source}: anyone can sign such a manifest`,
      );
  else checks.pass("firmware.development-key", "no published development key");

  if (env.sequenceNumber !== undefined)
    checks.info(
      "suit.sequence-number",
      `sequence number ${env.sequenceNumber}: a device refuses a manifest whose number is not above the one it runs`,
    );

  const seqs = env.commands.sequences;
  const has = (cmd: string) => Object.values(seqs).some((l) => l.includes(cmd));
  const ids: string[] = [];
  if (env.commands.vendorIds.length === 0) ids.push("no vendor identifier is set");
  else if (!has("condition-vendor-identifier")) ids.push("the vendor identifier is set but never checked");
  if (env.commands.classIds.length === 0) ids.push("no class identifier is set");
  else if (!has("condition-class-identifier")) ids.push("the class identifier is set but never checked");
  if (ids.length > 0)
    checks.fail(
      "suit.identifiers",
      `${ids.join("; ")}: the manifest can be installed on devices it was not made for (RFC 9124 REQ.SEC.COMPATIBLE)`,
    );
  else
    checks.pass(
      "suit.identifiers",
      `vendor ${env.commands.vendorIds.join(", ")}, class ${env.commands.classIds.join(", ")}, both checked`,
    );

  const images = env.commands.images;
  if (images.length === 0 || images.every((i) => !i.digest))
    checks.fail("suit.image-digest", "no image digest is set");
  else if (!has("condition-image-match"))
    checks.fail("suit.image-digest", "an image digest is set but no image-match condition checks it");
  else {
    const payloads = [
      ...env.integrated.map((p) => ({ what: `integrated payload ${p.key}`, bytes: p.bytes })),
      ...(target ? [{ what: "the supplied target", bytes: target }] : []),
    ];
    let mismatch = false;
    for (const p of payloads) {
      const hit = images.find(
        (i) =>
          i.digest &&
          digestOf(i.digest, p.bytes) === i.digest.bytes &&
          (i.size === undefined || i.size === p.bytes.length),
      );
      if (hit)
        checks.pass("suit.image-digest", `${p.what} matches component ${hit.component}'s digest and size`);
      else {
        mismatch = true;
        checks.fail(
          "suit.image-digest",
          `${p.what} (${p.bytes.length} bytes) matches no image digest and size`,
        );
      }
    }
    if (payloads.length === 0 && !mismatch)
      checks.pass(
        "suit.image-digest",
        `${images.filter((i) => i.digest).length} image digests set and checked by image-match (no payload supplied: option target)`,
      );
  }

  for (const s of env.severable) {
    if (s.inEnvelope && s.digest) {
      const ok = digestOf(s.digest, bstrWrapped(s.inEnvelope)) === s.digest.bytes;
      if (ok) checks.pass("suit.severable", `${s.name}: the envelope's member matches the manifest's digest`);
      else
        checks.fail(
          "suit.severable",
          `${s.name}: the envelope's member does not match the manifest's digest`,
        );
    } else if (s.inEnvelope)
      checks.fail("suit.severable", `${s.name} is in the envelope but the manifest holds no digest of it`);
    else checks.info("suit.severable", `${s.name} was severed: only its digest is in the manifest`);
  }

  return {
    ...(env.version !== undefined ? { manifestVersion: env.version } : {}),
    ...(env.sequenceNumber !== undefined ? { sequenceNumber: env.sequenceNumber } : {}),
    ...(env.referenceUri ? { referenceUri: env.referenceUri } : {}),
    components: env.components,
    vendorIds: env.commands.vendorIds,
    classIds: env.commands.classIds,
    deviceIds: env.commands.deviceIds,
    images: images.map((i) => ({
      component: i.component,
      ...(i.digest ? { algorithm: i.digest.algorithm, digest: i.digest.bytes } : {}),
      ...(i.size !== undefined ? { size: i.size } : {}),
    })),
    authentication: env.authBlocks.map((b) => ({
      type: b.type,
      ...(b.algorithm ? { algorithm: b.algorithm } : {}),
      ...(b.kid ? { kid: b.kid } : {}),
    })),
    sequences: seqs,
    severable: env.severable.map((s) => s.name),
    integratedPayloads: env.integrated.map((p) => ({ key: p.key, bytes: p.bytes.length })),
    uris: env.commands.uris,
  };
}
