/**
 * Modify phase: set-parameters (applied in profile order), then alters (removes, then adds) on
 * every control of the merged body, nested controls included.
 */
import type {
  Addition,
  Alteration,
  Control,
  Group,
  Link,
  Modify,
  Param,
  Part,
  Property,
  Removal,
  SetParameter,
} from "../profile-types.js";
import { type Body, checkTime, OSCAL_NS, type Report, ResolutionStopped, type Run } from "./types.js";
import {
  ADD_KEYS,
  ALTER_KEYS,
  checkKeys,
  isPlain,
  MODIFY_KEYS,
  REMOVE_KEYS,
  SET_PARAM_KEYS,
  str,
} from "./util.js";

/** Content that alters may copy in all (additions times their targets), in UTF-16 units. */
const MAX_ADDED = 256 * 1024 * 1024;

interface ParamHolder {
  params?: Param[];
}

export function modify(run: Run, mod: Modify, body: Body, setParamIds: Set<string>, report: Report): void {
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
    if ((i & 255) === 0) checkTime(run);
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
  let added = 0;
  mod.alters?.forEach((alter, i) => {
    const loc = `modify.alters[${i}]`;
    checkTime(run);
    checkKeys(alter, ALTER_KEYS, loc, report);
    const targets = controls.get(alter["control-id"]);
    if (!targets) {
      report(loc, `control "${alter["control-id"]}" is not in the resolved catalog: alteration ignored`);
      return;
    }
    // Additions are copied into every target: bound the total, so that a small profile cannot
    // multiply a large addition into gigabytes (duplicate controls under combine keep).
    if (alter.adds?.length) {
      added += JSON.stringify(alter.adds).length * targets.length;
      if (added > MAX_ADDED)
        throw new ResolutionStopped(
          `${loc}: the alterations add more than ${MAX_ADDED} characters in all: resolution stopped`,
        );
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
    (crit.ns === undefined || o.ns === crit.ns || (crit.ns === OSCAL_NS && o.ns === undefined));
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
