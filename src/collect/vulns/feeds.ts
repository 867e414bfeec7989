import type { Problem } from "../../core/problem.js";
import { arr, type Json, obj, str } from "../json-access.js";
import type { Advisory, Affected, AffectedRange, KevEntry, RangeEvent } from "./model.js";

/**
 * Parsers of the offline feeds an operator imports: OSV records (JSON or YAML, one record or an
 * array), NVD CVE API 2.0 JSON (the `vulnerabilities` of an API response or a feed file) and the
 * CISA KEV catalog. Each returns what it read and a problem per record it had to reject.
 */

export type FeedKind = "osv" | "nvd" | "kev";

/**
 * One NVD CVE record outside an API response, as the per-CVE files of a mirror hold it (fkie-cad's
 * nvd-json-data-feeds: the bare `cve` object; others keep the response's `{ "cve": ... }` item).
 */
function nvdRecordOf(o: Record<string, Json> | undefined): Record<string, Json> | undefined {
  const cve = obj(o?.cve) ?? o;
  // `lastModified` and `sourceIdentifier` are NVD's names; an OSV record of a CVE has `modified` and `affected`.
  if (
    cve &&
    typeof cve.id === "string" &&
    /^CVE-\d{4}-\d+$/.test(cve.id) &&
    typeof cve.lastModified === "string" &&
    (typeof cve.sourceIdentifier === "string" || typeof cve.vulnStatus === "string") &&
    !("affected" in cve)
  )
    return cve;
  return undefined;
}

/** True for a single NVD CVE record (not an API response or feed file): such files are imported together. */
export function isSingleNvdRecord(value: Json): boolean {
  const o = obj(value);
  return !Array.isArray(o?.vulnerabilities) && !Array.isArray(o?.cve_items) && nvdRecordOf(o) !== undefined;
}

export function feedKindOf(value: Json): FeedKind | undefined {
  const o = obj(value);
  if (o && typeof o.catalogVersion === "string" && Array.isArray(o.vulnerabilities)) return "kev";
  if (
    o &&
    Array.isArray(o.vulnerabilities) &&
    (o.format === "NVD_CVE" || "resultsPerPage" in o || obj(arr(o.vulnerabilities)[0])?.cve !== undefined)
  )
    return "nvd";
  // fkie-cad's yearly release files (CVE-2024.json): the records of the API under `cve_items`.
  if (o && Array.isArray(o.cve_items) && (o.cve_items.length === 0 || nvdRecordOf(obj(o.cve_items[0]))))
    return "nvd";
  if (isSingleNvdRecord(value)) return "nvd";
  const first = Array.isArray(value) ? obj(value[0]) : o;
  if (first && typeof first.id === "string" && ("affected" in first || "modified" in first)) return "osv";
  return undefined;
}

const latest = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);
const earliest = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a < b ? a : b);

export interface Parsed<T> {
  items: T[];
  problems: Problem[];
  feedDate?: string;
  oldestRecord?: string;
}

// Go's zero time.Time: the golang/vulndb repository's records carry it as `modified` (vuln.go.dev
// sets the real date when it publishes them). It dates nothing, so it must not pass for a feed date.
const GO_ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

