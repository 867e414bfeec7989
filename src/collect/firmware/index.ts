/**
 * The signed-firmware collector: MCUboot images (header, TLVs, hash, signature with the user's
 * key), SUIT envelopes (manifest digest, COSE signatures, identifiers, image digests) and TUF
 * repository metadata (roles, thresholds, expiry, signatures, target hashes). Any image or
 * metadata signed with a publicly known development key fails, whatever key is supplied.
 */

import { createHash, type KeyObject } from "node:crypto";
import { basename } from "node:path";
import { CairnError } from "../../core/problem.js";
import type {
  CheckDefinition,
  Collector,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
} from "../contract.js";
import { readOptionFiles } from "../support/option-files.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  dayStart,
  decodeUtf8,
  head,
  optionBytes,
  optionString,
  parseJson,
} from "../support/report.js";
import { knownByKeyHash, knownBySpki } from "./known-keys.js";
import {
  hashOf,
  looksLikeMcuboot,
  mcubootPublicBytes,
  parseMcuboot,
  readKey,
  signatureTlvs,
  verifyImageSignature,
} from "./mcuboot.js";

export const FIRMWARE_CHECKS: readonly CheckDefinition[] = [
  { id: "firmware.format", description: "The input is an MCUboot image, a SUIT envelope or TUF metadata." },
  {
    id: "firmware.development-key",
    description:
      "No signature, key hash or supplied key is a publicly known development key (MCUboot's root-*.pem).",
  },
  {
    id: "mcuboot.header",
    description: "Magic, header size, image size within the file; version and flags read.",
  },
  {
    id: "mcuboot.tlv",
    description: "Protected and unprotected TLV areas: magics, sizes, entries within bounds.",
  },
  {
    id: "mcuboot.hash",
    description: "The SHA-256/384/512 TLV equals the hash of header, body and protected TLVs.",
  },
  {
    id: "mcuboot.signature",
    description: "A signature TLV verifies with the supplied public key (RSA-PSS, ECDSA, Ed25519).",
  },
  { id: "mcuboot.key-hash", description: "The KEYHASH (or PUBKEY) TLV names the supplied key." },
  {
    id: "mcuboot.security-counter",
    description: "A security counter TLV (SEC_CNT) for rollback protection (warn when absent).",
  },
  { id: "mcuboot.encryption", description: "The image is encrypted, and how (info)." },
  {
    id: "suit.envelope",
    description:
      "A SUIT envelope (CBOR tag 107) with an authentication wrapper and a manifest, each a byte string holding CBOR (a bare manifest, tag 1070, fails: it is not authenticated).",
  },
  {
    id: "suit.manifest",
    description:
      "Manifest version 1, a sequence number, components in suit-common; command sequences are pairs of command and argument.",
  },
  {
    id: "suit.digest",
    description:
      "The authentication wrapper's SUIT_Digest equals the digest of the bstr-wrapped manifest (SHA-256/384/512).",
  },
  {
    id: "suit.signature",
    description:
      "A COSE_Sign1 (or COSE_Sign signer) over the digest verifies with a supplied key (ES256, ES384, ES512, EdDSA); unsigned or MAC-only fails.",
  },
  {
    id: "suit.sequence-number",
    description: "The sequence number devices compare for rollback protection (info).",
  },
  {
    id: "suit.identifiers",
    description:
      "Vendor and class identifiers are set and checked by conditions (RFC 9124 REQ.SEC.COMPATIBLE).",
  },
  {
    id: "suit.image-digest",
    description:
      "Image digests are set and checked by an image-match condition; integrated payloads and a supplied target (option target) match a digest and size.",
  },
  {
    id: "suit.severable",
    description:
      "Severable members (install, payload-fetch, text) carried in the envelope match their digests in the manifest.",
  },
  { id: "tuf.metadata", description: "TUF metadata that the TUF models read (spec version 1.x)." },
  { id: "tuf.expiry", description: "The metadata has not expired on the assessment date." },
  {
    id: "tuf.roles",
    description:
      "Root: the four top-level roles, thresholds within their keys, keys defined; root threshold above 1.",
  },
  {
    id: "tuf.keys",
    description:
      "Root: key schemes are the TUF specification's (ed25519, ecdsa-sha2-nistp256/384, rsassa-pss-sha256).",
  },
  {
    id: "tuf.signatures",
    description:
      "Enough valid signatures by the role's keys (threshold), against the root itself or a trusted root (option root).",
  },
  { id: "tuf.targets", description: "Targets: every target has a length and a SHA-256 or SHA-512 hash." },
  {
    id: "tuf.target-file",
    description: "A supplied target file (option target, targetName) matches its listed length and hashes.",
  },
];

