/**
 * Reads OSV-Scanner's JSON output (`osv-scanner --format json`, v1 and v2) into one shape: per
 * package, its vulnerabilities grouped as the scanner grouped them (ids that alias each other), each
 * group with its severity, aliases, call-analysis verdict and the fixed versions the advisories
 * name. One pass over the document, maps for lookups: linear in the input.
 *
 * The format, as OSV-Scanner documents it: `results[]` of sources (`source` {path, type}; v1.0-1.2
 * named it `packageSource`), each with `packages[]`: `package` {name, version, ecosystem, commit},
 * `vulnerabilities[]` (full OSV records), `groups[]` ({ids, aliases, max_severity,
 * experimentalAnalysis}), `licenses[]` and `license_violations[]`; `experimental_config` at the top.
 */
import { arr, type Json, num, obj, ptr, str } from "../json-access.js";

export type Severity = "critical" | "high" | "medium" | "low" | "none" | "unknown";

export interface OsvGroup {
  /** The ids OSV-Scanner grouped (aliases of one vulnerability), sorted. */
  ids: string[];
  /** Every id and alias of the group's records. */
  aliases: string[];
  severity: Severity;
  /** The CVSS base score OSV-Scanner computed (`max_severity`), when it wrote one. */
  score?: number;
  /** Where the severity came from: the scanner's max_severity, an advisory's own rating, or nothing. */
  severitySource: "max_severity" | "database_specific" | "none";
  /** CVSS vectors of the records, shown when no score was computed. */
  vectors: string[];
  /** Versions the records name as fixed for this package. */
  fixed: string[];
  /** Call analysis: false when every analysed id of the group is not called; undefined without analysis. */
  called?: boolean;
  summary?: string;
}

export interface OsvPackage {
  source: string;
  sourceType: string;
  name: string;
  version?: string;
  ecosystem?: string;
  commit?: string;
  groups: OsvGroup[];
  licenses: string[];
  licenseViolations: string[];
  location: string;
}

export interface OsvScannerOutput {
  sources: { path: string; type: string; packages: number }[];
  packages: OsvPackage[];
  /** Entries of the wrong shape, with their JSON pointer (capped). */
  problems: { message: string; location: string }[];
  problemCount: number;
  licenseAllowlist: string[];
  licenseSummary: boolean;
}

const MAX_PROBLEMS = 100;

/** Whether a parsed document has the top-level shape of OSV-Scanner output. */
export function isOsvScannerOutput(doc: Json): boolean {
  const root = obj(doc);
  if (!root || !Array.isArray(root.results)) return false;
  if (root.experimental_config !== undefined) return true;
  const first = obj(root.results[0]);
  if (root.results.length === 0) return Object.keys(root).length === 1;
  return !!first && (obj(first.source) !== undefined || obj(first.packageSource) !== undefined);
}

function scoreSeverity(score: number): Severity {
  if (score === 0) return "none";
  if (score < 4) return "low";
  if (score < 7) return "medium";
  if (score < 9) return "high";
  return "critical";
}

/** Advisory databases' own ratings (GHSA: LOW, MODERATE, HIGH, CRITICAL). */
function ratingSeverity(rating: string): Severity | undefined {
  const r = rating.trim().toLowerCase();
  if (r === "critical" || r === "high" || r === "low") return r;
  if (r === "moderate" || r === "medium") return "medium";
  return undefined;
}

const RANK: Record<Severity, number> = { unknown: 0, none: 1, low: 2, medium: 3, high: 4, critical: 5 };

function strings(v: Json): string[] {
  return arr(v).filter((x): x is string => typeof x === "string");
}

/** Fixed versions an OSV record names for one package (ecosystem compared without its release suffix). */
function fixedFor(
  record: Record<string, Json>,
  name: string,
  ecosystem: string | undefined,
  out: Set<string>,
): void {
  const base = (e: string | undefined) => (e ?? "").split(":")[0]?.toLowerCase();
  for (const a of arr(record.affected)) {
    const pkg = obj(obj(a)?.package);
    if (!pkg || str(pkg.name) !== name) continue;
    if (ecosystem && str(pkg.ecosystem) && base(str(pkg.ecosystem)) !== base(ecosystem)) continue;
    for (const r of arr(obj(a)?.ranges))
      for (const e of arr(obj(r)?.events)) {
        const f = str(obj(e)?.fixed);
        if (f) out.add(f);
      }
  }
}

