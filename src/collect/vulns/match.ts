import { createRequire } from "node:module";
import { componentLabel, type SbomComponent } from "../sbom/model.js";
import { cpeParts } from "./feeds.js";
import type { Advisory, Affected, AffectedRange, KevEntry } from "./model.js";
import { type Compare, comparatorFor, genericCompare } from "./versions.js";
import type { VexStatement, VexStatus } from "./vex.js";

/**
 * Matches SBOM components against advisories: by package URL (OSV ecosystem and name, with that
 * ecosystem's version order), by CPE (NVD configurations), and, for components with neither, by
 * name as a low-confidence candidate. Indexes once, so the cost is one lookup per component plus
 * the ranges of the advisories that name it.
 */

type PurlModule = typeof import("packageurl-js");
let purlModule: PurlModule | undefined;
function parsePurl(s: string): InstanceType<PurlModule["PackageURL"]> | undefined {
  purlModule ??= createRequire(import.meta.url)("packageurl-js") as PurlModule;
  try {
    return purlModule.PackageURL.fromString(s);
  } catch {
    return undefined;
  }
}

const PURL_ECOSYSTEM: Record<string, string> = {
  npm: "npm",
  pypi: "PyPI",
  maven: "Maven",
  golang: "Go",
  cargo: "crates.io",
  gem: "RubyGems",
  nuget: "NuGet",
  composer: "Packagist",
  hex: "Hex",
  pub: "Pub",
  swift: "SwiftURL",
  hackage: "Hackage",
  cran: "CRAN",
  conan: "ConanCenter",
  bitnami: "Bitnami",
};
const DISTRO_ECOSYSTEM: Record<string, Record<string, string>> = {
  deb: { debian: "Debian", ubuntu: "Ubuntu" },
  apk: { alpine: "Alpine", wolfi: "Wolfi", chainguard: "Chainguard" },
  rpm: {
    redhat: "Red Hat",
    rocky: "Rocky Linux",
    "rocky-linux": "Rocky Linux",
    almalinux: "AlmaLinux",
    suse: "SUSE",
    opensuse: "openSUSE",
    mageia: "Mageia",
    openeuler: "openEuler",
  },
};

function normName(ecosystem: string, name: string): string {
  if (ecosystem === "PyPI") return name.toLowerCase().replace(/[-_.]+/g, "-");
  return name.toLowerCase();
}

function repoKey(url: string): string {
  return `git:${url
    .toLowerCase()
    .replace(/^(git\+)?(https?|git|ssh):\/\/(git@)?/, "")
    .replace(/^git@([^:]+):/, "$1/")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "")}`;
}

interface PurlTarget {
  key: string;
  ecosystem?: string;
  distro?: string;
  version?: string;
}

/** The index key (ecosystem:name or git:repo) a package URL stands for. */
export function purlTarget(purl: string): PurlTarget | undefined {
  const p = parsePurl(purl);
  if (!p) return undefined;
  const version = p.version ?? undefined;
  if (p.type === "github" || p.type === "gitlab" || p.type === "bitbucket")
    return {
      key: repoKey(`${p.type}.${p.type === "bitbucket" ? "org" : "com"}/${p.namespace}/${p.name}`),
      ...(version ? { version } : {}),
    };
  const vcs = p.qualifiers?.vcs_url;
  if (p.type === "generic" && vcs) return { key: repoKey(vcs), ...(version ? { version } : {}) };
  let ecosystem = PURL_ECOSYSTEM[p.type];
  if (!ecosystem && p.namespace) ecosystem = DISTRO_ECOSYSTEM[p.type]?.[p.namespace.toLowerCase()];
  if (!ecosystem) return undefined;
  const name =
    ecosystem === "Maven"
      ? `${p.namespace ?? ""}:${p.name}`
      : p.namespace && !DISTRO_ECOSYSTEM[p.type]
        ? `${p.namespace}/${p.name}`
        : p.name;
  const distro = p.qualifiers?.distro;
  return {
    key: `${ecosystem.toLowerCase()}:${normName(ecosystem, name)}`,
    ecosystem,
    ...(distro ? { distro } : {}),
    ...(version ? { version } : {}),
  };
}

interface Entry {
  advisory: Advisory;
  affected: Affected;
}

