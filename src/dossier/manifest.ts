import type { Problem } from "../core/problem.js";
import {
  DOSSIER_FILES,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestEntry,
  type VerifyResult,
} from "./model.js";
import { byKey, sha256Hex, utf8 } from "./util.js";

const SELF = /"manifestSha256": "([0-9a-f]{64})"/;

/** manifest.json's text with its own hash blanked: what `manifestSha256` is the SHA-256 of. */
function blanked(text: string): string {
  return text.replace(SELF, '"manifestSha256": ""');
}

/**
 * manifest.json for the given files (every file of the dossier but the manifest): entries sorted by
 * path, then `manifestSha256` = SHA-256 of the manifest's own bytes with that value empty.
 */
export function buildManifest(
  files: ReadonlyMap<string, Uint8Array>,
  meta: Omit<Manifest, "format" | "files" | "manifestSha256">,
): { manifest: Manifest; bytes: Uint8Array } {
  const entries: ManifestEntry[] = byKey(
    [...files]
      .filter(([path]) => path !== DOSSIER_FILES.manifest)
      .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length })),
    (e) => e.path,
  );
  const manifest: Manifest = { format: MANIFEST_FORMAT, ...meta, files: entries, manifestSha256: "" };
  const draft = `${JSON.stringify(manifest, null, 2)}\n`;
  manifest.manifestSha256 = sha256Hex(draft);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  return { manifest, bytes: utf8(text) };
}

/** A file of a dossier as verification needs it: its SHA-256 and size (the bytes can be streamed past). */
export interface FileDigest {
  sha256: string;
  size: number;
}

/** The digests of files held in memory. */
export function digestsOf(files: ReadonlyMap<string, Uint8Array>): Map<string, FileDigest> {
  const out = new Map<string, FileDigest>();
  for (const [path, bytes] of files) out.set(path, { sha256: sha256Hex(bytes), size: bytes.length });
  return out;
}

/** Re-checks a dossier held in memory against its manifest (see `verifyManifest`). */
export function verifyDossier(files: ReadonlyMap<string, Uint8Array>): VerifyResult {
  return verifyManifest(files.get(DOSSIER_FILES.manifest), digestsOf(files));
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    m.format === MANIFEST_FORMAT &&
    Array.isArray(m.files) &&
    m.files.every((f: unknown) => {
      if (typeof f !== "object" || f === null) return false;
      const e = f as Record<string, unknown>;
      return typeof e.path === "string" && typeof e.sha256 === "string" && typeof e.size === "number";
    })
  );
}

/**
 * Re-checks a dossier against its manifest: the manifest's own hash, then every file's SHA-256
 * and size. Names each file changed, missing or added. `files` holds every file of the dossier
 * (the manifest and its signature included, which the manifest does not list).
 */
export function verifyManifest(
  raw: Uint8Array | undefined,
  files: ReadonlyMap<string, FileDigest>,
): VerifyResult {
  const problems: Problem[] = [];
  const result: VerifyResult = {
    ok: false,
    changed: [],
    missing: [],
    added: [],
    manifestIntact: false,
    problems,
  };
  if (!raw) {
    problems.push({
      source: DOSSIER_FILES.manifest,
      message: "missing: not a Cairn dossier, or its manifest was removed",
    });
    return result;
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(raw);
  let manifest: Manifest | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isManifest(parsed)) manifest = parsed;
  } catch {
    manifest = undefined;
  }
  if (!manifest) {
    problems.push({ source: DOSSIER_FILES.manifest, message: `not a ${MANIFEST_FORMAT} manifest` });
    result.changed.push(DOSSIER_FILES.manifest);
    return result;
  }
  result.manifest = manifest;
  const claimed = SELF.exec(text)?.[1];
  result.manifestIntact = claimed !== undefined && claimed === sha256Hex(blanked(text));
  if (!result.manifestIntact) {
    result.changed.push(DOSSIER_FILES.manifest);
    problems.push({
      source: DOSSIER_FILES.manifest,
      message: "changed: its SHA-256 does not match manifestSha256",
    });
  }
  // A Set and Map lookups only: a path such as `__proto__` is a path like any other.
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    if (
      listed.has(entry.path) ||
      entry.path === DOSSIER_FILES.manifest ||
      entry.path === DOSSIER_FILES.signature
    ) {
      problems.push({
        source: DOSSIER_FILES.manifest,
        message: `lists ${JSON.stringify(entry.path)} twice or lists itself`,
      });
      result.changed.push(DOSSIER_FILES.manifest);
      continue;
    }
    listed.add(entry.path);
    const file = files.get(entry.path);
    if (!file) {
      result.missing.push(entry.path);
      problems.push({ source: entry.path, message: "missing" });
      continue;
    }
    if (file.sha256 !== entry.sha256 || file.size !== entry.size) {
      result.changed.push(entry.path);
      problems.push({
        source: entry.path,
        message: `changed: SHA-256 ${file.sha256} (${file.size} bytes), the manifest says ${entry.sha256} (${entry.size} bytes)`,
      });
    }
  }
  for (const path of byKey([...files.keys()], (p) => p)) {
    if (path === DOSSIER_FILES.manifest || path === DOSSIER_FILES.signature || listed.has(path)) continue;
    result.added.push(path);
    problems.push({ source: path, message: "added: not listed in the manifest" });
  }
  result.ok = problems.length === 0;
  return result;
}
