/**
 * OSCAL profile resolution: turns a profile plus the catalogs and profiles it imports into one
 * resolved catalog, following NIST's "OSCAL Profile Resolution" specification (import, merge,
 * modify, then back-matter, metadata and pruning). Pure: documents are obtained through the
 * caller's `loadImport`, nothing is read from disk or network here.
 *
 * Sharing: a control that the profile does not modify is copied shallowly (a new object for the
 * control, so that its child controls can differ) but its params, props, links and parts are the
 * imported catalog's own objects. Modified controls get their own copies (copy-on-write for
 * set-parameters, `structuredClone` of the content for alters), so the imported documents are
 * never changed. Callers that want to mutate the result should `structuredClone` it first.
 *
 * See docs/oscal-profile-resolution.md for what is supported and the deviations from the spec.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Problem } from "../core/problem.js";
import type {
  Addition,
  Alteration,
  CatalogDocument,
  Control,
  CustomGroup,
  Group,
  InsertControls,
  Link,
  Merge,
  Metadata,
  Modify,
  OscalProfile,
  OscalProfileDoc,
  Param,
  Part,
  ProfileImport,
  Property,
  Removal,
  ResolvedCatalog,
  Resource,
  SelectControl,
  SetParameter,
} from "./profile-types.js";
import type { OscalCatalog } from "./types.js";

/** What `loadImport` may return: a catalog or profile, with or without its document wrapper. */
export type ImportedDocument =
  | CatalogDocument
  | OscalProfileDoc
  | { catalog: OscalCatalog }
  | ResolvedCatalog
  | OscalCatalog
  | OscalProfile;

/**
 * Returns the document an import points to. `href` is the import's href (or, for an import of a
 * back-matter resource, one of the resource's rlinks), resolved against `base` (the href of the
 * importing document, when known) per RFC 3986, or as a POSIX path for plain paths. Return
 * `undefined` or throw when the document cannot be obtained.
 */
export type ImportLoader = (href: string, base?: string) => ImportedDocument | undefined;

export interface ResolveOptions {
  /** Name of the profile for problems; default `options.href` or "profile". */
  source?: string;
  /** Where the profile came from: the base for relative imports and the source-profile link. */
  href?: string;
  /** metadata.last-modified of the result; default: the time of resolution. */
  lastModified?: string;
  /** Value of the resolution-tool prop; default {@link RESOLUTION_TOOL}. */
  tool?: string;
}

export type Severity = "error" | "warning" | "info";

/** A Problem with a severity: "error" means the spec requires resolution to stop (see docs). */
export interface ResolveProblem extends Problem {
  severity: Severity;
}

export interface ResolveResult {
  /** The resolved catalog (the object under a catalog document's `catalog` key). */
  catalog: ResolvedCatalog;
  /** The same catalog wrapped as an OSCAL JSON document (`{ catalog }`), ready to write. */
  document: CatalogDocument;
  problems: ResolveProblem[];
}

export const RESOLUTION_TOOL = "Cairn OSCAL profile resolver";
/** The OSCAL version whose schemas Cairn validates against; caps the result's oscal-version. */
export const TOOL_OSCAL_VERSION = "1.2.1";
/** Fixed namespace of the name-based (version 5) UUIDs given to resolved catalogs. */
export const RESOLVED_UUID_NAMESPACE = "1f0c5e2a-7b4d-5c8e-9a36-c41f2d9e8b70";

// ---------------------------------------------------------------------------------------------
// internal structures

type Report = (location: string, message: string, severity?: Severity) => void;

/** A control in an imported catalog, with its place in the control hierarchy. */
interface TreeNode {
  control: Control;
  parent: TreeNode | undefined;
  kids: TreeNode[];
}

interface CatalogIndex {
  all: TreeNode[];
  byId: Map<string, TreeNode[]>;
}

/** A group of an imported catalog that holds included controls (or must be kept). */
interface SelGroup {
  src: Group;
  key: string | Group;
  parent: SelGroup | undefined;
  children: SelGroup[];
  keep: boolean;
}

/** An included control of one import. */
interface Entry {
  control: Control;
  /** Nearest included ancestor control in the same import. */
  parent: Entry | undefined;
  /** The group the control sits in (for top-level controls of a group and their descendants). */
  group: SelGroup | undefined;
  /** For a duplicate dropped by combine use-first/merge: the kept first copy. */
  dropped?: Entry;
  /** Parent after combination (a dropped parent is replaced by its kept copy). */
  rparent?: Entry;
  rkids: Entry[];
}

interface Selection {
  entries: Entry[];
  groups: SelGroup[];
  params: Param[];
  groupParams: Param[];
}

interface Body {
  params?: Param[];
  controls?: Control[];
  groups?: Group[];
}

interface StackItem {
  uuid: string;
  href: string;
  profile: OscalProfile;
}

interface Run {
  loader: ImportLoader;
  options: ResolveOptions;
  lastModified: string;
  problems: ResolveProblem[];
  indexes: Map<ResolvedCatalog, CatalogIndex>;
  globs: Map<string, RegExp>;
}

// ---------------------------------------------------------------------------------------------
// entry point

/**
 * Resolves an OSCAL profile into a catalog. Problems are reported, never thrown: an "error"
 * problem (import not found, circular import, several structuring directives, OSCAL major version
 * clash) means the spec requires the resolution to stop, and the returned catalog then holds only
 * what could be resolved.
 */