export interface AdvisoryIndex {
  byKey: Map<string, Entry[]>;
  /**
   * By bare package or product name, for components with neither purl nor CPE: built on the first
   * such lookup (an SBOM whose components all have identifiers never needs it).
   */
  byName(): Map<string, Entry[]>;
  advisories: number;
}

function push<T>(map: Map<string, T[]>, key: string, e: T): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

export function indexAdvisories(advisories: readonly Advisory[]): AdvisoryIndex {
  const byKey = new Map<string, Entry[]>();
  const entries: Entry[] = [];
  let count = 0;
  // An ecosystem's lower-case base (`Debian:12` -> `debian`), once per spelling.
  const bases = new Map<string, [string, string]>();
  for (const advisory of advisories) {
    if (advisory.withdrawn) continue;
    count++;
    for (const affected of advisory.affected) {
      const e = { advisory, affected };
      entries.push(e);
      if (affected.ecosystem && affected.name) {
        let base = bases.get(affected.ecosystem);
        if (base === undefined) {
          const b = affected.ecosystem.split(":")[0] as string;
          base = [b, b.toLowerCase()];
          bases.set(affected.ecosystem, base);
        }
        push(byKey, `${base[1]}:${normName(base[0], affected.name)}`, e);
      } else if (affected.purl) {
        const t = purlTarget(affected.purl);
        if (t) push(byKey, t.key, e);
      }
      for (const r of affected.ranges) if (r.type === "GIT" && r.repo) push(byKey, repoKey(r.repo), e);
      if (affected.cpe) push(byKey, `cpe:${affected.cpe.vendor}:${affected.cpe.product}`, e);
    }
  }
  let byName: Map<string, Entry[]> | undefined;
  return {
    byKey,
    byName() {
      if (byName) return byName;
      byName = new Map();
      for (const e of entries) {
        const { affected } = e;
        if (affected.ecosystem && affected.name)
          push(byName, affected.name.toLowerCase().split(/[/:]/).pop() as string, e);
        if (affected.cpe) push(byName, affected.cpe.product.replace(/\\/g, ""), e);
      }
      return byName;
    },
    advisories: count,
  };
}

type Verdict = "affected" | "not-affected" | "unknown";

function evaluateRange(range: AffectedRange, version: string, compare: Compare): Verdict {
  if (range.type === "GIT") {
    // Commit order needs the repository's history, which an offline check does not have.
    for (const e of range.events) {
      if (e.introduced === version) return "affected";
      if (e.fixed === version || e.limit === version) return "not-affected";
    }
    return "unknown";
  }
  let lowerExclusive: string | undefined;
  if (range.type.startsWith("NVD>")) lowerExclusive = range.type.slice(4);
  const ordered: { kind: string; v: string }[] = [];
  for (const e of range.events)
    for (const [kind, v] of Object.entries(e)) if (typeof v === "string") ordered.push({ kind, v });
  let bad = false;
  const cmp = (a: string, b: string): number => {
    if (a === "0") return b === "0" ? 0 : -1;
    if (b === "0") return 1;
    const d = compare(a, b);
    if (d === undefined) bad = true;
    return d ?? 0;
  };
  ordered.sort((a, b) => cmp(a.v, b.v));
  let affected = false;
  for (const e of ordered) {
    if (e.kind === "introduced" && cmp(version, e.v) >= 0) affected = true;
    else if (e.kind === "fixed" && cmp(version, e.v) >= 0) affected = false;
    else if (e.kind === "last_affected" && cmp(version, e.v) > 0) affected = false;
    else if (e.kind === "limit" && cmp(version, e.v) >= 0) affected = false;
  }
  if (affected && lowerExclusive !== undefined && cmp(version, lowerExclusive) <= 0) affected = false;
  return bad ? "unknown" : affected ? "affected" : "not-affected";
}

