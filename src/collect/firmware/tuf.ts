/**
 * TUF repository metadata (root, targets, snapshot, timestamp) read and verified with the TUF
 * project's own models (@tufjs/models): roles and thresholds, expiry, signatures counted per key,
 * target hashes and lengths.
 */
import { createHash } from "node:crypto";
import { Metadata, MetadataKind, type Root, type Targets } from "@tufjs/models";
import type { CheckList } from "../support/report.js";
import { isRecord } from "../support/report.js";

type AnyMetadata =
  | Metadata<Root>
  | Metadata<Targets>
  | Metadata<import("@tufjs/models").Snapshot>
  | Metadata<import("@tufjs/models").Timestamp>;

export function looksLikeTuf(doc: unknown): doc is { signed: { _type: string }; signatures: unknown[] } {
  return (
    isRecord(doc) &&
    isRecord(doc.signed) &&
    typeof doc.signed._type === "string" &&
    ["root", "targets", "snapshot", "timestamp"].includes(doc.signed._type) &&
    Array.isArray(doc.signatures)
  );
}

function read(doc: { signed: { _type: string } }): AnyMetadata {
  const kind = doc.signed._type as MetadataKind;
  // biome-ignore lint/suspicious/noExplicitAny: the models take their own JSON type
  return Metadata.fromJSON(kind as MetadataKind.Root, doc as any) as AnyMetadata;
}