export function resolveProfile(
  profile: OscalProfile | OscalProfileDoc,
  loadImport: ImportLoader,
  options: ResolveOptions = {},
): ResolveResult {
  const run: Run = {
    loader: loadImport,
    options,
    lastModified: options.lastModified ?? new Date().toISOString(),
    problems: [],
    indexes: new Map(),
    globs: new Map(),
  };
  const inner =
    "profile" in profile && isObject(profile.profile) ? profile.profile : (profile as OscalProfile);
  const href = options.href ?? `urn:uuid:${typeof inner?.uuid === "string" ? inner.uuid : "unknown"}`;
  const catalog = resolveOne(run, inner, options.href, options.source ?? options.href ?? "profile", [
    { uuid: inner?.uuid, href, profile: inner },
  ]);
  return { catalog, document: { catalog }, problems: run.problems };
}

function resolveOne(
  run: Run,
  profile: OscalProfile,
  href: string | undefined,
  source: string,
  stack: StackItem[],
): ResolvedCatalog {
  const report: Report = (location, message, severity = "warning") => {
    run.problems.push({ source, location, message, severity });
  };
  if (!isPlain(profile) || !Array.isArray(profile.imports)) {
    report("", "not an OSCAL profile (no imports array)", "error");
    return emptyCatalog(run, profile);
  }
  checkKeys(profile, PROFILE_KEYS, "", report);

  const selections: Selection[] = [];
  const imported: ResolvedCatalog[] = [];
  if (profile.imports.length === 0) report("imports", "the profile imports nothing", "error");
  profile.imports.forEach((imp, i) => {
    const loc = `imports[${i}]`;
    if (!isPlain(imp)) {
      report(loc, "not an import object", "error");
      return;
    }
    checkKeys(imp, IMPORT_KEYS, loc, report);
    const cat = acquire(run, profile, imp, href, stack, loc, report);
    if (!cat) return;
    imported.push(cat);
    selections.push(select(run, cat, imp, loc, report, `in ${imp.href}`));
  });

  const setParamIds = new Set<string>();
  const body = merge(run, profile.merge, selections, report);
  if (profile.modify !== undefined) modify(profile.modify, body, setParamIds, report);
  return finish(run, profile, href, body, imported, setParamIds, report);
}

// ---------------------------------------------------------------------------------------------
// import phase

function acquire(
  run: Run,
  profile: OscalProfile,
  imp: ProfileImport,
  base: string | undefined,
  stack: StackItem[],
  loc: string,
  report: Report,
): ResolvedCatalog | undefined {
  const href = imp.href;
  if (typeof href !== "string" || href === "") {
    report(loc, "import without an href", "error");
    return undefined;
  }
  const tried: string[] = [];
  let loaded: { doc: unknown; href: string } | undefined;
  if (href.startsWith("#")) {
    const uuid = href.slice(1);
    const resource = profile["back-matter"]?.resources?.find((r) => r.uuid === uuid);
    if (!resource) {
      report(`${loc}.href`, `no back-matter resource with uuid ${uuid} in the profile`, "error");
      return undefined;
    }
    // Any rlink or base64 may be used (they are the same document in different formats); JSON first.
    const rlinks = [...(resource.rlinks ?? [])].sort((a, b) => Number(isJsonLink(b)) - Number(isJsonLink(a)));
    for (const rlink of rlinks) {
      const target = resolveHref(rlink.href, base);
      const doc = tryLoad(run, target, base, tried);
      if (doc !== undefined) {
        loaded = { doc, href: target };
        break;
      }
    }
    if (!loaded && resource.base64?.value) {
      try {
        loaded = {
          doc: JSON.parse(Buffer.from(resource.base64.value, "base64").toString("utf8")),
          href: `${href} (base64)`,
        };
      } catch (e) {
        tried.push(`base64: ${(e as Error).message}`);
      }
    }
    if (!loaded) {
      report(
        `${loc}.href`,
        `could not load back-matter resource ${uuid} (${tried.join("; ") || "it has no rlinks and no base64"})`,
        "error",
      );
      return undefined;
    }
  } else {
    const target = resolveHref(href, base);
    const doc = tryLoad(run, target, base, tried);
    if (doc === undefined) {
      report(`${loc}.href`, `could not load ${tried.join("; ")}`, "error");
      return undefined;
    }
    loaded = { doc, href: target };
  }

  const doc = loaded.doc;
  let catalog: ResolvedCatalog | undefined;
  let nested: OscalProfile | undefined;
  if (isObject(doc) && isObject(doc.catalog)) catalog = doc.catalog as unknown as ResolvedCatalog;
  else if (isObject(doc) && isObject(doc.profile)) nested = doc.profile as unknown as OscalProfile;
  else if (isObject(doc) && Array.isArray(doc.imports)) nested = doc as unknown as OscalProfile;
  else if (isObject(doc) && isObject(doc.metadata)) catalog = doc as unknown as ResolvedCatalog;
  if (catalog) return catalog;
  if (!nested) {
    report(`${loc}.href`, `${loaded.href} is not an OSCAL catalog or profile`, "error");
    return undefined;
  }
  const circular = stack.findIndex((s) => s.profile === nested || s.uuid === nested.uuid);
  if (circular >= 0) {
    const chain = [...stack.slice(circular).map((s) => s.href), loaded.href].join(" -> ");
    report(`${loc}.href`, `circular import: ${chain}`, "error");
    return undefined;
  }
  return resolveOne(run, nested, loaded.href, loaded.href, [
    ...stack,
    { uuid: nested.uuid, href: loaded.href, profile: nested },
  ]);
}

