import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, extname, join } from "node:path";
import { CairnError, type Problem } from "../../core/problem.js";
import { type Json, parseJsonBytes } from "../json-access.js";
import {
  type FeedKind,
  feedKindOf,
  isSingleNvdRecord,
  type Parsed,
  parseKev,
  parseNvd,
  parseOsv,
} from "./feeds.js";
import type { Advisory, FeedInfo, FeedSet, KevEntry } from "./model.js";

/**
 * The feeds folder (default ./.cairn/feeds): `manifest.json` lists each import (kind, file, counts,
 * dates); `data/<sha256>.json` holds its records in Cairn's shape, so loading for a run is one
 * JSON.parse per import. Nothing is ever fetched: the operator imports files they downloaded.
 */

export const DEFAULT_FEEDS_DIR = join(".cairn", "feeds");
/** Largest feed file (or zip entry total) read, in bytes: NVD yearly files are ~100 MB. */
export const MAX_FEED_BYTES = 1024 * 1024 * 1024;

export function feedsDir(option: string | undefined): string {
  return option ?? process.env.CAIRN_FEEDS ?? DEFAULT_FEEDS_DIR;
}

interface Manifest {
  format: "cairn-feeds/1";
  feeds: FeedInfo[];
}

interface StoredFeed {
  kind: FeedKind;
  advisories?: Advisory[];
  kev?: KevEntry[];
}

function readManifest(dir: string): Manifest {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) return { format: "cairn-feeds/1", feeds: [] };
  const m = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  if (m.format !== "cairn-feeds/1" || !Array.isArray(m.feeds))
    throw new CairnError(`${file} is not a Cairn feeds manifest`);
  return m;
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export interface ImportResult {
  file: string;
  kind?: FeedKind;
  records: number;
  rejected: number;
  feedDate?: string;
  /** Already imported (same content), or not a feed Cairn reads. */
  skipped?: "already imported" | "not a feed";
  problems: Problem[];
}

async function parseText(bytes: Uint8Array, name: string): Promise<{ value: Json } | { problem: Problem }> {
  if (/\.ya?ml$/i.test(name)) {
    const { parse } = await import("yaml");
    try {
      return { value: parse(new TextDecoder().decode(bytes), { maxAliasCount: 100 }) as Json };
    } catch (err) {
      return { problem: { source: name, message: `not YAML: ${(err as Error).message}` } };
    }
  }
  const r = parseJsonBytes(bytes);
  return r.ok ? { value: r.value } : { problem: { source: name, message: `the file is ${r.message}` } };
}

function listFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  const stack = [path];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (/\.(json|ya?ml|zip)$/i.test(e.name)) out.push(p);
    }
  }
  return out.sort();
}

/** Files of a zip archive (OSV publishes one zip per ecosystem), within a total size bound. */
async function unzipEntries(bytes: Uint8Array, name: string): Promise<{ name: string; bytes: Uint8Array }[]> {
  const { unzipSync } = await import("fflate");
  let total = 0;
  const files = unzipSync(bytes, {
    filter: (f) => {
      total += f.originalSize;
      if (total > MAX_FEED_BYTES)
        throw new CairnError(`${name} unpacks to more than ${MAX_FEED_BYTES / 2 ** 20} MiB`);
      return /\.(json|ya?ml)$/i.test(f.name);
    },
  });
  return Object.entries(files).map(([n, b]) => ({ name: `${name}!${n}`, bytes: b }));
}

interface Group {
  parsed: Parsed<Advisory>;
  hash: ReturnType<typeof createHash>;
  files: string[];
}

function addToGroup(g: Group, p: Parsed<Advisory>, id: string, file: string): void {
  g.parsed.items.push(...p.items);
  g.parsed.problems.push(...p.problems);
  for (const d of [p.feedDate, p.oldestRecord]) {
    if (d && (!g.parsed.feedDate || d > g.parsed.feedDate)) g.parsed.feedDate = d;
    if (d && (!g.parsed.oldestRecord || d < g.parsed.oldestRecord)) g.parsed.oldestRecord = d;
  }
  g.hash.update(id);
  g.files.push(file);
}

/**
 * Imports a feed file or every feed file of a folder. OSV records of one folder (or zip) become one
 * import, and so do single NVD CVE records (per-CVE files); each NVD response, NVD feed or KEV file
 * is its own. Importing the same content again changes nothing.
 */
