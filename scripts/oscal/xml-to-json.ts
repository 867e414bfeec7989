/**
 * OSCAL XML to OSCAL JSON for the catalog and profile models, as far as NIST's profile-resolution
 * test documents use them (usnistgov/OSCAL `src/specifications/profile-resolution/`). NIST's own
 * converters are XSLT 3.0 generated from the metaschemas; this is a small table-driven
 * equivalent for the test fixtures, not a general converter: an element it does not know stops
 * the conversion, so nothing is dropped silently.
 *
 * The table follows the metaschema's JSON names: `group-as` names for repeated elements (prop ->
 * props), flags become keys, markup-line fields become inline Markdown, markup-multiline fields
 * (part prose, remarks, description, guideline) become Markdown blocks, `insert` becomes
 * `{{ insert: param, id }}`.
 */
import { SaxesParser } from "saxes";

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: (XNode | string)[];
}

export function parseXml(text: string): XNode {
  const parser = new SaxesParser({ xmlns: true });
  const root: XNode = { name: "#root", attrs: {}, children: [] };
  const stack: XNode[] = [root];
  parser.on("opentag", (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, a] of Object.entries(tag.attributes)) {
      const at = a as { prefix: string; local: string; value: string };
      if (at.prefix === "xmlns" || k === "xmlns" || at.prefix === "xsi") continue;
      attrs[at.local] = at.value;
    }
    const node: XNode = { name: tag.local ?? tag.name, attrs, children: [] };
    (stack[stack.length - 1] as XNode).children.push(node);
    stack.push(node);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.on("text", (t) => {
    (stack[stack.length - 1] as XNode).children.push(t);
  });
  parser.on("cdata", (t) => {
    (stack[stack.length - 1] as XNode).children.push(t);
  });
  parser.write(text).close();
  const el = root.children.find((c): c is XNode => typeof c !== "string");
  if (!el) throw new Error("no root element");
  return el;
}

type Kind =
  | { t: "array"; key: string; of: Conv }
  | { t: "object"; key: string; of: Conv }
  | { t: "single"; key: string; of: Conv };
type Conv = (n: XNode) => unknown;

const elements = (n: XNode) => n.children.filter((c): c is XNode => typeof c !== "string");

// ---- markup

const INLINE = new Set(["a", "em", "i", "strong", "b", "code", "q", "sub", "sup", "insert", "img", "span"]);
const BLOCK = new Set(["p", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "blockquote"]);

function inline(children: (XNode | string)[]): string {
  let out = "";
  for (const c of children) {
    if (typeof c === "string") {
      out += c.replace(/\s+/g, " ");
      continue;
    }
    const inner = () => inline(c.children);
    switch (c.name) {
      case "insert":
        out += `{{ insert: ${c.attrs.type ?? "param"}, ${c.attrs["id-ref"] ?? c.attrs["param-id"]} }}`;
        break;
      case "a":
        out += `[${inner()}](${c.attrs.href ?? ""})`;
        break;
      case "em":
      case "i":
        out += `*${inner()}*`;
        break;
      case "strong":
      case "b":
        out += `**${inner()}**`;
        break;
      case "code":
        out += `\`${inner()}\``;
        break;
      case "q":
        out += `"${inner()}"`;
        break;
      case "sub":
        out += `~${inner()}~`;
        break;
      case "sup":
        out += `^${inner()}^`;
        break;
      default:
        throw new Error(`inline markup <${c.name}> is not supported`);
    }
  }
  return out;
}

function markupLine(n: XNode): string {
  return inline(n.children).trim();
}

function blocks(children: (XNode | string)[]): string {
  const out: string[] = [];
  let pending: (XNode | string)[] = [];
  const flush = () => {
    const text = inline(pending).trim();
    if (text) out.push(text);
    pending = [];
  };
  for (const c of children) {
    if (typeof c !== "string" && BLOCK.has(c.name)) {
      flush();
      if (c.name === "p") out.push(inline(c.children).trim());
      else if (/^h[1-6]$/.test(c.name))
        out.push(`${"#".repeat(Number(c.name[1]))} ${inline(c.children).trim()}`);
      else if (c.name === "ul" || c.name === "ol")
        out.push(
          elements(c)
            .map((li, i) => `${c.name === "ul" ? "-" : `${i + 1}.`} ${inline(li.children).trim()}`)
            .join("\n"),
        );
      else if (c.name === "pre")
        out.push(`\`\`\`\n${c.children.filter((x) => typeof x === "string").join("")}\n\`\`\``);
      else throw new Error(`block markup <${c.name}> is not supported`);
    } else if (typeof c === "string" || INLINE.has(c.name)) {
      pending.push(c);
    } else throw new Error(`<${c.name}> inside multiline markup`);
  }
  flush();
  return out.join("\n\n");
}

