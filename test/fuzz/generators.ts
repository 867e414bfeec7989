/**
 * Inputs for the loader fuzz tests: valid documents with one to three nodes replaced by values of
 * the wrong type or removed (type confusion: what found most crashes), YAML with anchors,
 * aliases, merges and tags, and arbitrary text. Each loader must answer every one of them with
 * problems naming the place, never an exception.
 */
import fc from "fast-check";
import { stringify } from "yaml";

export type Path = (string | number)[];

/** Values of every JSON type, and the ones that broke loaders: method names as keys, NUL, huge numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    {},
    [],
    null,
    "",
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    true,
    { toString: 1 },
    { valueOf: 1, toJSON: 1 },
    { constructor: 1 },
    [null],
    [[]],
    [{}],
    "\u0000",
    "\u202Eevil",
    "x".repeat(2000),
    "../../etc/passwd",
  ),
);

/** Every node's path (objects' keys, arrays' first 50 elements), at most `max`. */
export function nodePaths(value: unknown, max = 5000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    if (out.length >= max) return;
    out.push(path);
    if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => void walk(x, [...path, i]));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  return out;
}

type Edit = { path: Path; value: unknown; kind: "replace" | "remove" | "add" };

function apply(value: unknown, edit: Edit, depth = 0): unknown {
  if (depth === edit.path.length) {
    if (edit.kind === "add" && value !== null && typeof value === "object" && !Array.isArray(value))
      return { ...(value as object), unexpected: edit.value };
    return edit.value;
  }
  const key = edit.path[depth] as string | number;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (edit.kind === "remove" && depth === edit.path.length - 1) copy.splice(key as number, 1);
    else copy[key as number] = apply(copy[key as number], edit, depth + 1);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (edit.kind === "remove" && depth === edit.path.length - 1) delete copy[key as string];
    else copy[key as string] = apply(copy[key as string], edit, depth + 1);
    return copy;
  }
  return value;
}

/** A valid document with one to three of its nodes replaced, removed, or given an extra field. */
export function mutated(base: unknown): fc.Arbitrary<unknown> {
  const paths = nodePaths(base);
  const edit = fc.record({
    path: fc.constantFrom(...paths),
    value: hostileValue,
    kind: fc.constantFrom<Edit["kind"]>("replace", "replace", "remove", "add"),
  });
  return fc
    .array(edit, { minLength: 1, maxLength: 3 })
    .map((edits) => edits.reduce((v, e) => apply(v, e), base));
}

const YAML_TOKENS = [
  "a: &x [1, 2]\n",
  "b: *x\n",
  "c: *undefined\n",
  "<<: *x\n",
  "<<: [*x, 3]\n",
  "- &m {a: 1}\n",
  "- <<: *m\n",
  "items: !!binary aGVsbG8=\n",
  "? [a, b]\n: 1\n",
  "? {a: 1}\n: 2\n",
  "catalog: {id: x, version: '1'}\n",
  "items: [*x, *x, *x]\n",
  "d: !!set {a, b}\n",
  "e: !custom 1\n",
  "f: 0o17\n",
  "g: .inf\n",
  "h: ~\n",
  "dup: 1\ndup: 2\n",
  "%YAML 1.1\n---\n",
  "---\n",
  "...\n",
  "x: y: z\n",
  "  - bad indent\n",
  "h: [[[[[[[[[[1]]]]]]]]]]\n",
  "'quoted': \"\\u0000\"\n",
  "mappings:\n  - sources: *x\n",
  "items:\n  - ref: *x\n    title: t\n",
];

/** YAML assembled from fragments that exercise anchors, aliases, merges, tags and odd syntax. */
export const yamlSoup: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...YAML_TOKENS), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.join(""));

/** "Billion laughs": nine levels of ten aliases each. */
export function aliasBomb(levels = 9): string {
  let text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < levels; i++)
    text += `l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(", ")}]\n`;
  return text;
}

export interface FuzzText {
  text: string;
  format: "json" | "yaml";
}

/** The mixture the loader fuzz tests run: mostly mutated documents (JSON and YAML), YAML soup, noise. */
export function documents(base: unknown): fc.Arbitrary<FuzzText> {
  const m = mutated(base);
  return fc.oneof(
    { weight: 6, arbitrary: m.map((v) => ({ text: JSON.stringify(v) ?? "null", format: "json" as const })) },
    {
      weight: 2,
      arbitrary: m.map((v) => ({
        text: stringify(v, { aliasDuplicateObjects: false }),
        format: "yaml" as const,
      })),
    },
    { weight: 1, arbitrary: yamlSoup.map((text) => ({ text, format: "yaml" as const })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constantFrom<"json" | "yaml">("json", "yaml"),
        )
        .map(([text, format]) => ({ text, format })),
    },
  );
}