export async function importFeeds(path: string, dir: string, now: string): Promise<ImportResult[]> {
  if (!existsSync(path)) throw new CairnError(`${path} does not exist`);
  mkdirSync(join(dir, "data"), { recursive: true });
  const manifest = readManifest(dir);
  const results: ImportResult[] = [];
  // OSV records and single NVD records come one per file (a clone of an advisory repository holds
  // hundreds of thousands): the files of one import call are one import of each kind.
  const group = (): Group => ({ parsed: { items: [], problems: [] }, hash: createHash("sha256"), files: [] });
  const osv = group();
  const nvdRecords = group();
  const store = (
    kind: FeedKind,
    id: string,
    file: string,
    parsed: Parsed<Advisory> | Parsed<KevEntry>,
  ): ImportResult => {
    const result: ImportResult = {
      file,
      kind,
      records: parsed.items.length,
      rejected: parsed.problems.length,
      problems: parsed.problems.slice(0, 20),
    };
    if (parsed.feedDate) result.feedDate = parsed.feedDate;
    if (manifest.feeds.some((f) => f.id === id)) return { ...result, skipped: "already imported" };
    const stored: StoredFeed =
      kind === "kev"
        ? { kind, kev: parsed.items as KevEntry[] }
        : { kind, advisories: parsed.items as Advisory[] };
    writeAtomic(join(dir, "data", `${id}.json`), JSON.stringify(stored));
    const info: FeedInfo = {
      id,
      kind,
      file: basename(file),
      imported: now,
      records: parsed.items.length,
      rejected: parsed.problems.length,
    };
    if (parsed.feedDate) info.feedDate = parsed.feedDate;
    if (parsed.oldestRecord) info.oldestRecord = parsed.oldestRecord;
    manifest.feeds.push(info);
    return result;
  };

  for (const file of listFiles(path)) {
    const raw = readFileSync(file);
    if (raw.length > MAX_FEED_BYTES) {
      results.push({
        file,
        records: 0,
        rejected: 0,
        skipped: "not a feed",
        problems: [{ source: file, message: "larger than the feed size limit" }],
      });
      continue;
    }
    const entries =
      extname(file).toLowerCase() === ".zip"
        ? await unzipEntries(raw, file)
        : [{ name: file, bytes: raw as Uint8Array }];
    for (const entry of entries) {
      const text = await parseText(entry.bytes, entry.name);
      if ("problem" in text) {
        results.push({
          file: entry.name,
          records: 0,
          rejected: 0,
          skipped: "not a feed",
          problems: [text.problem],
        });
        continue;
      }
      const value = text.value;
      const kind = feedKindOf(value);
      const id = createHash("sha256").update(entry.bytes).digest("hex");
      if (kind === "kev") results.push(store("kev", id, entry.name, parseKev(value, entry.name)));
      else if (kind === "nvd" && isSingleNvdRecord(value))
        addToGroup(nvdRecords, parseNvd(value, entry.name), id, entry.name);
      else if (kind === "nvd") results.push(store("nvd", id, entry.name, parseNvd(value, entry.name)));
      else if (kind === "osv") addToGroup(osv, parseOsv(value, entry.name), id, entry.name);
      else
        results.push({
          file: entry.name,
          records: 0,
          rejected: 0,
          skipped: "not a feed",
          problems: [
            {
              source: entry.name,
              message: "not an OSV record, NVD CVE API 2.0 response or CISA KEV catalog",
            },
          ],
        });
    }
  }
  for (const [kind, g, what] of [
    ["nvd", nvdRecords, "NVD CVE"],
    ["osv", osv, "OSV"],
  ] as const)
    if (g.files.length > 0) {
      const label =
        g.files.length === 1 ? (g.files[0] as string) : `${path} (${g.files.length} ${what} files)`;
      results.push(store(kind, g.hash.digest("hex"), label, g.parsed));
    }
  writeAtomic(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return results;
}

export function listFeeds(dir: string): FeedInfo[] {
  return readManifest(dir).feeds;
}

/** Every imported feed, OSV/NVD records deduplicated by id (the most recently modified kept). */
export function loadFeedSet(dir: string): FeedSet {
  const feeds = listFeeds(dir);
  const byId = new Map<string, Advisory>();
  const kev = new Map<string, KevEntry>();
  for (const f of feeds) {
    const file = join(dir, "data", `${f.id}.json`);
    if (!existsSync(file))
      throw new CairnError(`feed data ${file} listed in the manifest is missing: import ${f.file} again`);
    const stored = JSON.parse(readFileSync(file, "utf8")) as StoredFeed;
    for (const a of stored.advisories ?? []) {
      const key = `${a.source}:${a.id}`;
      const prev = byId.get(key);
      if (!prev || (a.modified ?? "") >= (prev.modified ?? "")) byId.set(key, a);
    }
    for (const k of stored.kev ?? []) kev.set(k.cve, k);
  }
  return { advisories: [...byId.values()], kev, feeds };
}

/** Only the CISA KEV catalogs of a feeds folder: what readers of scanner output need, without the advisories. */
export function loadKevCatalog(dir: string): { kev: Map<string, KevEntry>; feeds: FeedInfo[] } {
  const feeds = listFeeds(dir).filter((f) => f.kind === "kev");
  const kev = new Map<string, KevEntry>();
  for (const f of feeds) {
    const file = join(dir, "data", `${f.id}.json`);
    if (!existsSync(file))
      throw new CairnError(`feed data ${file} listed in the manifest is missing: import ${f.file} again`);
    const stored = JSON.parse(readFileSync(file, "utf8")) as StoredFeed;
    for (const k of stored.kev ?? []) kev.set(k.cve, k);
  }
  return { kev, feeds };
}