const KNOWN_SCHEMES = new Set(["ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "rsassa-pss-sha256"]);

/** Signatures of `meta` made by `role`'s keys in `root` that verify, and the role's threshold. */
function countSignatures(
  root: Metadata<Root>,
  role: string,
  meta: AnyMetadata,
): { valid: number; threshold: number; keys: number } {
  const r = root.signed.roles[role];
  if (!r) return { valid: 0, threshold: 1, keys: 0 };
  let valid = 0;
  for (const keyId of r.keyIDs) {
    const key = root.signed.keys[keyId];
    if (!key || !meta.signatures[keyId]) continue;
    try {
      key.verifySignature(meta);
      valid++;
    } catch {
      // a signature that does not verify counts for nothing
    }
  }
  return { valid, threshold: r.threshold, keys: r.keyIDs.length };
}

export interface TufSummary {
  type: string;
  version: number;
  expires: string;
  roles?: Record<string, { threshold: number; keys: number }>;
  targets?: { name: string; length: number; hashes: string[] }[];
}

export function checkTuf(
  doc: { signed: { _type: string } },
  checks: CheckList,
  date: Date,
  trustedRoot: unknown | undefined,
  target: { name?: string; bytes: Uint8Array } | undefined,
): TufSummary | undefined {
  let meta: AnyMetadata;
  try {
    meta = read(doc);
  } catch (e) {
    checks.fail("tuf.metadata", `not valid TUF ${doc.signed._type} metadata: ${(e as Error).message}`);
    return undefined;
  }
  const s = meta.signed;
  checks.pass("tuf.metadata", `${s.type} version ${s.version}, spec ${s.specVersion}`);
  if (!/^1\.\d+(\.\d+)?$/.test(s.specVersion))
    checks.warn("tuf.metadata", `spec_version ${s.specVersion} is not 1.x`);
  if (s.isExpired(date)) checks.fail("tuf.expiry", `expired on ${s.expires}, before the assessment date`);
  else checks.pass("tuf.expiry", `expires ${s.expires}`);
  const summary: TufSummary = { type: s.type, version: s.version, expires: s.expires };

  let root: Metadata<Root> | undefined;
  if (s.type === MetadataKind.Root) root = meta as Metadata<Root>;
  else if (trustedRoot !== undefined) {
    try {
      root = read(trustedRoot as { signed: { _type: string } }) as Metadata<Root>;
      if (root.signed.type !== MetadataKind.Root) throw new Error("the trusted root is not root metadata");
    } catch (e) {
      checks.fail("tuf.signatures", `the trusted root (option root) cannot be read: ${(e as Error).message}`);
      root = undefined;
    }
  }

  if (s.type === MetadataKind.Root) {
    const r = (meta as Metadata<Root>).signed;
    const problems: string[] = [];
    summary.roles = {};
    for (const role of ["root", "targets", "snapshot", "timestamp"]) {
      const def = r.roles[role];
      if (!def) {
        problems.push(`the top-level role ${role} is not defined`);
        continue;
      }
      summary.roles[role] = { threshold: def.threshold, keys: def.keyIDs.length };
      if (def.threshold > def.keyIDs.length)
        problems.push(`${role}: threshold ${def.threshold} exceeds its ${def.keyIDs.length} keys`);
      for (const id of def.keyIDs)
        if (!r.keys[id]) problems.push(`${role}: key ${id} is not among the root's keys`);
    }
    for (const m of problems) checks.fail("tuf.roles", m);
    if (problems.length === 0)
      checks.pass(
        "tuf.roles",
        Object.entries(summary.roles)
          .map(([k, v]) => `${k} ${v.threshold}/${v.keys}`)
          .join(", "),
      );
    if ((r.roles.root?.threshold ?? 0) < 2)
      checks.warn("tuf.roles", "the root role has a threshold of 1: one key can replace the root");
    const schemes = Object.values(r.keys).map((k) => k.scheme);
    const odd = schemes.filter((x) => !KNOWN_SCHEMES.has(x));
    if (odd.length) checks.warn("tuf.keys", `unusual signature schemes: ${[...new Set(odd)].join(", ")}`);
    else checks.pass("tuf.keys", [...new Set(schemes)].join(", "));
  }

  if (root) {
    const c = countSignatures(root, s.type, meta);
    const trusted = s.type === MetadataKind.Root ? "itself" : "the trusted root";
    if (c.valid >= c.threshold)
      checks.pass(
        "tuf.signatures",
        `${c.valid} of ${c.keys} keys signed (threshold ${c.threshold}), verified against ${trusted}`,
      );
    else
      checks.fail(
        "tuf.signatures",
        `${c.valid} valid signatures, threshold ${c.threshold} (keys: ${c.keys}), verified against ${trusted}`,
      );
  } else checks.warn("tuf.signatures", "no trusted root supplied (option root): signatures not verified");

  if (s.type === MetadataKind.Targets) {
    const t = (meta as Metadata<Targets>).signed;
    summary.targets = Object.values(t.targets).map((f) => ({
      name: f.path,
      length: f.length,
      hashes: Object.keys(f.hashes),
    }));
    const weak = summary.targets.filter((f) => !f.hashes.some((h) => h === "sha256" || h === "sha512"));
    for (const f of weak) checks.fail("tuf.targets", `${f.name} has no SHA-256 or SHA-512 hash`);
    if (weak.length === 0)
      checks.pass("tuf.targets", `${summary.targets.length} targets with lengths and SHA-2 hashes`);
    if (target) {
      const file = target.name ? t.targets[target.name] : undefined;
      if (!file)
        checks.fail(
          "tuf.target-file",
          `${target.name ?? "the target file"} is not listed in targets metadata`,
        );
      else {
        const bad: string[] = [];
        if (file.length !== target.bytes.length)
          bad.push(`length ${target.bytes.length}, listed ${file.length}`);
        for (const [alg, value] of Object.entries(file.hashes)) {
          const nodeAlg = alg === "sha256" ? "sha256" : alg === "sha512" ? "sha512" : undefined;
          if (nodeAlg && createHash(nodeAlg).update(target.bytes).digest("hex") !== value)
            bad.push(`${alg} differs`);
        }
        if (bad.length) checks.fail("tuf.target-file", `${file.path}: ${bad.join(", ")}`);
        else checks.pass("tuf.target-file", `${file.path}: length and hashes match`);
      }
    }
  }
  return summary;
}