const TOOL = {
  name: "cairn firmware collector (@tufjs/models 4.1.1, cbor2 2.3.0)",
  version: CAIRN_COLLECTOR_VERSION,
};

function collectMcuboot(input: CollectorInput, context: CollectorContext, checks: CheckList) {
  const image = parseMcuboot(input.bytes);
  if ("error" in image) {
    checks.fail("mcuboot.header", image.error);
    return buildReport("firmware", "mcuboot", false, checks, [], input, TOOL);
  }
  checks.pass(
    "mcuboot.header",
    `version ${image.version}, header ${image.headerSize} bytes, image ${image.imageSize} bytes${image.flags.length ? `, flags ${image.flags.join(", ")}` : ""}`,
  );
  for (const p of image.problems) checks.fail("mcuboot.tlv", p);
  if (image.problems.length === 0) checks.pass("mcuboot.tlv", image.tlvs.map((t) => t.name).join(", "));

  const h = hashOf(image);
  if (!h.tlv) checks.fail("mcuboot.hash", "no SHA-256/384/512 TLV");
  else if (h.matches) checks.pass("mcuboot.hash", `${h.algorithm} matches`);
  else
    checks.fail(
      "mcuboot.hash",
      `${h.algorithm} TLV does not match the image: the image was changed after signing`,
    );
  const digest = h.tlv ? h.tlv.value : undefined;

  const keys: KeyObject[] = [];
  for (const m of optionBytes(context.options, "keys")) {
    try {
      keys.push(readKey(m));
    } catch (e) {
      throw new CairnError(
        `--keys: a file is not a public or private key (PEM or DER): ${(e as Error).message}`,
      );
    }
  }
  const spkiHash = (k: KeyObject) =>
    createHash("sha256")
      .update(k.export({ type: "spki", format: "der" }))
      .digest("hex");

  // Published development keys: by the image's key hash or embedded key, and by the supplied keys.
  const dev: string[] = [];
  for (const t of image.tlvs.filter((x) => x.type === 0x01)) {
    const k = knownByKeyHash(Buffer.from(t.value).toString("hex"));
    if (k) dev.push(`the image's KEYHASH is that of ${k.source}`);
  }
  for (const t of image.tlvs.filter((x) => x.type === 0x02)) {
    // imgtool embeds RSA keys as PKCS#1 and others as SubjectPublicKeyInfo: the key-hash list covers both.
    const sha = createHash("sha256").update(t.value).digest("hex");
    const k = knownByKeyHash(sha) ?? knownBySpki(sha);
    if (k) dev.push(`the image embeds ${k.source}`);
  }
  for (const k of keys) {
    const known = knownBySpki(spkiHash(k));
    if (known) dev.push(`the supplied key is ${known.source}`);
  }

  const sigs = signatureTlvs(image);
  let verifiedWith: KeyObject | undefined;
  if (sigs.length === 0) checks.fail("mcuboot.signature", "the image is not signed (no signature TLV)");
  else if (keys.length === 0)
    checks.warn(
      "mcuboot.signature",
      `${sigs.map((s) => s.name).join(", ")} present; no key supplied (option keys): not verified`,
    );
  else {
    for (const s of sigs)
      for (const k of keys) if (!verifiedWith && verifyImageSignature(image, s, k, digest)) verifiedWith = k;
    if (verifiedWith)
      checks.pass(
        "mcuboot.signature",
        `${sigs.map((s) => s.name).join(", ")} verifies with the supplied ${verifiedWith.asymmetricKeyType} key`,
      );
    else
      checks.fail(
        "mcuboot.signature",
        `${sigs.map((s) => s.name).join(", ")} does not verify with any supplied key`,
      );
  }
  const keyHashTlv = image.tlvs.find((t) => t.type === 0x01);
  if (keyHashTlv && keys.length > 0) {
    const alg = keyHashTlv.value.length === 48 ? "sha384" : "sha256";
    const match = keys.some((k) =>
      createHash(alg).update(mcubootPublicBytes(k)).digest().equals(Buffer.from(keyHashTlv.value)),
    );
    if (match) checks.pass("mcuboot.key-hash", "KEYHASH names a supplied key");
    else checks.fail("mcuboot.key-hash", "KEYHASH names a key other than those supplied");
  }
  if (dev.length)
    for (const m of dev) checks.fail("firmware.development-key", `${m}: anyone can sign such an image`);
  else checks.pass("firmware.development-key", "no published development key");

  const counter = image.tlvs.find((t) => t.type === 0x50 && t.protected);
  if (counter && counter.value.length === 4)
    checks.pass("mcuboot.security-counter", `security counter ${Buffer.from(counter.value).readUInt32LE(0)}`);
  else
    checks.warn(
      "mcuboot.security-counter",
      "no protected SEC_CNT TLV: no hardware rollback protection by counter",
    );
  const enc = image.tlvs.filter((t) => t.type >= 0x30 && t.type <= 0x34).map((t) => t.name);
  checks.info("mcuboot.encryption", enc.length ? `encrypted (${enc.join(", ")})` : "not encrypted");

  const valid = !checks.failed("mcuboot.header") && !checks.failed("mcuboot.tlv");
  return buildReport("firmware", "mcuboot", valid, checks, propose(checks, "mcuboot"), input, TOOL, {
    image: {
      version: image.version,
      loadAddress: image.loadAddress,
      headerSize: image.headerSize,
      imageSize: image.imageSize,
      flags: image.flags,
      tlvs: image.tlvs.map((t) => ({
        type: t.type,
        name: t.name,
        length: t.value.length,
        protected: t.protected,
      })),
    },
  });
}