export function evaluateAffected(affected: Affected, version: string, compare: Compare): Verdict {
  if (affected.versions.includes(version)) return "affected";
  if (affected.cpe?.version !== undefined)
    return compare(version, affected.cpe.version) === 0 ? "affected" : "not-affected";
  if (affected.ranges.length === 0) return affected.versions.length > 0 ? "not-affected" : "affected";
  let unknown = false;
  let gitUnknown = false;
  let ordered = false;
  for (const r of affected.ranges) {
    const v = evaluateRange(r, version, compare);
    if (v === "affected") return "affected";
    if (v === "unknown" && r.type === "GIT") gitUnknown = true;
    else if (v === "unknown") unknown = true;
    else if (r.type !== "GIT") ordered = true;
  }
  // A GIT range orders commits, not releases: when the record also gives a range of releases (PyPI
  // advisories carry both) that placed the version outside, the commits cannot say otherwise.
  return unknown || (gitUnknown && !ordered) ? "unknown" : "not-affected";
}

function fixedVersions(affected: Affected): string[] {
  return affected.ranges.flatMap((r) =>
    r.type === "GIT" ? [] : r.events.flatMap((e) => (e.fixed ? [e.fixed] : [])),
  );
}

export type MatchStatus = "open" | VexStatus;

export interface VexApplied {
  status: VexStatus;
  justification?: string;
  format: VexStatement["format"];
  source: string;
  location: string;
}

export interface VulnMatch {
  component: { ref?: string; name: string; location: string; purl?: string; cpe?: string };
  advisory: string;
  aliases: string[];
  source: Advisory["source"];
  summary?: string;
  by: "purl" | "cpe" | "name";
  version: string;
  ordering: string;
  fixed: string[];
  kev?: { cve: string; dateAdded?: string; dueDate?: string; ransomware?: string };
  vex: VexApplied[];
  status: MatchStatus;
}

export interface MatchResult {
  matches: VulnMatch[];
  /** Components with neither purl nor CPE: matched by name only, as candidates. */
  unidentified: { name: string; location: string }[];
  /** Components that could not be checked: no version, or a version their ecosystem cannot order. */
  unchecked: { name: string; location: string; reason: string }[];
  /** Components checked with no advisory found. */
  unmatched: string[];
}

function purlEqual(a: string, b: string, versionMatters: boolean): boolean {
  const x = parsePurl(a);
  const y = parsePurl(b);
  if (!x || !y) return a === b;
  if (
    x.type !== y.type ||
    (x.namespace ?? "").toLowerCase() !== (y.namespace ?? "").toLowerCase() ||
    x.name.toLowerCase() !== y.name.toLowerCase()
  )
    return false;
  return !versionMatters || !y.version || !x.version || x.version === y.version;
}

function vexCovers(stmt: VexStatement, c: SbomComponent): boolean {
  return stmt.products.some((p) => {
    if (p.ref !== undefined && c.ref !== undefined && p.ref === c.ref && stmt.source === "sbom") return true;
    if (p.purl && c.purl) return purlEqual(c.purl, p.purl, true);
    if (p.cpe && c.cpe) {
      const x = cpeParts(p.cpe);
      const y = cpeParts(c.cpe);
      return Boolean(
        x &&
          y &&
          x.vendor === y.vendor &&
          x.product === y.product &&
          (x.version === "*" || x.version === y.version),
      );
    }
    return false;
  });
}

/** Effective status of a match: an `affected` statement wins; else fixed, not_affected, under investigation. */
function effective(vex: VexApplied[]): MatchStatus {
  if (vex.length === 0) return "open";
  for (const s of ["affected", "fixed", "not_affected", "under_investigation"] as const)
    if (vex.some((v) => v.status === s)) return s;
  return "open";
}