function osvRecord(o: Record<string, Json>, where: string): Advisory | Problem {
  const id = str(o.id);
  if (!id) return { location: where, message: "OSV record without an id" };
  if (o.affected !== undefined && !Array.isArray(o.affected))
    return { location: `${where} (${id})`, message: "affected must be an array" };
  const affected: Affected[] = [];
  for (const a of arr(o.affected)) {
    const ao = obj(a);
    if (!ao) continue;
    const pkg = obj(ao.package);
    const ranges: AffectedRange[] = [];
    for (const r of arr(ao.ranges)) {
      const ro = obj(r);
      const type = str(ro?.type);
      if (!ro || !type) continue;
      const events: RangeEvent[] = [];
      for (const e of arr(ro.events)) {
        const eo = obj(e);
        if (!eo) continue;
        for (const key of ["introduced", "fixed", "last_affected", "limit"] as const) {
          const v = eo[key];
          if (typeof v === "string") events.push({ [key]: v });
        }
      }
      const repo = str(ro.repo);
      ranges.push({ type, events, ...(repo ? { repo } : {}) });
    }
    const entry: Affected = {
      ranges,
      versions: arr(ao.versions).filter((v): v is string => typeof v === "string"),
    };
    const eco = str(pkg?.ecosystem);
    const name = str(pkg?.name);
    const purl = str(pkg?.purl);
    if (eco) entry.ecosystem = eco;
    if (name) entry.name = name;
    if (purl) entry.purl = purl;
    affected.push(entry);
  }
  const adv: Advisory = {
    id,
    aliases: arr(o.aliases).filter((x): x is string => typeof x === "string"),
    source: "osv",
    affected,
  };
  for (const [k, v] of [
    ["summary", o.summary],
    ["published", o.published],
    ["modified", o.modified],
    ["withdrawn", o.withdrawn],
  ] as const)
    if (typeof v === "string" && !GO_ZERO_TIME.test(v)) adv[k] = v;
  if (!adv.summary && typeof o.details === "string") adv.summary = o.details.slice(0, 200);
  return adv;
}

export function parseOsv(value: Json, source: string): Parsed<Advisory> {
  const list = Array.isArray(value) ? value : [value];
  const out: Parsed<Advisory> = { items: [], problems: [] };
  list.forEach((r, i) => {
    const where = Array.isArray(value) ? `[${i}]` : "";
    const o = obj(r);
    const rec = o
      ? osvRecord(o, where)
      : ({ location: where, message: "not an OSV record (object)" } as Problem);
    if ("message" in rec) out.problems.push({ source, ...rec });
    else {
      out.items.push(rec);
      // A record without a usable modified date was last changed no earlier than it was published.
      const date = rec.modified ?? rec.published;
      out.feedDate = latest(out.feedDate, date);
      out.oldestRecord = earliest(out.oldestRecord, date);
    }
  });
  return out;
}