/** A SUIT envelope (tag 107, a map follows) or a tagged manifest (tag 1070): the first bytes tell. */
function looksLikeSuit(bytes: Uint8Array): boolean {
  return (
    (bytes[0] === 0xd8 && bytes[1] === 0x6b && (bytes[2] ?? 0) >> 5 === 5) ||
    (bytes[0] === 0xd9 && bytes[1] === 0x04 && bytes[2] === 0x2e && (bytes[3] ?? 0) >> 5 === 5)
  );
}

async function collectSuit(input: CollectorInput, context: CollectorContext, checks: CheckList) {
  // cbor2 is loaded only for SUIT input, so detection and `--help` stay light.
  const { checkSuit } = await import("./suit-checks.js");
  const keys = optionBytes(context.options, "keys").map((m) => {
    try {
      return readKey(m);
    } catch (e) {
      throw new CairnError(
        `--keys: a file is not a public or private key (PEM or DER): ${(e as Error).message}`,
      );
    }
  });
  const summary = checkSuit(input.bytes, checks, keys, optionBytes(context.options, "target")[0]);
  const valid = !checks.failed("suit.envelope") && !checks.failed("suit.manifest") && summary !== undefined;
  return buildReport(
    "firmware",
    "suit",
    valid,
    checks,
    summary ? propose(checks, "suit") : [],
    input,
    TOOL,
    summary ? { suit: summary } : {},
  );
}

/**
 * A verified signature with the manufacturer's key shows that the update is signed and that the
 * format supports verification: support for the update-verification items, not proof that the
 * device checks it. A missing, broken or development-key signature proves the failure.
 */
function propose(checks: CheckList, kind: "mcuboot" | "suit" | "tuf"): CollectorProposal[] {
  const sigId =
    kind === "mcuboot" ? "mcuboot.signature" : kind === "suit" ? "suit.signature" : "tuf.signatures";
  const basis =
    kind === "mcuboot"
      ? [sigId, "mcuboot.hash", "firmware.development-key"]
      : kind === "suit"
        ? [sigId, "suit.digest", "suit.image-digest", "firmware.development-key"]
        : [sigId, "tuf.expiry", "firmware.development-key"];
  const failed = basis.filter((id) => checks.failed(id));
  const verified = checks.passed(sigId);
  const items = [
    "nist-ir-8259a:5.2",
    "nist-sp-800-213a:T5.1.5",
    "nist-sp-800-213a:T5.2.2",
    "etsi-en-303-645:5.3-9",
    "etsi-en-303-645:5.3-10",
    "eu-cra:annex-i.part-ii.7",
    "eu-cra:annex-i.part-i.2.f",
  ];
  if (failed.length === 0 && !verified) return [];
  const verdict = failed.length > 0 ? "fail" : "pass";
  const reason =
    failed.length > 0
      ? `the update's signature fails: ${failed.map((id) => checks.items.find((c) => c.id === id && c.result === "fail")?.message).join("; ")}`
      : `the ${kind === "mcuboot" ? "image" : kind === "suit" ? "manifest" : "metadata"} is signed and verifies with the manufacturer's key; whether the device enforces the check is not shown`;
  return items.map((item) => ({
    item,
    verdict,
    strength: verdict === "fail" ? "proves" : "supports",
    reason,
    checks: basis,
  }));
}