function tryLoad(run: Run, href: string, base: string | undefined, tried: string[]): unknown {
  try {
    const doc = run.loader(href, base);
    if (doc === undefined || doc === null) tried.push(`${href}: not found`);
    return doc ?? undefined;
  } catch (e) {
    tried.push(`${href}: ${(e as Error).message}`);
    return undefined;
  }
}

function isJsonLink(l: { href: string; "media-type"?: string }): boolean {
  return (l["media-type"] ?? "").includes("json") || l.href.endsWith(".json");
}

/** An import href resolved against the importing document's href (RFC 3986, or POSIX paths). */
export function resolveHref(href: string, base: string | undefined): string {
  const scheme = /^[a-z][a-z0-9+.-]+:/i;
  if (!base || scheme.test(href) || href.startsWith("/") || href.startsWith("#")) return href;
  if (scheme.test(base)) {
    try {
      return new URL(href, base).href;
    } catch {
      return href;
    }
  }
  return posix.normalize(posix.join(posix.dirname(base), href));
}

function indexCatalog(run: Run, cat: ResolvedCatalog): CatalogIndex {
  const cached = run.indexes.get(cat);
  if (cached) return cached;
  const index: CatalogIndex = { all: [], byId: new Map() };
  const walk = (controls: Control[] | undefined, parent: TreeNode | undefined) => {
    if (!controls) return;
    for (const control of controls) {
      const node: TreeNode = { control, parent, kids: [] };
      index.all.push(node);
      const same = index.byId.get(control.id);
      if (same) same.push(node);
      else index.byId.set(control.id, [node]);
      if (parent) parent.kids.push(node);
      walk(control.controls, node);
    }
  };
  const walkGroups = (groups: Group[] | undefined) => {
    if (!groups) return;
    for (const g of groups) {
      walk(g.controls, undefined);
      walkGroups(g.groups);
    }
  };
  walk(cat.controls, undefined);
  walkGroups(cat.groups);
  run.indexes.set(cat, index);
  return index;
}

interface Directive {
  "include-all"?: unknown;
  "include-controls"?: SelectControl[];
  "exclude-controls"?: SelectControl[];
}

interface Chooser<T extends { control: Control }> {
  all: T[];
  byId: Map<string, T[]>;
  parent(n: T): T | undefined;
  kids(n: T): T[];
}

/**
 * The controls a directive (an import or an insert-controls) selects: include-all or
 * include-controls (with-ids, matching; ancestors always, descendants with with-child-controls
 * yes), minus exclude-controls (the control, plus descendants with with-child-controls yes).
 */
function choose<T extends { control: Control }>(
  run: Run,
  d: Directive,
  ch: Chooser<T>,
  loc: string,
  report: Report,
  where: string,
): Set<T> {
  const chosen = new Set<T>();
  const addKids = (n: T, into: Set<T>) => {
    for (const k of ch.kids(n)) {
      into.add(k);
      addKids(k, into);
    }
  };
  if (d["include-all"] !== undefined) for (const n of ch.all) chosen.add(n);
  const includes = d["include-controls"];
  if (includes !== undefined) {
    includes.forEach((s, i) => {
      const l = `${loc}.include-controls[${i}]`;
      for (const n of matchSelect(run, s, ch, l, report, where)) {
        chosen.add(n);
        for (let a = ch.parent(n); a && !chosen.has(a); a = ch.parent(a)) chosen.add(a);
        if (s["with-child-controls"] === "yes") addKids(n, chosen);
      }
    });
  }
  if (d["include-all"] === undefined && includes === undefined) {
    report(loc, "neither include-all nor include-controls: all controls are included (OSCAL 1.0 default)");
    for (const n of ch.all) chosen.add(n);
  }
  const excludes = d["exclude-controls"];
  if (excludes !== undefined) {
    const out = new Set<T>();
    excludes.forEach((s, i) => {
      const l = `${loc}.exclude-controls[${i}]`;
      for (const n of matchSelect(run, s, ch, l, report, where)) {
        out.add(n);
        if (s["with-child-controls"] === "yes") addKids(n, out);
      }
    });
    for (const n of out) chosen.delete(n);
  }
  return chosen;
}

function matchSelect<T extends { control: Control }>(
  run: Run,
  s: SelectControl,
  ch: Chooser<T>,
  loc: string,
  report: Report,
  where: string,
): T[] {
  if (!isPlain(s)) {
    report(loc, "not a control selection object");
    return [];
  }
  checkKeys(s, SELECT_KEYS, loc, report);
  const wcc = s["with-child-controls"];
  if (wcc !== undefined && wcc !== "yes" && wcc !== "no")
    report(`${loc}.with-child-controls`, `"${wcc}" is neither yes nor no: treated as no`);
  const found: T[] = [];
  s["with-ids"]?.forEach((id, k) => {
    const nodes = ch.byId.get(id);
    if (nodes) found.push(...nodes);
    else report(`${loc}.with-ids[${k}]`, `no control with id "${id}" ${where}`);
  });
  s.matching?.forEach((m, k) => {
    const l = `${loc}.matching[${k}]`;
    if (!m.pattern) {
      report(l, "matching without a pattern matches nothing");
      return;
    }
    const re = glob(run, m.pattern);
    let hits = 0;
    for (const n of ch.all) {
      if (re.test(n.control.id)) {
        found.push(n);
        hits++;
      }
    }
    if (hits === 0) report(l, `pattern "${m.pattern}" matches no control ${where}`);
  });
  if (s["with-ids"] === undefined && s.matching === undefined)
    report(loc, "selects nothing (no with-ids, no matching)");
  return found;
}

