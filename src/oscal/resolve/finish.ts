/**
 * Final operations: pruning of loose params and back-matter resources nothing refers to, the
 * back-matter of the imports and the profile, the metadata, and the result's uuid.
 */
import type {
  Control,
  Group,
  Link,
  Metadata,
  OscalProfile,
  Param,
  Part,
  Property,
  ResolvedCatalog,
  Resource,
} from "../profile-types.js";
import { uuidV5 } from "../uuid.js";
import {
  type Body,
  RESOLUTION_TOOL,
  RESOLVED_UUID_NAMESPACE,
  type Report,
  type Run,
  TOOL_OSCAL_VERSION,
} from "./types.js";
import { isObject, keepAlways } from "./util.js";

const FRAGMENT = /#([A-Za-z0-9_.:~-]+)/g;
const FRAGMENT_ONLY = /^#[A-Za-z0-9_.:~-]+$/;
const INSERT_PARAM = /\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g;

interface Refs {
  fragments: Set<string>;
  params: Set<string>;
}

function scanString(s: string | undefined, refs: Refs): void {
  if (s === undefined) return;
  if (s.includes("#")) {
    // Fast path for the usual link href "#id"; exec loops avoid matchAll's per-call regex copy.
    if (s.charCodeAt(0) === 35 && FRAGMENT_ONLY.test(s)) refs.fragments.add(s.slice(1));
    else {
      FRAGMENT.lastIndex = 0;
      for (let m = FRAGMENT.exec(s); m; m = FRAGMENT.exec(s)) refs.fragments.add(m[1] as string);
    }
  }
  if (s.includes("{{")) {
    INSERT_PARAM.lastIndex = 0;
    for (let m = INSERT_PARAM.exec(s); m; m = INSERT_PARAM.exec(s)) refs.params.add(m[1] as string);
  }
}

/** Collects `#id` references and `{{ insert: param, id }}` insertions from every string. */
function scan(value: unknown, refs: Refs): void {
  if (typeof value === "string") {
    scanString(value, refs);
  } else if (Array.isArray(value)) {
    for (const v of value) scan(v, refs);
  } else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (k === "depends-on" && typeof v === "string") refs.params.add(v);
      else scan(v, refs);
    }
  }
}

// The same, field by field for the catalog model (the hot path: far faster than the generic walk).

function scanProps(props: Property[] | undefined, refs: Refs): void {
  if (props)
    for (const p of props) {
      scanString(p.value, refs);
      scanString(p.remarks, refs);
    }
}

function scanLinks(links: Link[] | undefined, refs: Refs): void {
  if (links)
    for (const l of links) {
      scanString(l.href, refs);
      scanString(l.text, refs);
    }
}

function scanParts(parts: Part[] | undefined, refs: Refs): void {
  if (parts)
    for (const p of parts) {
      scanString(p.title, refs);
      scanString(p.prose, refs);
      scanProps(p.props, refs);
      scanLinks(p.links, refs);
      scanParts(p.parts, refs);
    }
}

function scanParams(params: Param[] | undefined, refs: Refs): void {
  if (!params) return;
  for (const p of params) {
    if (p["depends-on"] !== undefined) refs.params.add(p["depends-on"]);
    scanProps(p.props, refs);
    scanLinks(p.links, refs);
    scanString(p.label, refs);
    scanString(p.usage, refs);
    if (p.constraints) scan(p.constraints, refs);
    if (p.guidelines) for (const g of p.guidelines) scanString(g.prose, refs);
    if (p.values) for (const v of p.values) scanString(v, refs);
    if (p.select?.choice) for (const c of p.select.choice) scanString(c, refs);
    scanString(p.remarks, refs);
  }
}

function scanControls(controls: Control[] | undefined, refs: Refs): void {
  if (controls)
    for (const c of controls) {
      scanString(c.title, refs);
      scanParams(c.params, refs);
      scanProps(c.props, refs);
      scanLinks(c.links, refs);
      scanParts(c.parts, refs);
      scanControls(c.controls, refs);
    }
}

function scanGroups(groups: Group[] | undefined, refs: Refs): void {
  if (groups)
    for (const g of groups) {
      scanString(g.title, refs);
      scanParams(g.params, refs);
      scanProps(g.props, refs);
      scanLinks(g.links, refs);
      scanParts(g.parts, refs);
      scanGroups(g.groups, refs);
      scanControls(g.controls, refs);
    }
}

