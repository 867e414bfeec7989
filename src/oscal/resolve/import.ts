/**
 * Import phase: acquire each imported document (resolving imported profiles first), then select
 * its controls (include-all, include-controls, exclude-controls) into a Selection.
 */
import { posix } from "node:path";
import type {
  Control,
  Group,
  OscalProfile,
  Param,
  ProfileImport,
  ResolvedCatalog,
  SelectControl,
} from "../profile-types.js";
import { compileGlob, MAX_PATTERN_LENGTH } from "./glob.js";
import { catalogShapeProblems, controlShapeProblems, profileShapeProblems } from "./shape.js";
import {
  type CatalogIndex,
  checkTime,
  type Entry,
  LoadedDocument,
  type Report,
  ResolutionStopped,
  type Run,
  type Selection,
  type SelGroup,
  type TreeNode,
  tick,
} from "./types.js";
import { checkKeys, contentKey, isObject, isPlain, keepAlways, SELECT_KEYS } from "./util.js";

/**
 * Catalog objects that passed the shape check: a caller that keeps a parsed catalog and resolves
 * many profiles against it (the server, the benchmark) pays for the check once. Imported documents
 * are never mutated by the resolver; a caller must not mutate them between resolutions either.
 */
const CHECKED = new WeakSet<object>();

/** One profile being resolved, in the chain of imports that led to it. */
export interface Frame {
  /** Canonical location (real path for files): circular imports are detected by it. */
  location: string;
  /** The href as written or resolved, for messages. */
  href: string;
}

/** Resolves a nested profile (the entry point's recursion, passed in to keep the phases apart). */
export type ResolveNested = (profile: OscalProfile, href: string, stack: Frame[]) => ResolvedCatalog;

/** The imported catalog (a nested profile resolved first), or undefined after reporting an error. */
export function acquire(
  run: Run,
  profile: OscalProfile,
  imp: ProfileImport,
  base: string | undefined,
  stack: Frame[],
  loc: string,
  report: Report,
  resolveNested: ResolveNested,
): ResolvedCatalog | undefined {
  checkTime(run);
  if (++run.imports > run.limits.imports)
    throw new ResolutionStopped(`more than ${run.limits.imports} imports in all: resolution stopped`);
  const href = imp.href;
  if (typeof href !== "string" || href === "") {
    report(loc, "import without an href", "error");
    return undefined;
  }
  const here = stack[stack.length - 1] as Frame;
  const tried: string[] = [];
  let loaded: { doc: unknown; href: string; location: string } | undefined;
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
      const got = tryLoad(run, target, base, tried);
      if (got !== undefined) {
        loaded = { doc: got.doc, href: target, location: got.location };
        break;
      }
    }
    if (!loaded && resource.base64?.value) {
      try {
        loaded = {
          doc: JSON.parse(Buffer.from(resource.base64.value, "base64").toString("utf8")),
          href: `${href} (base64)`,
          location: `${here.location}#${uuid}`,
        };
      } catch {
        tried.push("base64: not JSON");
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
    const got = tryLoad(run, target, base, tried);
    if (got === undefined) {
      report(`${loc}.href`, `could not load ${tried.join("; ")}`, "error");
      return undefined;
    }
    loaded = { doc: got.doc, href: target, location: got.location };
  }

  const doc = loaded.doc;
  let catalog: unknown;
  let nested: unknown;
  if (isObject(doc) && doc.catalog !== undefined) catalog = doc.catalog;
  else if (isObject(doc) && doc.profile !== undefined) nested = doc.profile;
  else if (isObject(doc) && doc.imports !== undefined) nested = doc;
  else if (isObject(doc) && doc.metadata !== undefined) catalog = doc;
  if (catalog !== undefined) {
    if (!CHECKED.has(catalog as object)) {
      const problems = catalogShapeProblems(catalog, loaded.href);
      if (problems.length) {
        report(`${loc}.href`, `${loaded.href} is not a valid OSCAL catalog: ${summarize(problems)}`, "error");
        return undefined;
      }
      if (catalog !== null && typeof catalog === "object") CHECKED.add(catalog);
    }
    return catalog as ResolvedCatalog;
  }
  if (nested === undefined) {
    report(`${loc}.href`, `${loaded.href} is not an OSCAL catalog or profile`, "error");
    return undefined;
  }
  const circular = stack.findIndex((s) => s.location === loaded.location);
  if (circular >= 0) {
    const chain = [...stack.slice(circular).map((s) => s.href), loaded.href].join(" -> ");
    report(`${loc}.href`, `circular import: ${chain}`, "error");
    return undefined;
  }
  if (stack.length >= run.limits.depth) {
    report(
      `${loc}.href`,
      `profiles import profiles more than ${run.limits.depth} deep: ${loaded.href} not resolved`,
      "error",
    );
    return undefined;
  }
  const problems = profileShapeProblems(nested, loaded.href);
  if (problems.length) {
    report(`${loc}.href`, `${loaded.href} is not a valid OSCAL profile: ${summarize(problems)}`, "error");
    return undefined;
  }
  return resolveNested(nested as OscalProfile, loaded.href, [
    ...stack,
    { location: loaded.location, href: loaded.href },
  ]);
}

