/**
 * Merge phase: combination of duplicate controls (keep, use-first, merge), then structuring
 * (flat, as-is, custom) into the body of the result catalog.
 */
import type { Control, CustomGroup, Group, InsertControls, Merge, Param } from "../profile-types.js";
import { type Chooser, choose } from "./import.js";
import type { Body, Entry, Report, Run, Selection, SelGroup } from "./types.js";
import {
  COMBINE_KEYS,
  CUSTOM_GROUP_KEYS,
  CUSTOM_KEYS,
  checkKeys,
  cmp,
  INSERT_KEYS,
  MERGE_KEYS,
  sameContent,
} from "./util.js";

export function merge(run: Run, m: Merge | undefined, selections: Selection[], report: Report): Body {
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
  const strays = [strayParams(selections, survivors)];
  if (asIs)
    return mergeAsIs(
      selections,
      survivors,
      combineParams([...selections.map((s) => s.params), ...strays]),
      report,
    );

  // flat (also the default): no groups; group params become loose params. Child controls stay in
  // their included parent unless flatNesting is "unnest" (docs/decisions/0004-flat-keeps-nesting.md).
  const body: Body = {};
  const params = combineParams([
    ...selections.map((s) => s.params),
    ...selections.map((s) => s.groupParams),
    ...strays,
  ]);
  if (params.length) body.params = params;
  const controls =
    run.options.flatNesting === "unnest"
      ? survivors.map((e) => bare(e.control))
      : survivors.filter((e) => !e.rparent).map((e) => buildNested(e));
  if (controls.length) body.controls = controls;
  return body;
}

/**
 * Params of controls left out, as loose-param candidates (kept by pruning only when referred to),
 * without those whose id a kept control or group already has: a second import can include the
 * control the first one left out.
 */
function strayParams(selections: Selection[], survivors: Entry[]): Param[] {
  const taken = new Set<string>();
  for (const e of survivors) for (const p of e.control.params ?? []) taken.add(p.id);
  const visit = (list: SelGroup[]) => {
    for (const sg of list) {
      for (const p of sg.src.params ?? []) taken.add(p.id);
      visit(sg.children);
    }
  };
  for (const s of selections) {
    visit(s.groups);
    for (const p of s.params) taken.add(p.id);
  }
  const out: Param[] = [];
  for (const s of selections)
    for (const p of s.strayParams) {
      if (taken.has(p.id)) continue;
      taken.add(p.id);
      out.push(p);
    }
  return out;
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
  key: string;
  src: Group;
  keep: boolean;
  controls: Control[];
  groups: OutGroup[];
  byKey: Map<string, OutGroup>;
}

function mergeAsIs(selections: Selection[], survivors: Entry[], params: Param[], report: Report): Body {
  const root = {
    controls: [] as Control[],
    groups: [] as OutGroup[],
    byKey: new Map<string, OutGroup>(),
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
        `group "${sg.src.id ?? sg.src.title}" differs between imports: the first one's title, params, props, links and parts are kept`,
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
  const params = combineParams([
    ...selections.map((s) => s.params),
    orphanParams,
    strayParams(selections, survivors),
  ]);

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