export function finish(
  run: Run,
  profile: OscalProfile,
  href: string | undefined,
  body: Body,
  imported: ResolvedCatalog[],
  setParamIds: Set<string>,
  report: Report,
): ResolvedCatalog {
  const metadata = resolvedMetadata(run, profile, href, imported, report);
  const refs: Refs = { fragments: new Set(), params: new Set() };
  scanControls(body.controls, refs);
  scanGroups(body.groups, refs);
  scan(metadata, refs);

  // Loose params: kept when referenced (also from other kept params), set by the profile, or keep-always.
  let params: Param[] | undefined;
  if (body.params?.length) {
    const kept = new Set<Param>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of body.params) {
        if (kept.has(p)) continue;
        if (
          refs.params.has(p.id) ||
          refs.fragments.has(p.id) ||
          setParamIds.has(p.id) ||
          keepAlways(p.props)
        ) {
          kept.add(p);
          scanParams([p], refs);
          grew = true;
        }
      }
    }
    params = body.params.filter((p) => kept.has(p));
  }

  // Back matter: imported documents' resources in import order, then the profile's; a later
  // resource with the same uuid replaces an earlier one unless only the earlier is keep-always.
  const combined: (Resource | undefined)[] = [];
  const at = new Map<string, number>();
  const sources = [...imported.map((c) => c["back-matter"]?.resources), profile["back-matter"]?.resources];
  for (const list of sources) {
    for (const res of list ?? []) {
      const prev = at.get(res.uuid);
      if (prev !== undefined) {
        const old = combined[prev];
        if (old && keepAlways(old.props) && !keepAlways(res.props)) continue;
        combined[prev] = undefined;
      }
      at.set(res.uuid, combined.length);
      combined.push(res);
    }
  }
  const keptRes = new Set<Resource>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const res of combined) {
      if (!res || keptRes.has(res)) continue;
      if (refs.fragments.has(res.uuid) || keepAlways(res.props)) {
        keptRes.add(res);
        scan(res, refs);
        grew = true;
      }
    }
  }
  const resources = combined.filter((r): r is Resource => r !== undefined && keptRes.has(r));

  const catalog: ResolvedCatalog = { uuid: resolvedUuid(profile, imported), metadata };
  if (params?.length) catalog.params = params;
  if (body.controls?.length) catalog.controls = body.controls;
  if (body.groups?.length) catalog.groups = body.groups;
  if (resources.length) catalog["back-matter"] = { resources };
  return catalog;
}

function resolvedMetadata(
  run: Run,
  profile: OscalProfile,
  href: string | undefined,
  imported: ResolvedCatalog[],
  report: Report,
): Metadata {
  const pm: Partial<Metadata> = isObject(profile.metadata) ? profile.metadata : {};
  const meta: Metadata = {
    ...pm,
    title: pm.title ?? "Resolved profile",
    "last-modified": run.lastModified,
    version: pm.version ?? "unversioned",
    "oscal-version": oscalVersion(pm["oscal-version"], imported, report),
  };
  meta.props = [
    ...(pm.props ?? []).filter((p) => p.name !== "resolution-tool"),
    { name: "resolution-tool", value: run.options.tool ?? RESOLUTION_TOOL },
  ];
  meta.links = [
    ...(pm.links ?? []).filter((l) => l.rel !== "source-profile"),
    { href: href ?? `urn:uuid:${profile.uuid}`, rel: "source-profile" },
  ];
  // Roles and parties marked keep-always in the imported documents come along.
  for (const cat of imported) {
    for (const role of cat.metadata?.roles ?? []) {
      if (keepAlways(role.props) && !meta.roles?.some((r) => r.id === role.id))
        meta.roles = [...(meta.roles ?? []), role];
    }
    for (const party of cat.metadata?.parties ?? []) {
      if (keepAlways(party.props) && !meta.parties?.some((p) => p.uuid === party.uuid))
        meta.parties = [...(meta.parties ?? []), party];
    }
  }
  return meta;
}

/** The newest oscal-version among the profile and its imports, capped at the tool's version. */
function oscalVersion(own: string | undefined, imported: ResolvedCatalog[], report: Report): string {
  const all = [own, ...imported.map((c) => c.metadata?.["oscal-version"])].filter(
    (v): v is string => typeof v === "string",
  );
  const parse = (v: string) => v.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const newer = (a: string, b: string) => {
    const x = parse(a);
    const y = parse(b);
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
    return false;
  };
  const tool = TOOL_OSCAL_VERSION;
  const majors = new Set([...all, tool].map((v) => parse(v)[0]));
  if (majors.size > 1)
    report("metadata.oscal-version", `OSCAL major versions differ (${[...all, tool].join(", ")})`, "error");
  let best = all[0] ?? tool;
  for (const v of all) if (newer(v, best)) best = v;
  return newer(best, tool) ? tool : best;
}

/**
 * A name-based (version 5) UUID from a fixed namespace and the uuids and last-modified stamps of
 * the profile and of every document it imports, so that resolving the same inputs always gives the
 * same uuid and different inputs give different ones.
 */
function resolvedUuid(profile: OscalProfile, imported: ResolvedCatalog[]): string {
  const name = [
    `${profile.uuid}@${profile.metadata?.["last-modified"] ?? ""}`,
    ...imported.map((c) => `${c.uuid}@${c.metadata?.["last-modified"] ?? ""}`),
  ].join("|");
  return uuidV5(name, RESOLVED_UUID_NAMESPACE);
}

export function emptyCatalog(run: Run, profile: unknown): ResolvedCatalog {
  const uuid = isObject(profile) && typeof profile.uuid === "string" ? profile.uuid : "";
  return {
    uuid: uuidV5(uuid, RESOLVED_UUID_NAMESPACE),
    metadata: {
      title: "Unresolved profile",
      "last-modified": run.lastModified,
      version: "unresolved",
      "oscal-version": TOOL_OSCAL_VERSION,
      props: [{ name: "resolution-tool", value: run.options.tool ?? RESOLUTION_TOOL }],
    },
  };
}