function summarize(problems: { location?: string; message: string }[]): string {
  const shown = problems.slice(0, 3).map((p) => `${p.location || "(top)"}: ${p.message}`);
  return `${shown.join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`;
}

function tryLoad(
  run: Run,
  href: string,
  base: string | undefined,
  tried: string[],
): { doc: unknown; location: string } | undefined {
  try {
    const got = run.loader(href, base);
    if (got === undefined || got === null) {
      tried.push(`${href}: not found`);
      return undefined;
    }
    if (got instanceof LoadedDocument) return { doc: got.document, location: got.location };
    return { doc: got, location: href };
  } catch (e) {
    if (e instanceof ResolutionStopped) throw e;
    tried.push(e instanceof Error ? e.message : `${href}: could not be loaded`);
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

export interface Directive {
  "include-all"?: unknown;
  "include-controls"?: SelectControl[];
  "exclude-controls"?: SelectControl[];
}

export interface Chooser<T extends { control: Control }> {
  all: T[];
  byId: Map<string, T[]>;
  parent(n: T): T | undefined;
  kids(n: T): T[];
}

/**
 * The controls a directive (an import or an insert-controls) selects: include-all or
 * include-controls (with-ids, matching; ancestors always: with-parent-controls is not in the
 * OSCAL 1.x schemas, so its default, yes, applies; descendants
 * with with-child-controls yes), minus exclude-controls (the control, plus descendants with
 * with-child-controls yes).
 */
export function choose<T extends { control: Control }>(
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
      if (into.has(k)) continue;
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
    if (m.pattern.length > MAX_PATTERN_LENGTH) {
      report(
        l,
        `a pattern of ${m.pattern.length} characters (at most ${MAX_PATTERN_LENGTH}): matches nothing`,
      );
      return;
    }
    let test = run.globs.get(m.pattern);
    if (!test) {
      test = compileGlob(m.pattern);
      run.globs.set(m.pattern, test);
    }
    let hits = 0;
    for (const n of ch.all) {
      tick(run);
      if (test(n.control.id)) {
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

/**
 * The key that makes groups of several imports one group in the result: the id, or for a group
 * without an id its content (title, class, params, props, links, parts): NIST's catalogs of
 * different imports repeat id-less groups, and equal content is the only identity they have.
 */
function groupKey(g: Group): string {
  return g.id !== undefined ? `id:${g.id}` : `content:${contentKey(g)}`;
}

export function select(
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
  run.controls += chosen.size;
  if (run.controls > run.limits.controls)
    throw new ResolutionStopped(
      `more than ${run.limits.controls} controls selected in all: resolution stopped (imports repeated too often?)`,
    );
  const included = new Set<Control>();
  for (const n of chosen) {
    // The selected controls' content is copied into the result: check it in full (once per object).
    if (!CHECKED.has(n.control)) {
      const problems = controlShapeProblems(n.control, `control "${n.control.id}"`, where);
      if (problems.length) {
        report(
          loc,
          `${where.replace(/^in /, "")} is not a valid OSCAL catalog: ${summarize(problems)}`,
          "error",
        );
        continue;
      }
      CHECKED.add(n.control);
    }
    included.add(n.control);
  }

  const sel: Selection = {
    entries: [],
    groups: [],
    params: cat.params ?? [],
    groupParams: [],
    strayParams: [],
  };
  const walk = (controls: Control[] | undefined, parent: Entry | undefined, group: SelGroup | undefined) => {
    let any = false;
    if (!controls) return any;
    for (const control of controls) {
      let here = parent;
      if (included.has(control)) {
        here = { control, parent, group, rkids: [] };
        sel.entries.push(here);
        any = true;
      } else if (control.params) sel.strayParams.push(...control.params);
      if (control.controls && walk(control.controls, here, group)) any = true;
    }
    return any;
  };
  const walkGroups = (groups: Group[] | undefined, parent: SelGroup | undefined, into: SelGroup[]) => {
    let any = false;
    if (!groups) return any;
    for (const g of groups) {
      const sg: SelGroup = { src: g, key: groupKey(g), parent, children: [], keep: keepAlways(g.props) };
      if (g.params) sel.groupParams.push(...(g.params as Param[]));
      const direct = walk(g.controls, undefined, sg);
      const nested = walkGroups(g.groups, sg, sg.children);
      if (direct || nested || sg.keep) {
        into.push(sg);
        any = true;
      } else if (g.params) sel.strayParams.push(...(g.params as Param[]));
    }
    return any;
  };
  walk(cat.controls, undefined, undefined);
  walkGroups(cat.groups, undefined, sel.groups);
  return sel;
}