export function matchComponents(
  components: readonly SbomComponent[],
  index: AdvisoryIndex,
  kev: ReadonlyMap<string, KevEntry>,
  vex: readonly VexStatement[],
  progress?: (done: number, total: number) => void,
): MatchResult {
  const result: MatchResult = { matches: [], unidentified: [], unchecked: [], unmatched: [] };
  const vexById = new Map<string, VexStatement[]>();
  for (const s of vex) for (const id of s.ids) push(vexById, id, s);
  let done = 0;
  for (const c of components) {
    if (++done % 2000 === 0) progress?.(done, components.length);
    const label = componentLabel(c);
    const candidates: {
      e: Entry;
      by: VulnMatch["by"];
      compare: Compare;
      ordering: string;
      version: string;
    }[] = [];
    if (c.type === "cryptographic-asset") continue;
    const target = c.purl ? purlTarget(c.purl) : undefined;
    const cpe = c.cpe ? cpeParts(c.cpe) : undefined;
    if (!c.purl && !cpe) result.unidentified.push({ name: label, location: c.location });
    else if (c.purl && !target && !cpe) {
      result.unchecked.push({
        name: label,
        location: c.location,
        reason: `its package URL names no advisory ecosystem (${c.purl.split("/")[0]})`,
      });
      continue;
    }
    const cpeVersion =
      cpe && cpe.version !== "*" && cpe.version !== "-" && cpe.version !== "" ? cpe.version : undefined;
    const version = target?.version ?? c.version ?? cpeVersion;
    if (!version) {
      result.unchecked.push({ name: label, location: c.location, reason: "no version" });
      continue;
    }
    const own = target?.ecosystem ? comparatorFor(target.ecosystem) : undefined;
    if (target) {
      for (const e of index.byKey.get(target.key) ?? []) {
        const eco = e.affected.ecosystem;
        const suffix = eco?.includes(":") ? eco.slice(eco.indexOf(":") + 1).toLowerCase() : undefined;
        if (suffix && target.distro && !target.distro.toLowerCase().includes(suffix.split(":")[0] as string))
          continue;
        const ord = comparatorFor(
          eco ?? target.ecosystem,
          e.affected.ranges.find((r) => r.type !== "GIT")?.type,
        );
        candidates.push({ e, by: "purl", compare: ord.compare, ordering: ord.name, version });
      }
    }
    if (cpe) {
      const v = cpeVersion ?? c.version ?? version;
      for (const e of index.byKey.get(`cpe:${cpe.vendor}:${cpe.product}`) ?? [])
        candidates.push({
          e,
          by: "cpe",
          compare: own?.compare ?? genericCompare,
          ordering: own?.name ?? "natural",
          version: v,
        });
    }
    if (!target && !cpe && c.name) {
      for (const e of index.byName().get(c.name.toLowerCase()) ?? [])
        candidates.push({ e, by: "name", compare: genericCompare, ordering: "natural", version });
    }
    let anyUnknown = false;
    const seen = new Set<string>();
    for (const cand of candidates) {
      const v = evaluateAffected(cand.e.affected, cand.version, cand.compare);
      if (v === "unknown") anyUnknown = true;
      if (v !== "affected") continue;
      const adv = cand.e.advisory;
      if (seen.has(adv.id)) continue;
      seen.add(adv.id);
      const ids = [adv.id, ...adv.aliases];
      const kevEntry = ids.map((id) => kev.get(id)).find((k) => k !== undefined);
      const applied: VexApplied[] = [];
      const stmts = new Set<VexStatement>();
      for (const id of ids) for (const s of vexById.get(id) ?? []) stmts.add(s);
      for (const s of stmts)
        if (vexCovers(s, c))
          applied.push({
            status: s.status,
            ...(s.justification ? { justification: s.justification } : {}),
            format: s.format,
            source: s.source,
            location: s.location,
          });
      result.matches.push({
        component: {
          ...(c.ref !== undefined ? { ref: c.ref } : {}),
          name: label,
          location: c.location,
          ...(c.purl ? { purl: c.purl } : {}),
          ...(c.cpe ? { cpe: c.cpe } : {}),
        },
        advisory: adv.id,
        aliases: adv.aliases,
        source: adv.source,
        ...(adv.summary ? { summary: adv.summary } : {}),
        by: cand.by,
        version: cand.version,
        ordering: cand.ordering,
        fixed: fixedVersions(cand.e.affected),
        ...(kevEntry
          ? {
              kev: {
                cve: kevEntry.cve,
                ...(kevEntry.dateAdded ? { dateAdded: kevEntry.dateAdded } : {}),
                ...(kevEntry.dueDate ? { dueDate: kevEntry.dueDate } : {}),
                ...(kevEntry.ransomware ? { ransomware: kevEntry.ransomware } : {}),
              },
            }
          : {}),
        vex: applied,
        status: effective(applied),
      });
    }
    if (seen.size === 0) {
      if (anyUnknown)
        result.unchecked.push({
          name: label,
          location: c.location,
          reason: `version "${version}" cannot be ordered against the advisories' ranges`,
        });
      else if (target || cpe) result.unmatched.push(label);
    }
  }
  return result;
}
