/**
 * Structural checks of the documents the resolver reads and writes: every field the resolver
 * touches has the JSON type the OSCAL model gives it, and nesting is bounded. Profiles and
 * catalogs are untrusted input: a number where an id belongs, an object where a list belongs, or
 * controls nested ten thousand deep must give a clear error naming the place, never a crash.
 *
 * This is not schema validation (patterns, formats, allowed values are the OSCAL schemas' job:
 * `validateOscal`); it is the part of it the resolver's own correctness depends on, fast enough to
 * run on every document (the 3.2 MB SP 800-53 catalog in about a millisecond or two).
 */
import type { Problem } from "../../core/problem.js";

type Shape = "string" | "boolean" | "object" | ObjShape | ArrShape;
interface ObjShape {
  fields: Map<string, () => Shape>;
  required: string[];
}
interface ArrShape {
  items: () => Shape;
}

const obj = (fields: Record<string, () => Shape>, required: string[] = []): ObjShape => ({
  fields: new Map(Object.entries(fields)),
  required,
});
const arr = (items: () => Shape): ArrShape => ({ items });
const S = () => "string" as const;
const B = () => "boolean" as const;
const O = () => "object" as const;

/** Deepest nesting of objects and arrays accepted inside a document (NIST's catalogs use ~15). */
export const MAX_DEPTH = 200;

const PROP: ObjShape = obj({ name: S, value: S, ns: S, class: S, uuid: S, group: S, remarks: S }, [
  "name",
  "value",
]);
const LINK: ObjShape = obj({ href: S, rel: S, "media-type": S, "resource-fragment": S, text: S }, ["href"]);
const PROPS = () => arr(() => PROP);
const LINKS = () => arr(() => LINK);
const PART: ObjShape = obj(
  {
    id: S,
    name: S,
    ns: S,
    class: S,
    title: S,
    prose: S,
    props: PROPS,
    links: LINKS,
    parts: () => arr(() => PART),
  },
  ["name"],
);
const PARTS = () => arr(() => PART);
const SELECT: ObjShape = obj({ "how-many": S, choice: () => arr(S) });
const PARAM_FIELDS = {
  class: S,
  "depends-on": S,
  props: PROPS,
  links: LINKS,
  label: S,
  usage: S,
  constraints: () =>
    arr(() =>
      obj({ description: S, tests: () => arr(() => obj({ expression: S, remarks: S }, ["expression"])) }),
    ),
  guidelines: () => arr(() => obj({ prose: S }, ["prose"])),
  values: () => arr(S),
  select: () => SELECT,
};
const PARAM: ObjShape = obj({ id: S, ...PARAM_FIELDS, remarks: S }, ["id"]);
const PARAMS = () => arr(() => PARAM);
/**
 * What the resolver reads of every control of an imported catalog (the index, the params of
 * controls left out); the rest of a control is checked when it is selected (CONTROL_OWN), so that
 * the 1,189 controls of SP 800-53 are not all checked in full for a baseline that keeps 370.
 */
const CONTROL_LIGHT: ObjShape = obj(
  { id: S, params: () => arr(() => PARAM), controls: () => arr(() => CONTROL_LIGHT) },
  ["id"],
);
const CONTROL_OWN: ObjShape = obj(
  { id: S, class: S, title: S, params: PARAMS, props: PROPS, links: LINKS, parts: PARTS },
  ["id", "title"],
);
const GROUP_LIGHT: ObjShape = obj(
  {
    id: S,
    class: S,
    title: S,
    params: PARAMS,
    props: PROPS,
    links: LINKS,
    parts: PARTS,
    groups: () => arr(() => GROUP_LIGHT),
    controls: () => arr(() => CONTROL_LIGHT),
  },
  ["title"],
);
const RESOURCE: ObjShape = obj(
  {
    uuid: S,
    title: S,
    description: S,
    props: PROPS,
    rlinks: () => arr(() => obj({ href: S, "media-type": S }, ["href"])),
    base64: () => obj({ value: S, filename: S, "media-type": S }, ["value"]),
    remarks: S,
  },
  ["uuid"],
);
const BACK_MATTER = () => obj({ resources: () => arr(() => RESOURCE) });
const METADATA: ObjShape = obj({
  title: S,
  published: S,
  "last-modified": S,
  version: S,
  "oscal-version": S,
  props: PROPS,
  links: LINKS,
  roles: () => arr(() => obj({ id: S, title: S, props: PROPS }, ["id"])),
  parties: () => arr(() => obj({ uuid: S, type: S, props: PROPS }, ["uuid"])),
});
const CATALOG_LIGHT: ObjShape = obj(
  {
    uuid: S,
    metadata: () => METADATA,
    params: PARAMS,
    controls: () => arr(() => CONTROL_LIGHT),
    groups: () => arr(() => GROUP_LIGHT),
    "back-matter": BACK_MATTER,
  },
  ["metadata"],
);