// ---- model

const text = (n: XNode) => n.children.filter((c) => typeof c === "string").join("");
const trimmed = (n: XNode) => text(n).trim();
const multiline = (n: XNode) => blocks(n.children);

/** A JSON object from the element's flags and the children the table names. */
function assembly(table: Record<string, Kind>, options: { prose?: boolean; valueKey?: string } = {}): Conv {
  return (n) => {
    const o: Record<string, unknown> = { ...n.attrs };
    const prose: (XNode | string)[] = [];
    for (const c of n.children) {
      if (typeof c === "string") {
        if (options.prose) prose.push(c);
        else if (options.valueKey) o[options.valueKey] = `${(o[options.valueKey] as string) ?? ""}${c}`;
        continue;
      }
      const kind = table[c.name];
      if (!kind) {
        if (options.prose && (BLOCK.has(c.name) || INLINE.has(c.name))) {
          prose.push(c);
          continue;
        }
        throw new Error(`<${c.name}> inside <${n.name}> is not supported by the converter`);
      }
      const v = kind.of(c);
      if (kind.t === "array") {
        if (!Array.isArray(o[kind.key])) o[kind.key] = [];
        (o[kind.key] as unknown[]).push(v);
      } else {
        if (kind.key in o) throw new Error(`<${c.name}> twice inside <${n.name}>`);
        o[kind.key] = v;
      }
    }
    if (options.prose) {
      const p = blocks(prose);
      if (p) o.prose = p;
    }
    if (options.valueKey && typeof o[options.valueKey] === "string")
      o[options.valueKey] = (o[options.valueKey] as string).trim();
    return o;
  };
}

const arr = (key: string, of: Conv): Kind => ({ t: "array", key, of });
const one = (key: string, of: Conv): Kind => ({ t: "single", key, of });

const prop = assembly({ remarks: one("remarks", multiline) });
const link = assembly({ text: one("text", markupLine) });
const empty: Conv = () => ({});
let part: Conv;
part = assembly(
  {
    title: one("title", markupLine),
    prop: arr("props", (n) => prop(n)),
    part: arr("parts", (n) => part(n)),
    link: arr("links", (n) => link(n)),
  },
  { prose: true },
);
const guideline: Conv = (n) => ({ prose: multiline(n) });
const constraint = assembly({
  description: one("description", multiline),
  test: arr(
    "tests",
    assembly({ expression: one("expression", trimmed), remarks: one("remarks", multiline) }),
  ),
});
const select = assembly({ choice: arr("choice", markupLine) });
const param = assembly({
  prop: arr("props", prop),
  link: arr("links", link),
  label: one("label", markupLine),
  usage: one("usage", multiline),
  constraint: arr("constraints", constraint),
  guideline: arr("guidelines", guideline),
  value: arr("values", trimmed),
  select: one("select", select),
  remarks: one("remarks", multiline),
});
let control: Conv;
control = assembly({
  title: one("title", markupLine),
  param: arr("params", (n) => param(n)),
  prop: arr("props", prop),
  link: arr("links", link),
  part: arr("parts", (n) => part(n)),
  control: arr("controls", (n) => control(n)),
});
let group: Conv;
group = assembly({
  title: one("title", markupLine),
  param: arr("params", (n) => param(n)),
  prop: arr("props", prop),
  link: arr("links", link),
  part: arr("parts", (n) => part(n)),
  group: arr("groups", (n) => group(n)),
  control: arr("controls", (n) => control(n)),
});
const role = assembly({
  title: one("title", markupLine),
  "short-name": one("short-name", trimmed),
  description: one("description", multiline),
  prop: arr("props", prop),
  link: arr("links", link),
  remarks: one("remarks", multiline),
});
const party = assembly({
  name: one("name", trimmed),
  "short-name": one("short-name", trimmed),
  prop: arr("props", prop),
  link: arr("links", link),
  "email-address": arr("email-addresses", trimmed),
  remarks: one("remarks", multiline),
});
const responsibleParty = assembly({
  "party-uuid": arr("party-uuids", trimmed),
  prop: arr("props", prop),
  link: arr("links", link),
  remarks: one("remarks", multiline),
});
const metadata = assembly({
  title: one("title", markupLine),
  published: one("published", trimmed),
  "last-modified": one("last-modified", trimmed),
  version: one("version", trimmed),
  "oscal-version": one("oscal-version", trimmed),
  prop: arr("props", prop),
  link: arr("links", link),
  role: arr("roles", role),
  party: arr("parties", party),
  "responsible-party": arr("responsible-parties", responsibleParty),
  remarks: one("remarks", multiline),
});
const resource = assembly({
  title: one("title", markupLine),
  description: one("description", multiline),
  prop: arr("props", prop),
  "document-id": arr("document-ids", (n) => ({ ...n.attrs, identifier: trimmed(n) })),
  citation: one(
    "citation",
    assembly({ text: one("text", markupLine), prop: arr("props", prop), link: arr("links", link) }),
  ),
  rlink: arr("rlinks", assembly({ hash: arr("hashes", (n) => ({ ...n.attrs, value: trimmed(n) })) })),
  base64: one("base64", (n) => ({ ...n.attrs, value: trimmed(n) })),
  remarks: one("remarks", multiline),
});
const backMatter = assembly({ resource: arr("resources", resource) });