export const firmwareCollector: Collector = {
  kind: "firmware",
  title: "Signed firmware and updates (MCUboot images, SUIT envelopes, TUF metadata)",
  checks: FIRMWARE_CHECKS,
  options: [
    {
      name: "keys",
      arg: "<file>",
      description:
        "public or private key, PEM or DER, an MCUboot image's or SUIT manifest's signature must verify with (repeatable)",
      repeatable: true,
    },
    {
      name: "root",
      arg: "<file>",
      description:
        "a trusted TUF root.json the signatures of targets, snapshot or timestamp metadata are checked with",
    },
    {
      name: "target",
      arg: "<file>",
      description:
        "a target file to check against TUF targets metadata (length and hashes) or a SUIT manifest's image digest and size",
    },
    {
      name: "target-name",
      arg: "<name>",
      description: "the target's name in the targets metadata (default: the --target file's name)",
    },
  ],

  async prepare(options) {
    const out = readOptionFiles(options, ["keys", "root"]);
    // A file that is no key is named here, where its path is known; `collect` sees only bytes.
    const paths = Array.isArray(options.keys) ? options.keys : [options.keys];
    (out.keys as Uint8Array[] | undefined)?.forEach((bytes, i) => {
      try {
        readKey(bytes);
      } catch (e) {
        throw new CairnError(
          `--keys ${typeof paths[i] === "string" ? paths[i] : `#${i + 1}`}: not a public or private key (PEM or DER): ${(e as Error).message}`,
        );
      }
    });
    // A target is an update image: bounded by the input limit of the run, not by the key-file limit.
    const target = readOptionFiles(options, ["target"], 256 * 1024 * 1024);
    if (target.target !== undefined) {
      out.target = target.target;
      if (out["target-name"] === undefined && typeof options.target === "string")
        out["target-name"] = basename(options.target);
    }
    return out;
  },

  detect(bytes) {
    if (looksLikeMcuboot(bytes)) return 0.95;
    if (looksLikeSuit(bytes)) return 0.95;
    const start = head(bytes, 2048);
    if (
      /^\s*\{/.test(start) &&
      /"signed"\s*:/.test(start) &&
      /"_type"\s*:\s*"(root|targets|snapshot|timestamp)"/.test(start)
    )
      return 0.9;
    if (/^\s*\{/.test(start) && /"signatures"\s*:/.test(start) && /"keyid"/.test(start)) return 0.6;
    return 0;
  },

  async collect(input, context) {
    const checks = new CheckList(FIRMWARE_CHECKS);
    if (looksLikeMcuboot(input.bytes)) {
      checks.pass("firmware.format", "MCUboot image");
      return collectMcuboot(input, context, checks);
    }
    if (looksLikeSuit(input.bytes)) {
      checks.pass("firmware.format", "SUIT envelope or manifest (CBOR)");
      return collectSuit(input, context, checks);
    }
    // @tufjs/models is loaded only for TUF metadata, so detection and `--help` stay light.
    const { checkTuf, looksLikeTuf } = await import("./tuf.js");
    const text = decodeUtf8(input.bytes);
    const parsed = text === undefined ? undefined : parseJson(text);
    if (!parsed?.ok || !looksLikeTuf(parsed.value)) {
      checks.fail(
        "firmware.format",
        "neither an MCUboot image (magic 0x96f3b83d), a SUIT envelope (CBOR tag 107) nor TUF metadata (signed._type)",
      );
      return buildReport("firmware", "unknown", false, checks, [], input, TOOL);
    }
    checks.pass("firmware.format", `TUF ${parsed.value.signed._type} metadata`);
    const rootBytes = optionBytes(context.options, "root")[0];
    let trustedRoot: unknown;
    if (rootBytes) {
      const r = parseJson(decodeUtf8(rootBytes) ?? "");
      if (!r.ok) throw new CairnError(`--root: not JSON: ${r.error}`);
      trustedRoot = r.value;
    }
    const targetBytes = optionBytes(context.options, "target")[0];
    const targetName = optionString(context.options, "target-name");
    const summary = checkTuf(
      parsed.value,
      checks,
      dayStart(context.date),
      trustedRoot,
      targetBytes ? { bytes: targetBytes, ...(targetName ? { name: targetName } : {}) } : undefined,
    );
    const valid = !checks.failed("tuf.metadata") && !checks.failed("tuf.roles");
    return buildReport(
      "firmware",
      `tuf-${parsed.value.signed._type}`,
      valid,
      checks,
      propose(checks, "tuf"),
      input,
      TOOL,
      {
        tuf: summary,
      },
    );
  },
};

export default firmwareCollector;