/** A glob (`*` any run, `?` one character, all else literal) as an anchored regular expression. */
function glob(run: Run, pattern: string): RegExp {
  let re = run.globs.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "s");
    run.globs.set(pattern, re);
  }
  return re;
}

function select(
  run: Run,
  cat: ResolvedCatalog,
  imp: Directive,
  loc: string,
  report: Report,
  where: string,
): Selection {
  const index = indexCatalog(run, cat);
  const chosen = choose(
    run,
    imp,
    { all: index.all, byId: index.byId, parent: (n) => n.parent, kids: (n) => n.kids },
    loc,
    report,
    where,
  );
  const included = new Set<Control>();
  for (const n of chosen) included.add(n.control);

  const sel: Selection = { entries: [], groups: [], params: cat.params ?? [], groupParams: [] };
  const walk = (controls: Control[] | undefined, parent: Entry | undefined, group: SelGroup | undefined) => {
    let any = false;
    if (!controls) return any;
    for (const control of controls) {
      let here = parent;
      if (included.has(control)) {
        here = { control, parent, group, rkids: [] };
        sel.entries.push(here);
        any = true;
      }
      if (control.controls && walk(control.controls, here, group)) any = true;
    }
    return any;
  };
  const walkGroups = (groups: Group[] | undefined, parent: SelGroup | undefined, into: SelGroup[]) => {
    let any = false;
    if (!groups) return any;
    for (const g of groups) {
      const sg: SelGroup = { src: g, key: g.id ?? g, parent, children: [], keep: keepAlways(g.props) };
      if (g.params) sel.groupParams.push(...g.params);
      const direct = walk(g.controls, undefined, sg);
      const nested = walkGroups(g.groups, sg, sg.children);
      if (direct || nested || sg.keep) {
        into.push(sg);
        any = true;
      }
    }
    return any;
  };
  walk(cat.controls, undefined, undefined);
  walkGroups(cat.groups, undefined, sel.groups);
  return sel;
}

// ---------------------------------------------------------------------------------------------
// merge phase

function merge(run: Run, m: Merge | undefined, selections: Selection[], report: Report): Body {
  if (m !== undefined) checkKeys(m, MERGE_KEYS, "merge", report);
  let method = m?.combine?.method ?? "keep";
  if (m?.combine) checkKeys(m.combine, COMBINE_KEYS, "merge.combine", report);
  if (method !== "keep" && method !== "use-first" && method !== "merge") {
    report("merge.combine.method", `unknown combination method "${method}": keep is used`);
    method = "keep";
  }
  if (method === "merge")
    report(
      "merge.combine.method",
      "combine method merge is deprecated in OSCAL (undefined behaviour): Cairn keeps the first copy of a " +
        "duplicated control and gathers the child controls of all copies under it",
      "info",
    );

  // Combination: which included controls survive, and where their children go.
  const survivors: Entry[] = [];
  const first = new Map<string, Entry>();
  const warned = new Set<string>();
  for (const s of selections) {
    for (const e of s.entries) {
      const f = first.get(e.control.id);
      if (!f) {
        first.set(e.control.id, e);
        survivors.push(e);
      } else if (method === "keep") {
        survivors.push(e);
        if (!warned.has(e.control.id)) {
          warned.add(e.control.id);
          report(
            "merge",
            `control "${e.control.id}" is included more than once and combine method is keep: ` +
              "the resolved catalog has duplicate control ids",
          );
        }
      } else {
        e.dropped = f;
        if (method === "merge" && !sameContent(f.control, e.control) && !warned.has(e.control.id)) {
          warned.add(e.control.id);
          report("merge", `the copies of control "${e.control.id}" differ: the first one's content is kept`);
        }
      }
    }
  }
  for (const e of survivors) {
    let parent = e.parent;
    if (parent?.dropped) parent = parent.dropped;
    e.rparent = parent;
    if (parent) parent.rkids.push(e);
  }

  const flat = m?.flat !== undefined;
  const asIs = m?.["as-is"] === true;
  const custom = m?.custom !== undefined;
  if (Number(flat) + Number(asIs) + Number(custom) > 1)
    report(
      "merge",
      "more than one structuring directive (flat, as-is, custom): the spec requires an error; " +
        "Cairn applies custom, else as-is",
      "error",
    );

  const combineParams = (lists: Param[][]): Param[] => {
    const out: Param[] = [];
    const seen = new Map<string, Param>();
    for (const list of lists) {
      for (const p of list) {
        const prev = seen.get(p.id);
        if (prev === p) continue; // the same catalog imported twice
        if (prev && method !== "keep") continue;
        if (prev)
          report("merge", `loose parameter "${p.id}" is imported more than once with combine method keep`);
        seen.set(p.id, p);
        out.push(p);
      }
    }
    return out;
  };

  if (custom && m?.custom) return mergeCustom(run, m.custom, selections, survivors, combineParams, report);
  if (asIs) return mergeAsIs(selections, survivors, combineParams(selections.map((s) => s.params)), report);

  // flat (also the default): no groups, no nesting; group params become loose params.
  const body: Body = {};
  const params = combineParams([...selections.map((s) => s.params), ...selections.map((s) => s.groupParams)]);
  if (params.length) body.params = params;
  if (survivors.length) body.controls = survivors.map((e) => bare(e.control));
  return body;
}

/** A new control object with the content of `c` but without child controls. */
function bare(c: Control): Control {
  if (c.controls === undefined) return { ...c };
  const { controls: _children, ...rest } = c;
  return rest;
}

