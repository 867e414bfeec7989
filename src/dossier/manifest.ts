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

/**
 * Re-checks a dossier against its manifest: the manifest's own hash, then every file's SHA-256
 * and size. Names each file changed, missing or added.
 */
export function verifyDossier(files: ReadonlyMap<string, Uint8Array>): VerifyResult {
  const problems: Problem[] = [];
  const result: VerifyResult = {
    ok: false,
    changed: [],
    missing: [],
    added: [],
    manifestIntact: false,
    problems,
  };
  const raw = files.get(DOSSIER_FILES.manifest);
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
    const parsed = JSON.parse(text) as Manifest;
    if (
      parsed &&
      parsed.format === MANIFEST_FORMAT &&
      Array.isArray(parsed.files) &&
      parsed.files.every(
        (f) => typeof f?.path === "string" && typeof f.sha256 === "string" && typeof f.size === "number",
      )
    )
      manifest = parsed;
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
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = files.get(entry.path);
    if (!bytes) {
      result.missing.push(entry.path);
      problems.push({ source: entry.path, message: "missing" });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256 || bytes.length !== entry.size) {
      result.changed.push(entry.path);
      problems.push({
        source: entry.path,
        message: `changed: SHA-256 ${actual} (${bytes.length} bytes), the manifest says ${entry.sha256} (${entry.size} bytes)`,
      });
    }
  }
  for (const path of byKey([...files.keys()], (p) => p)) {
    if (path === DOSSIER_FILES.manifest || listed.has(path)) continue;
    result.added.push(path);
    problems.push({ source: path, message: "added: not listed in the manifest" });
  }
  result.ok = problems.length === 0;
  return result;
}