export function readOsvScanner(doc: Json): OsvScannerOutput {
  const root = obj(doc) ?? {};
  const out: OsvScannerOutput = {
    sources: [],
    packages: [],
    problems: [],
    problemCount: 0,
    licenseAllowlist: [],
    licenseSummary: false,
  };
  const problem = (message: string, location: string) => {
    out.problemCount++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push({ message, location });
  };
  const licenses = obj(obj(root.experimental_config)?.licenses);
  if (licenses) {
    out.licenseAllowlist = strings(licenses.allowlist);
    out.licenseSummary = licenses.summary === true;
  }
  const results = arr(root.results);
  for (const [i, r] of results.entries()) {
    const at = ptr("/results", i);
    const result = obj(r);
    if (!result) {
      problem("a result is not an object", at);
      continue;
    }
    const src = obj(result.source) ?? obj(result.packageSource);
    if (!src) problem("a result has no source {path, type}", at);
    const path = str(src?.path) ?? "";
    const type = str(src?.type) ?? "";
    if (src && (path === "" || type === "")) problem("the source lacks its path or type", ptr(at, "source"));
    if (!Array.isArray(result.packages)) problem("a result has no packages array", ptr(at, "packages"));
    const pkgs = arr(result.packages);
    out.sources.push({ path, type, packages: pkgs.length });
    for (const [j, p] of pkgs.entries()) {
      const pat = ptr(ptr(at, "packages"), j);
      const entry = obj(p);
      // The earliest outputs wrote the Go field name (`Package`): the struct field had no JSON tag.
      const info = obj(entry?.package) ?? obj(entry?.Package);
      const name = str(info?.name);
      if (!entry || !info || !name) {
        problem("a package entry has no package.name", pat);
        continue;
      }
      const pkg: OsvPackage = {
        source: path,
        sourceType: type,
        name,
        groups: [],
        licenses: strings(entry.licenses),
        licenseViolations: strings(entry.license_violations),
        location: pat,
      };
      const version = str(info.version);
      if (version) pkg.version = version;
      const ecosystem = str(info.ecosystem);
      if (ecosystem) pkg.ecosystem = ecosystem;
      const commit = str(info.commit);
      if (commit) pkg.commit = commit;

      const records = new Map<string, Record<string, Json>>();
      for (const [k, v] of arr(entry.vulnerabilities).entries()) {
        const rec = obj(v);
        const id = str(rec?.id);
        if (rec && id) records.set(id, rec);
        else problem("a vulnerability has no id", ptr(ptr(pat, "vulnerabilities"), k));
      }
      const grouped = new Set<string>();
      const groups: { ids: string[]; maxSeverity?: Json; analysis?: Record<string, Json> }[] = [];
      for (const [k, g] of arr(entry.groups).entries()) {
        const group = obj(g);
        const ids = strings(group?.ids);
        if (!group || ids.length === 0) {
          problem("a group has no ids", ptr(ptr(pat, "groups"), k));
          continue;
        }
        const fresh = ids.filter((id) => !grouped.has(id));
        for (const id of fresh) {
          grouped.add(id);
          if (!records.has(id))
            problem(`group id ${id} names no vulnerability of the package`, ptr(ptr(pat, "groups"), k));
        }
        if (fresh.length === 0) continue;
        const item: (typeof groups)[number] = { ids: fresh, maxSeverity: group.max_severity };
        const analysis = obj(group.experimentalAnalysis);
        if (analysis) item.analysis = analysis;
        groups.push(item);
      }
      // Records no group names (outputs written before groups existed): each is its own group.
      for (const id of records.keys()) if (!grouped.has(id)) groups.push({ ids: [id] });

      for (const g of groups) {
        const recs = g.ids.map((id) => records.get(id)).filter((x): x is Record<string, Json> => !!x);
        const aliases = new Set(g.ids);
        const vectors = new Set<string>();
        const fixed = new Set<string>();
        let rating: Severity | undefined;
        let summary: string | undefined;
        for (const rec of recs) {
          for (const a of strings(rec.aliases)) aliases.add(a);
          for (const s of arr(rec.severity)) {
            const score = str(obj(s)?.score);
            if (score) vectors.add(score);
          }
          const rs = str(obj(rec.database_specific)?.severity);
          const sev = rs ? ratingSeverity(rs) : undefined;
          if (sev && (!rating || RANK[sev] > RANK[rating])) rating = sev;
          fixedFor(rec, name, ecosystem, fixed);
          summary ??= str(rec.summary);
        }
        const scoreText = typeof g.maxSeverity === "string" ? g.maxSeverity.trim() : undefined;
        const score = scoreText ? Number(scoreText) : num(g.maxSeverity);
        const group: OsvGroup = {
          ids: [...g.ids].sort(),
          aliases: [...aliases].sort(),
          severity: "unknown",
          severitySource: "none",
          vectors: [...vectors],
          fixed: [...fixed],
        };
        if (score !== undefined && Number.isFinite(score) && score >= 0 && score <= 10 && scoreText !== "") {
          group.score = score;
          group.severity = scoreSeverity(score);
          group.severitySource = "max_severity";
        } else if (rating) {
          group.severity = rating;
          group.severitySource = "database_specific";
        }
        if (g.analysis) {
          const called = Object.values(g.analysis).map((a) => obj(a)?.called);
          if (called.length > 0 && called.every((c) => c === false)) group.called = false;
          else if (called.some((c) => c === true)) group.called = true;
        }
        if (summary) group.summary = summary;
        pkg.groups.push(group);
      }
      out.packages.push(pkg);
    }
  }
  return out;
}