function buildNested(e: Entry, keepKid: (k: Entry) => boolean = () => true): Control {
  const c = bare(e.control);
  if (e.rkids.length) {
    const kids: Control[] = [];
    for (const k of e.rkids) if (keepKid(k)) kids.push(buildNested(k, keepKid));
    if (kids.length) c.controls = kids;
  }
  return c;
}

interface OutGroup {
  key: string | Group;
  src: Group;
  keep: boolean;
  controls: Control[];
  groups: OutGroup[];
  byKey: Map<string | Group, OutGroup>;
}

function mergeAsIs(selections: Selection[], survivors: Entry[], params: Param[], report: Report): Body {
  const root = {
    controls: [] as Control[],
    groups: [] as OutGroup[],
    byKey: new Map<string | Group, OutGroup>(),
  };
  const bySel = new Map<SelGroup, OutGroup>();
  const outFor = (sg: SelGroup): OutGroup => {
    const known = bySel.get(sg);
    if (known) return known;
    const level = sg.parent ? outFor(sg.parent) : root;
    let og = level.byKey.get(sg.key);
    if (!og) {
      og = { key: sg.key, src: sg.src, keep: sg.keep, controls: [], groups: [], byKey: new Map() };
      level.byKey.set(sg.key, og);
      level.groups.push(og);
    } else if (og.src !== sg.src && !sameContent(og.src, sg.src)) {
      report(
        "merge.as-is",
        `group "${sg.src.id}" differs between imports: the first one's title, params, props, links and parts are kept`,
      );
    }
    og.keep ||= sg.keep;
    bySel.set(sg, og);
    return og;
  };
  // Create the groups in document order first, so that the output follows the sources' order.
  const visit = (list: SelGroup[]) => {
    for (const sg of list) {
      outFor(sg);
      visit(sg.children);
    }
  };
  for (const s of selections) visit(s.groups);
  for (const e of survivors) {
    if (e.rparent) continue;
    (e.group ? outFor(e.group).controls : root.controls).push(buildNested(e));
  }
  const emit = (og: OutGroup): Group | undefined => {
    const groups: Group[] = [];
    for (const child of og.groups) {
      const g = emit(child);
      if (g) groups.push(g);
    }
    if (og.controls.length === 0 && groups.length === 0 && !og.keep) return undefined;
    const { controls: _c, groups: _g, ...rest } = og.src;
    const g: Group = { ...rest };
    if (groups.length) g.groups = groups;
    if (og.controls.length) g.controls = og.controls;
    return g;
  };
  const body: Body = {};
  if (params.length) body.params = params;
  if (root.controls.length) body.controls = root.controls;
  const groups: Group[] = [];
  for (const og of root.groups) {
    const g = emit(og);
    if (g) groups.push(g);
  }
  if (groups.length) body.groups = groups;
  return body;
}