/** cpe:2.3:part:vendor:product:version:... -> parts, with `\:` escapes kept inside a part. */
export function splitCpe23(cpe: string): string[] | undefined {
  if (!cpe.startsWith("cpe:2.3:")) return undefined;
  const parts: string[] = [];
  let cur = "";
  for (let i = 8; i < cpe.length; i++) {
    const c = cpe[i] as string;
    if (c === "\\" && i + 1 < cpe.length) {
      cur += c + (cpe[i + 1] as string);
      i++;
    } else if (c === ":") {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts.length >= 5 ? parts : undefined;
}

/** A CPE 2.2 URI (cpe:/a:vendor:product:version) as CPE 2.3 parts. */
export function cpeParts(
  cpe: string,
): { part: string; vendor: string; product: string; version: string } | undefined {
  const p23 = splitCpe23(cpe);
  if (p23)
    return {
      part: p23[0] as string,
      vendor: (p23[1] as string).toLowerCase(),
      product: (p23[2] as string).toLowerCase(),
      version: p23[3] as string,
    };
  const m = /^cpe:\/([aoh]):([^:]*):([^:]*)(?::([^:]*))?/i.exec(cpe);
  if (!m) return undefined;
  const dec = (s: string | undefined) => decodeURIComponent(s ?? "").toLowerCase();
  return {
    part: (m[1] as string).toLowerCase(),
    vendor: dec(m[2]),
    product: dec(m[3]),
    version: m[4] ? decodeURIComponent(m[4]) : "*",
  };
}

export function parseNvd(value: Json, source: string): Parsed<Advisory> {
  const o = obj(value) ?? {};
  const out: Parsed<Advisory> = { items: [], problems: [] };
  out.feedDate = str(o.timestamp);
  // An API response or NVD feed file (`vulnerabilities[].cve`), a fkie-cad release (`cve_items[]`),
  // or one record on its own.
  const entries: [Json, string][] = Array.isArray(o.vulnerabilities)
    ? o.vulnerabilities.map((v, i) => [obj(v)?.cve, `vulnerabilities[${i}]`])
    : Array.isArray(o.cve_items)
      ? o.cve_items.map((v, i) => [v, `cve_items[${i}]`])
      : [[nvdRecordOf(o), o.cve !== undefined ? "cve" : ""]];
  entries.forEach(([record, where]) => {
    const cve = obj(record);
    const id = str(cve?.id);
    if (!cve || !id) {
      out.problems.push({ source, location: where, message: "NVD entry without cve.id" });
      return;
    }
    const affected: Affected[] = [];
    for (const conf of arr(cve.configurations)) {
      for (const node of arr(obj(conf)?.nodes)) {
        for (const m of arr(obj(node)?.cpeMatch)) {
          const mo = obj(m);
          const criteria = str(mo?.criteria);
          if (!mo || !criteria || mo.vulnerable !== true) continue;
          const parts = cpeParts(criteria);
          if (!parts) continue;
          const cpe: NonNullable<Affected["cpe"]> = {
            vendor: parts.vendor,
            product: parts.product,
            criteria,
          };
          if (parts.version !== "*" && parts.version !== "-") cpe.version = parts.version.replace(/\\/g, "");
          const events: RangeEvent[] = [];
          const si = str(mo.versionStartIncluding);
          const se = str(mo.versionStartExcluding);
          const ei = str(mo.versionEndIncluding);
          const ee = str(mo.versionEndExcluding);
          // Start-excluding has no OSV event; it is kept as a bound the matcher applies.
          events.push({ introduced: si ?? "0" });
          if (ee) events.push({ fixed: ee });
          if (ei) events.push({ last_affected: ei });
          const ranges: AffectedRange[] =
            cpe.version === undefined ? [{ type: se ? `NVD>${se}` : "NVD", events }] : [];
          affected.push({ cpe, ranges, versions: cpe.version ? [cpe.version] : [] });
        }
      }
    }
    const description = arr(cve.descriptions).find((d) => str(obj(d)?.lang) === "en");
    const adv: Advisory = { id, aliases: [], source: "nvd", affected };
    const summary = str(obj(description)?.value);
    if (summary) adv.summary = summary.slice(0, 200);
    const published = str(cve.published);
    const modified = str(cve.lastModified);
    if (published) adv.published = published;
    if (modified) adv.modified = modified;
    if (str(cve.vulnStatus) === "Rejected") adv.withdrawn = modified ?? published ?? "rejected";
    out.items.push(adv);
    if (!o.timestamp) out.feedDate = latest(out.feedDate, modified);
    out.oldestRecord = earliest(out.oldestRecord, modified);
  });
  return out;
}

export function parseKev(value: Json, source: string): Parsed<KevEntry> {
  const o = obj(value) ?? {};
  const out: Parsed<KevEntry> = { items: [], problems: [] };
  const released = str(o.dateReleased);
  if (released) out.feedDate = released;
  arr(o.vulnerabilities).forEach((v, i) => {
    const e = obj(v);
    const cve = str(e?.cveID);
    if (!e || !cve || !/^CVE-\d{4}-\d{4,}$/.test(cve)) {
      out.problems.push({
        source,
        location: `vulnerabilities[${i}]`,
        message: "KEV entry without a valid cveID",
      });
      return;
    }
    const entry: KevEntry = { cve };
    const fields: [keyof KevEntry, Json][] = [
      ["dateAdded", e.dateAdded],
      ["dueDate", e.dueDate],
      ["vendorProject", e.vendorProject],
      ["product", e.product],
      ["name", e.vulnerabilityName],
      ["ransomware", e.knownRansomwareCampaignUse],
    ];
    for (const [k, val] of fields) if (typeof val === "string") entry[k] = val;
    out.items.push(entry);
    out.oldestRecord = earliest(out.oldestRecord, entry.dateAdded);
  });
  return out;
}