const selection = assembly({
  "with-id": arr("with-ids", trimmed),
  matching: arr("matching", (n) => ({ ...n.attrs })),
});
const insertControls = assembly({
  "include-all": one("include-all", empty),
  "include-controls": arr("include-controls", selection),
  "exclude-controls": arr("exclude-controls", selection),
});
let customGroup: Conv;
customGroup = assembly({
  title: one("title", markupLine),
  param: arr("params", (n) => param(n)),
  prop: arr("props", prop),
  link: arr("links", link),
  part: arr("parts", (n) => part(n)),
  group: arr("groups", (n) => customGroup(n)),
  "insert-controls": arr("insert-controls", insertControls),
});
const merge = assembly({
  combine: one("combine", (n) => ({ ...n.attrs })),
  flat: one("flat", empty),
  "as-is": one("as-is", (n) => trimmed(n) === "true"),
  custom: one(
    "custom",
    assembly({
      group: arr("groups", customGroup),
      "insert-controls": arr("insert-controls", insertControls),
    }),
  ),
});
const add = assembly({
  title: one("title", markupLine),
  param: arr("params", param),
  prop: arr("props", prop),
  link: arr("links", link),
  part: arr("parts", part),
});
const modify = assembly({
  "set-parameter": arr(
    "set-parameters",
    assembly({
      prop: arr("props", prop),
      link: arr("links", link),
      label: one("label", markupLine),
      usage: one("usage", multiline),
      constraint: arr("constraints", constraint),
      guideline: arr("guidelines", guideline),
      value: arr("values", trimmed),
      select: one("select", select),
    }),
  ),
  alter: arr("alters", assembly({ remove: arr("removes", (n) => ({ ...n.attrs })), add: arr("adds", add) })),
});
const imp = assembly({
  "include-all": one("include-all", empty),
  "include-controls": arr("include-controls", selection),
  "exclude-controls": arr("exclude-controls", selection),
});

const catalog = assembly({
  metadata: one("metadata", metadata),
  param: arr("params", param),
  control: arr("controls", control),
  group: arr("groups", group),
  "back-matter": one("back-matter", backMatter),
});
const profile = assembly({
  metadata: one("metadata", metadata),
  import: arr("imports", imp),
  merge: one("merge", merge),
  modify: one("modify", modify),
  "back-matter": one("back-matter", backMatter),
});

/**
 * An OSCAL XML catalog or profile as its JSON document. `rewriteHref` maps import hrefs and
 * rlink hrefs (e.g. `x.xml` -> `x.json`, so the converted documents import each other).
 */
export function oscalXmlToJson(xml: string, rewriteHref: (href: string) => string = (h) => h): unknown {
  const root = parseXml(xml);
  // A resolver's error report instead of a catalog (NIST's expected output of failing tests).
  if (root.name === "catalog" && elements(root).some((c) => c.name === "ERROR")) {
    const err = elements(root).find((c) => c.name === "ERROR") as XNode;
    return { error: { level: err.attrs.level, message: trimmed(err) } };
  }
  const doc =
    root.name === "catalog"
      ? { catalog: catalog(root) }
      : root.name === "profile"
        ? { profile: profile(root) }
        : undefined;
  if (!doc) throw new Error(`<${root.name}> is neither a catalog nor a profile`);
  const fix = (o: unknown): void => {
    if (Array.isArray(o)) for (const x of o) fix(x);
    else if (o && typeof o === "object") {
      const r = o as Record<string, unknown>;
      for (const k of ["imports", "rlinks"]) {
        const list = r[k];
        if (Array.isArray(list))
          for (const x of list as { href?: string }[])
            if (typeof x.href === "string") x.href = rewriteHref(x.href);
      }
      for (const v of Object.values(r)) fix(v);
    }
  };
  fix(doc);
  return doc;
}