function mergeCustom(
  run: Run,
  custom: NonNullable<Merge["custom"]>,
  selections: Selection[],
  survivors: Entry[],
  combineParams: (lists: Param[][]) => Param[],
  report: Report,
): Body {
  checkKeys(custom, CUSTOM_KEYS, "merge.custom", report);
  const byId = new Map<string, Entry[]>();
  for (const e of survivors) {
    const same = byId.get(e.control.id);
    if (same) same.push(e);
    else byId.set(e.control.id, [e]);
  }
  const chooser: Chooser<Entry> = { all: survivors, byId, parent: (e) => e.rparent, kids: (e) => e.rkids };
  const sourceGroups = new Map<string, Group>();
  const collect = (list: SelGroup[]) => {
    for (const sg of list) {
      if (sg.src.id !== undefined && !sourceGroups.has(sg.src.id)) sourceGroups.set(sg.src.id, sg.src);
      collect(sg.children);
    }
  };
  for (const s of selections) collect(s.groups);
  const usedGroups = new Set<string>();
  const inserted = new Map<Entry, number>();

  const insert = (list: InsertControls[] | undefined, loc: string): Control[] => {
    const out: Control[] = [];
    list?.forEach((ic, i) => {
      const l = `${loc}.insert-controls[${i}]`;
      checkKeys(ic, INSERT_KEYS, l, report);
      const chosen = choose(run, ic, chooser, l, report, "among the included controls");
      if (chosen.size === 0) {
        report(l, "selects none of the included controls: ignored");
        return;
      }
      const roots = survivors.filter((e) => chosen.has(e) && !(e.rparent && chosen.has(e.rparent)));
      const order = ic.order ?? "keep";
      if (order === "ascending") roots.sort((a, b) => cmp(a.control.id, b.control.id));
      else if (order === "descending") roots.sort((a, b) => cmp(b.control.id, a.control.id));
      else if (order !== "keep") report(`${l}.order`, `unknown order "${order}": keep is used`);
      for (const e of roots) {
        out.push(buildNested(e, (k) => chosen.has(k)));
      }
      for (const e of chosen) inserted.set(e, (inserted.get(e) ?? 0) + 1);
    });
    return out;
  };

  const build = (cg: CustomGroup, loc: string): Group => {
    checkKeys(cg, CUSTOM_GROUP_KEYS, loc, report);
    const { groups: subgroups, "insert-controls": inserts, ...rest } = cg;
    const g: Group = { ...rest };
    const src = cg.id !== undefined ? sourceGroups.get(cg.id) : undefined;
    if (src && cg.id !== undefined) {
      usedGroups.add(cg.id);
      // Same id as an imported group: its content comes along where the custom group gives none.
      if (g.class === undefined && src.class !== undefined) g.class = src.class;
      if (g.params === undefined && src.params !== undefined) g.params = src.params;
      if (g.props === undefined && src.props !== undefined) g.props = src.props;
      if (g.links === undefined && src.links !== undefined) g.links = src.links;
      if (g.parts === undefined && src.parts !== undefined) g.parts = src.parts;
    }
    const groups = subgroups?.map((sub, i) => build(sub, `${loc}.groups[${i}]`)) ?? [];
    const controls = insert(inserts, loc);
    if (groups.length) g.groups = groups;
    if (controls.length) g.controls = controls;
    return g;
  };

  const body: Body = {};
  const controls = insert(custom["insert-controls"], "merge.custom");
  const groups = custom.groups?.map((cg, i) => build(cg, `merge.custom.groups[${i}]`)) ?? [];

  // Params of imported groups that no custom group took over stay available as loose params
  // (pruned below when nothing refers to them).
  const orphanParams: Param[] = [];
  const gather = (list: SelGroup[]) => {
    for (const sg of list) {
      if (sg.src.params && !(sg.src.id !== undefined && usedGroups.has(sg.src.id)))
        orphanParams.push(...sg.src.params);
      gather(sg.children);
    }
  };
  for (const s of selections) gather(s.groups);
  const params = combineParams([...selections.map((s) => s.params), orphanParams]);

  const twice = [...inserted].filter(([, n]) => n > 1).map(([e]) => e.control.id);
  if (twice.length)
    report(
      "merge.custom",
      `controls inserted more than once (duplicate ids in the result): ${twice.join(", ")}`,
    );
  const left = survivors.filter((e) => !inserted.has(e)).map((e) => e.control.id);
  if (left.length)
    report(
      "merge.custom",
      `${left.length} included control(s) are not selected by any insert-controls and are not in the result: ` +
        `${left.slice(0, 20).join(", ")}${left.length > 20 ? ", ..." : ""}`,
      "info",
    );
  if (params.length) body.params = params;
  if (controls.length) body.controls = controls;
  if (groups.length) body.groups = groups;
  return body;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// modify phase

interface ParamHolder {
  params?: Param[];
}

function modify(mod: Modify, body: Body, setParamIds: Set<string>, report: Report): void {
  if (!isPlain(mod)) return;
  checkKeys(mod, MODIFY_KEYS, "modify", report);
  const holders = new Map<string, ParamHolder[]>();
  const controls = new Map<string, Control[]>();
  const addHolder = (h: ParamHolder) => {
    if (!h.params) return;
    for (const p of h.params) {
      const list = holders.get(p.id);
      if (!list) holders.set(p.id, [h]);
      else if (!list.includes(h)) list.push(h);
    }
  };
  const walkControls = (list: Control[] | undefined) => {
    if (!list) return;
    for (const c of list) {
      addHolder(c);
      const same = controls.get(c.id);
      if (same) same.push(c);
      else controls.set(c.id, [c]);
      walkControls(c.controls);
    }
  };
  const walkGroups = (list: Group[] | undefined) => {
    if (!list) return;
    for (const g of list) {
      addHolder(g);
      walkControls(g.controls);
      walkGroups(g.groups);
    }
  };
  addHolder(body);
  walkControls(body.controls);
  walkGroups(body.groups);

  const ownedArrays = new WeakSet<Param[]>();
  mod["set-parameters"]?.forEach((sp, i) => {
    const loc = `modify.set-parameters[${i}]`;
    checkKeys(sp, SET_PARAM_KEYS, loc, report);
    const id = sp["param-id"];
    setParamIds.add(id);
    const found = holders.get(id);
    if (!found) {
      report(loc, `no parameter "${id}" in the resolved catalog: setting ignored`);
      return;
    }
    for (const h of found) {
      if (!h.params) continue;
      if (!ownedArrays.has(h.params)) {
        h.params = h.params.slice();
        ownedArrays.add(h.params);
      }
      const list = h.params;
      for (let k = 0; k < list.length; k++) {
        const p = list[k];
        if (p !== undefined && p.id === id) list[k] = setParameter(p, sp, loc, report);
      }
    }
  });

  const cloned = new WeakSet<Control>();
  mod.alters?.forEach((alter, i) => {
    const loc = `modify.alters[${i}]`;
    checkKeys(alter, ALTER_KEYS, loc, report);
    const targets = controls.get(alter["control-id"]);
    if (!targets) {
      report(loc, `control "${alter["control-id"]}" is not in the resolved catalog: alteration ignored`);
      return;
    }
    for (const c of targets) {
      if (!cloned.has(c)) {
        // Own copies of the content this alteration may change; child controls are separate objects.
        if (c.params) c.params = structuredClone(c.params);
        if (c.props) c.props = structuredClone(c.props);
        if (c.links) c.links = structuredClone(c.links);
        if (c.parts) c.parts = structuredClone(c.parts);
        cloned.add(c);
      }
      alterControl(c, alter, loc, report);
    }
  });
}

function setParameter(p: Param, sp: SetParameter, loc: string, report: Report): Param {
  const q: Param = { ...p };
  if (sp.class !== undefined) q.class = sp.class;
  if (sp["depends-on"] !== undefined) q["depends-on"] = sp["depends-on"];
  if (sp.label !== undefined) q.label = sp.label;
  if (sp.usage !== undefined) q.usage = sp.usage;
  // values and select exclude each other in a catalog param: the one set last wins.
  if (sp.values !== undefined) {
    q.values = [...sp.values];
    delete q.select;
    if (sp.select !== undefined)
      report(`${loc}.select`, "a setting with both values and select: values are kept, select is ignored");
  } else if (sp.select !== undefined) {
    q.select = structuredClone(sp.select);
    delete q.values;
  }
  if (sp.props !== undefined) q.props = mergeProps(q.props, sp.props);
  if (sp.links !== undefined) q.links = [...(q.links ?? []), ...structuredClone(sp.links)];
  if (sp.constraints !== undefined)
    q.constraints = [...(q.constraints ?? []), ...structuredClone(sp.constraints)];
  if (sp.guidelines !== undefined)
    q.guidelines = [...(q.guidelines ?? []), ...structuredClone(sp.guidelines)];
  return q;
}

/** Props added to existing ones; an added prop with a uuid replaces the existing one with that uuid. */
function mergeProps(old: Property[] | undefined, added: Property[]): Property[] {
  const uuids = new Set(added.map((p) => p.uuid).filter((u) => u !== undefined));
  const kept = (old ?? []).filter((p) => p.uuid === undefined || !uuids.has(p.uuid));
  return [...kept, ...structuredClone(added)];
}

type ItemKind = "param" | "prop" | "link" | "part";

interface Content {
  params?: Param[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
}

function alterControl(c: Control, alter: Alteration, loc: string, report: Report): void {
  alter.removes?.forEach((rm, k) => {
    const l = `${loc}.removes[${k}]`;
    checkKeys(rm, REMOVE_KEYS, l, report);
    removeFrom(c, rm, l, report);
  });
  alter.adds?.forEach((add, k) => {
    const l = `${loc}.adds[${k}]`;
    checkKeys(add, ADD_KEYS, l, report);
    addTo(c, add, l, report);
  });
}

function removeFrom(c: Control, rm: Removal, loc: string, report: Report): void {
  // OSCAL 1.0 spelled the criteria name-ref, class-ref, id-ref, item-name, ns-ref.
  const legacy = rm as Record<string, unknown>;
  const crit = {
    name: rm["by-name"] ?? str(legacy["name-ref"]),
    cls: rm["by-class"] ?? str(legacy["class-ref"]),
    id: rm["by-id"] ?? str(legacy["id-ref"]),
    item: rm["by-item-name"] ?? str(legacy["item-name"]),
    ns: rm["by-ns"] ?? str(legacy["ns-ref"]),
  };
  if (Object.values(crit).every((v) => v === undefined)) {
    report(loc, "a removal without criteria removes nothing");
    return;
  }
  if (crit.item !== undefined && !["param", "prop", "link", "part"].includes(crit.item)) {
    report(loc, `by-item-name "${crit.item}" names no object of the catalog model: nothing removed`);
    return;
  }
  if (crit.id !== undefined && findChildControl(c, crit.id)) {
    report(
      loc,
      `"${crit.id}" is a child control: removing controls with alter is not supported, use exclude-controls`,
    );
    return;
  }
  const matches = (
    kind: ItemKind,
    o: { id?: string; name?: string; class?: string; ns?: string; href?: string },
  ) =>
    (crit.item === undefined || crit.item === kind) &&
    (crit.id === undefined || o.id === crit.id) &&
    (crit.name === undefined || o.name === crit.name) &&
    (crit.cls === undefined || o.class === crit.cls) &&
    (crit.ns === undefined || o.ns === crit.ns);
  let removed = 0;
  const prune = (h: Content) => {
    if (h.params) {
      const kept = h.params.filter((p) => !matches("param", p));
      removed += h.params.length - kept.length;
      for (const p of kept) prune(p);
      setList(h, "params", kept);
    }
    if (h.props) {
      const kept = h.props.filter((p) => !matches("prop", p));
      removed += h.props.length - kept.length;
      setList(h, "props", kept);
    }
    if (h.links) {
      const kept = h.links.filter((l) => !matches("link", l));
      removed += h.links.length - kept.length;
      setList(h, "links", kept);
    }
    if (h.parts) {
      const kept = h.parts.filter((p) => !matches("part", p));
      removed += h.parts.length - kept.length;
      for (const p of kept) prune(p);
      setList(h, "parts", kept);
    }
  };
  prune(c);
  if (removed === 0) report(loc, `removal matches nothing in control "${c.id}"`);
}

function setList<K extends keyof Content>(h: Content, key: K, list: NonNullable<Content[K]>): void {
  if (list.length) h[key] = list;
  else delete h[key];
}

/** Adds copies of `added` at the start or the end of `h[key]`; sets nothing when there is nothing to add. */
function put<K extends keyof Content>(h: Content, key: K, added: Content[K], atStart: boolean): void {
  if (!added?.length) return;
  const copy = structuredClone(added) as unknown[];
  const list = (h[key] ?? []) as unknown[];
  h[key] = (atStart ? [...copy, ...list] : [...list, ...copy]) as Content[K];
}

function addTo(c: Control, add: Addition, loc: string, report: Report): void {
  let position = add.position ?? "ending";
  if (!["before", "after", "starting", "ending"].includes(position)) {
    report(`${loc}.position`, `unknown position "${position}": ending is used`);
    position = "ending";
  }
  const byId = add["by-id"];
  if (byId === undefined || byId === c.id) {
    // Implicit binding: to the control itself; before/after mean starting/ending.
    const start = position === "starting" || position === "before";
    if (add.title !== undefined) c.title = add.title;
    put(c, "params", add.params, start);
    put(c, "props", add.props, start);
    put(c, "links", add.links, start);
    put(c, "parts", add.parts, start);
    return;
  }
  const hit = findInControl(c, byId);
  if (!hit) {
    if (findChildControl(c, byId))
      report(
        `${loc}.by-id`,
        `"${byId}" is a child control: alter it with its own control-id; addition ignored`,
      );
    else report(`${loc}.by-id`, `nothing with id "${byId}" in control "${c.id}": addition ignored`);
    return;
  }
  const what = `${hit.kind} "${byId}"`;
  if (position === "starting" || position === "ending") {
    const start = position === "starting";
    if (hit.kind === "part") {
      const part = hit.item as Part;
      if (add.title !== undefined) part.title = add.title;
      put(part, "props", add.props, start);
      put(part, "links", add.links, start);
      put(part, "parts", add.parts, start);
      if (add.params?.length) report(`${loc}.params`, `a part cannot hold params: not added to ${what}`);
    } else {
      const param = hit.item as Param;
      put(param, "props", add.props, start);
      put(param, "links", add.links, start);
      if (add.params?.length) report(`${loc}.params`, `a param cannot hold params: not added to ${what}`);
      if (add.parts?.length) report(`${loc}.parts`, `a param cannot hold parts: not added to ${what}`);
      if (add.title !== undefined) report(`${loc}.title`, `a param has no title: not set on ${what}`);
    }
    return;
  }
  // before / after: objects of the target's kind go next to it, other objects into its container.
  const before = position === "before";
  const holder = hit.holder;
  if (hit.kind === "part") {
    const list = holder.parts ?? [];
    const at = list.indexOf(hit.item as Part);
    if (add.parts?.length) list.splice(before ? at : at + 1, 0, ...structuredClone(add.parts));
    if (add.params?.length) {
      if (holder === c) put(c, "params", add.params, before);
      else report(`${loc}.params`, `params cannot go next to ${what} (inside a part): not added`);
    }
  } else {
    const list = holder.params ?? [];
    const at = list.indexOf(hit.item as Param);
    if (add.params?.length) list.splice(before ? at : at + 1, 0, ...structuredClone(add.params));
    if (add.parts?.length) put(c, "parts", add.parts, before);
  }
  put(holder, "props", add.props, before);
  put(holder, "links", add.links, before);
  if (add.title !== undefined) report(`${loc}.title`, `a title cannot be added ${position} ${what}: not set`);
}

/** The param or part with this id inside the control's own content (not child controls). */
function findInControl(
  c: Control,
  id: string,
): { kind: "param" | "part"; item: Param | Part; holder: Content } | undefined {
  for (const p of c.params ?? []) if (p.id === id) return { kind: "param", item: p, holder: c };
  const inParts = (holder: Content): { kind: "part"; item: Part; holder: Content } | undefined => {
    for (const part of holder.parts ?? []) {
      if (part.id === id) return { kind: "part", item: part, holder };
      const deeper = inParts(part);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return inParts(c);
}

function findChildControl(c: Control, id: string): boolean {
  return (c.controls ?? []).some((k) => k.id === id || findChildControl(k, id));
}

// ---------------------------------------------------------------------------------------------
// final operations: pruning, back matter, metadata

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

function finish(
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

export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function emptyCatalog(run: Run, profile: unknown): ResolvedCatalog {
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

// ---------------------------------------------------------------------------------------------
// helpers

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Like isObject, without narrowing (narrowing an already typed value would blur its type). */
function isPlain(v: unknown): boolean {
  return isObject(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function keepAlways(props: Property[] | undefined): boolean {
  return props?.some((p) => p.name === "keep" && p.value === "always") ?? false;
}

function sameContent(a: Control | Group, b: Control | Group): boolean {
  const { controls: _a, groups: _ag, ...ra } = a as Group;
  const { controls: _b, groups: _bg, ...rb } = b as Group;
  return JSON.stringify(ra) === JSON.stringify(rb);
}

const PROFILE_KEYS = new Set(["uuid", "metadata", "imports", "merge", "modify", "back-matter"]);
const IMPORT_KEYS = new Set(["href", "include-all", "include-controls", "exclude-controls"]);
const SELECT_KEYS = new Set(["with-child-controls", "with-ids", "matching"]);
const MERGE_KEYS = new Set(["combine", "flat", "as-is", "custom"]);
const COMBINE_KEYS = new Set(["method"]);
const CUSTOM_KEYS = new Set(["groups", "insert-controls"]);
const CUSTOM_GROUP_KEYS = new Set([
  "id",
  "class",
  "title",
  "params",
  "props",
  "links",
  "parts",
  "groups",
  "insert-controls",
]);
const INSERT_KEYS = new Set(["order", "include-all", "include-controls", "exclude-controls"]);
const MODIFY_KEYS = new Set(["set-parameters", "alters"]);
const SET_PARAM_KEYS = new Set([
  "param-id",
  "class",
  "depends-on",
  "props",
  "links",
  "label",
  "usage",
  "constraints",
  "guidelines",
  "values",
  "select",
]);
const ALTER_KEYS = new Set(["control-id", "removes", "adds"]);
const REMOVE_KEYS = new Set([
  "by-name",
  "by-class",
  "by-id",
  "by-item-name",
  "by-ns",
  "remarks",
  "name-ref",
  "class-ref",
  "id-ref",
  "item-name",
  "ns-ref",
]);
const ADD_KEYS = new Set(["position", "by-id", "title", "params", "props", "links", "parts"]);

/** Reports every key the resolver does not know, so that nothing is dropped silently. */
function checkKeys(obj: object, known: ReadonlySet<string>, loc: string, report: Report): void {
  for (const k of Object.keys(obj)) {
    if (!known.has(k)) report(loc ? `${loc}.${k}` : k, `"${k}" is not supported by the resolver: ignored`);
  }
}