const SELECTION: ObjShape = obj({
  "with-child-controls": S,
  "with-ids": () => arr(S),
  matching: () => arr(() => obj({ pattern: S, remarks: S })),
});
const SELECTIONS = () => arr(() => SELECTION);
const IMPORT: ObjShape = obj(
  { href: S, "include-all": O, "include-controls": SELECTIONS, "exclude-controls": SELECTIONS },
  ["href"],
);
const INSERT: ObjShape = obj({
  order: S,
  "include-all": O,
  "include-controls": SELECTIONS,
  "exclude-controls": SELECTIONS,
});
const INSERTS = () => arr(() => INSERT);
const CUSTOM_GROUP: ObjShape = obj(
  {
    id: S,
    class: S,
    title: S,
    params: PARAMS,
    props: PROPS,
    links: LINKS,
    parts: PARTS,
    groups: () => arr(() => CUSTOM_GROUP),
    "insert-controls": INSERTS,
  },
  ["title"],
);
const MERGE: ObjShape = obj({
  combine: () => obj({ method: S }),
  flat: O,
  "as-is": B,
  custom: () => obj({ groups: () => arr(() => CUSTOM_GROUP), "insert-controls": INSERTS }),
});
const STR = S;
const MODIFY: ObjShape = obj({
  "set-parameters": () => arr(() => obj({ "param-id": S, ...PARAM_FIELDS }, ["param-id"])),
  alters: () =>
    arr(() =>
      obj(
        {
          "control-id": S,
          removes: () =>
            arr(() =>
              obj({
                "by-name": STR,
                "by-class": STR,
                "by-id": STR,
                "by-item-name": STR,
                "by-ns": STR,
                "name-ref": STR,
                "class-ref": STR,
                "id-ref": STR,
                "item-name": STR,
                "ns-ref": STR,
              }),
            ),
          adds: () =>
            arr(() =>
              obj({
                position: S,
                "by-id": S,
                title: S,
                params: PARAMS,
                props: PROPS,
                links: LINKS,
                parts: PARTS,
              }),
            ),
        },
        ["control-id"],
      ),
    ),
});
const PROFILE: ObjShape = obj(
  {
    uuid: S,
    metadata: () => METADATA,
    imports: () => arr(() => IMPORT),
    merge: () => MERGE,
    modify: () => MODIFY,
    "back-matter": BACK_MATTER,
  },
  ["imports"],
);

const MAX_PROBLEMS = 20;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function check(v: unknown, shape: Shape, path: string, depth: number, out: Problem[], source: string): void {
  if (out.length >= MAX_PROBLEMS) return;
  if (depth > MAX_DEPTH) {
    out.push({ source, location: path, message: `nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (shape === "string" || shape === "boolean") {
    if (typeof v !== shape)
      out.push({ source, location: path, message: `expected a ${shape}, got ${typeName(v)}` });
    return;
  }
  if (shape === "object") {
    if (v === null || typeof v !== "object" || Array.isArray(v))
      out.push({ source, location: path, message: `expected an object, got ${typeName(v)}` });
    return;
  }
  if ("items" in shape) {
    if (!Array.isArray(v)) {
      out.push({ source, location: path, message: `expected a list, got ${typeName(v)}` });
      return;
    }
    const item = shape.items();
    for (let i = 0; i < v.length && out.length < MAX_PROBLEMS; i++)
      check(v[i], item, `${path}[${i}]`, depth + 1, out, source);
    return;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    out.push({ source, location: path, message: `expected an object, got ${typeName(v)}` });
    return;
  }
  const o = v as Record<string, unknown>;
  for (const key of shape.required)
    if (o[key] === undefined) out.push({ source, location: path, message: `"${key}" is missing` });
  // The object's own keys (props and parts have two or three) rather than every field the shape
  // knows: this walk runs over every imported catalog, the 3.2 MB SP 800-53 one included.
  for (const key in o) {
    const sub = shape.fields.get(key);
    if (sub === undefined) continue;
    const x = o[key];
    if (x === undefined) continue;
    const inner = sub();
    if (inner === "string") {
      if (typeof x !== "string")
        out.push({
          source,
          location: path ? `${path}.${key}` : key,
          message: `expected a string, got ${typeName(x)}`,
        });
    } else check(x, inner, path ? `${path}.${key}` : key, depth + 1, out, source);
  }
}

/** Problems of an OSCAL profile object (the value under a document's `profile` key). */
export function profileShapeProblems(profile: unknown, source: string): Problem[] {
  const out: Problem[] = [];
  check(profile, PROFILE, "", 0, out, source);
  return out;
}

/**
 * Problems of an OSCAL catalog object (the value under a document's `catalog` key), except the
 * content of controls beyond their ids, params and children: see {@link controlShapeProblems}.
 */
export function catalogShapeProblems(catalog: unknown, source: string): Problem[] {
  const out: Problem[] = [];
  check(catalog, CATALOG_LIGHT, "", 0, out, source);
  return out;
}

/** Problems of one control's own content (title, params, props, links, parts; not its children). */
export function controlShapeProblems(control: unknown, path: string, source: string): Problem[] {
  const out: Problem[] = [];
  check(control, CONTROL_OWN, path, 0, out, source);
  return out;
}
