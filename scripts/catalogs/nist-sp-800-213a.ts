// Generates catalogs/nist-sp-800-213a.json (NIST SP 800-213A, November 2021) from NIST's own
// online-catalog pages (usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs, Jekyll Markdown),
// cross-checked against NIST's draft mapping spreadsheets (as JSON).
//
// Usage: npx tsx scripts/catalogs/nist-sp-800-213a.ts
// Input directory: $CAIRN_SHARED (default: <repo>/../shared). Output is deterministic.
// See docs/catalogs/nist-sp-800-213a.md for the interpretation of the structure and the counts.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sharedDir = path.resolve(process.env.CAIRN_SHARED ?? path.resolve(repoRoot, "../shared"));
const pagesDir = path.join(sharedDir, "reference/nist/sp800-213a-online-catalog");
const mappingFile = path.join(sharedDir, "reference/nist/sp800-213a-draft-catalog-mappings.nist.json");
// The commit of NIST's catalog repository whose pages the shared copy is (byte-identical, checked
// 2026-12 against a snapshot of usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs).
const PAGES_COMMIT = "60ed8e6a802bfab80acdcb5a40ace2aa153529e2";
const PAGES_COMMIT_DATE = "2021-11-05";
const outFile = path.join(repoRoot, "catalogs/nist-sp-800-213a.json");

// Counts this copy of the pages yields under the interpretation documented in the doc; the
// generator fails if the source no longer produces them.
const EXPECTED = {
  capability: 11,
  "sub-capability": 52,
  element: 161,
  action: 181,
} as const;

// ---------------------------------------------------------------------------------------------
// Output model

type PropValue = string | number | boolean | string[];
type Verification = "checked" | "to-verify";

interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  order: number;
  props?: Record<string, PropValue>;
  verification: Verification;
  notes?: string;
}

interface ItemInput {
  ref: string;
  label?: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  order: number;
  props?: Record<string, PropValue | undefined>;
  verification: Verification;
  notes?: string[];
}

const items: Item[] = [];
const refs = new Set<string>();

function emit(input: ItemInput): void {
  if (refs.has(input.ref)) throw new Error(`duplicate ref ${input.ref}`);
  if (input.parent !== undefined && !refs.has(input.parent)) {
    throw new Error(`${input.ref}: parent ${input.parent} not emitted before it`);
  }
  refs.add(input.ref);
  const props: Record<string, PropValue> = {};
  for (const [k, v] of Object.entries(input.props ?? {})) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    props[k] = v;
  }
  // Keys in the order the format documents.
  items.push({
    ref: input.ref,
    label: input.label ?? input.ref,
    kind: input.kind,
    title: input.title,
    ...(input.text ? { text: input.text } : {}),
    ...(input.parent !== undefined ? { parent: input.parent } : {}),
    order: input.order,
    ...(Object.keys(props).length > 0 ? { props } : {}),
    verification: input.verification,
    ...(input.notes && input.notes.length > 0 ? { notes: input.notes.join(" ") } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** One line (or joined lines) of page Markdown to plain text: Jekyll/kramdown tags, links, bold, HTML
 * line breaks and entities removed; whitespace collapsed as a browser renders it. */
function inline(s: string): string {
  return decodeEntities(
    s
      .replace(/\{%.*?%\}/g, "")
      .replace(/\{\{.*?\}\}/g, "")
      .replace(/\{:[^}]*\}/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<br\s*\/?>/gi, " ")
      .replace(/\*\*/g, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
}

/** An example line from a <details> block: also drops the italic underscores. */
function exampleText(line: string): string {
  return inline(line.replace(/^\s*-\s+/, ""))
    .replace(/_\s+_/g, " ")
    .replace(/^_+|_+$/g, "")
    .trim();
}

/** Form used to compare page and mapping wording: whitespace collapsed; the pages encode apostrophes
 * and quotes as &#39;/&quot;, the spreadsheet uses typographic ones. */
function norm(s: string): string {
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

type Match = "exact" | "close" | "none";

function compare(page: string, mapping: string): Match {
  const a = norm(page);
  const b = norm(mapping);
  if (a === b) return "exact";
  const shorter = a.length < b.length ? a : b;
  const longer = a.length < b.length ? b : a;
  if (shorter.length >= 30 && longer.startsWith(shorter)) return "close";
  const ratio = 1 - levenshtein(a, b) / Math.max(a.length, b.length);
  return ratio >= 0.95 ? "close" : "none";
}

/** Paragraph collector: lines joined with spaces; blank lines and double <br/> end a paragraph. */
class Paragraphs {
  private readonly done: string[] = [];
  private current: string[] = [];
  add(raw: string): void {
    // A list line ("1. ...") starts a paragraph of its own.
    if (/^\s*(?:\d+[.)]|[-*+])\s/.test(raw)) this.end();
    const parts = raw.split(/(?:<br\s*\/?>\s*){2,}/i);
    parts.forEach((part, i) => {
      if (i > 0) this.end();
      this.current.push(part);
    });
  }
  end(): void {
    const t = inline(this.current.join(" "));
    if (t) this.done.push(t);
    this.current = [];
  }
  list(): string[] {
    this.end();
    return [...this.done];
  }
  get empty(): boolean {
    return this.done.length === 0 && this.current.every((l) => inline(l) === "");
  }
}

// ---------------------------------------------------------------------------------------------
// Page reading

interface Page {
  file: string;
  meta: Record<string, string>;
  lines: string[];
}

function readPage(file: string): Page {
  const src = readFileSync(path.join(pagesDir, file), "utf8").replace(/\r\n?/g, "\n");
  const lines = src.split("\n");
  const meta: Record<string, string> = {};
  if (lines[0]?.trim() === "---") {
    const end = lines.indexOf("---", 1);
    if (end < 0) throw new Error(`${file}: unterminated front matter`);
    for (const l of lines.slice(1, end)) {
      const m = /^(\w+):\s*(.*?)\s*$/.exec(l);
      if (m?.[1] !== undefined && m[2] !== undefined) meta[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
    }
    return { file, meta, lines: lines.slice(end + 1) };
  }
  return { file, meta, lines };
}

function pagesMatching(prefix: string): Page[] {
  return readdirSync(pagesDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".md"))
    .sort()
    .map(readPage)
    .filter((p) => p.meta.navOrder !== undefined)
    .sort((a, b) => Number(a.meta.navOrder) - Number(b.meta.navOrder));
}

function indentOf(ws: string): number {
  let col = 0;
  for (const ch of ws) col = ch === "\t" ? col + 4 - (col % 4) : col + 1;
  return col;
}

interface Bullet {
  indent: number;
  text: string;
  children: Bullet[];
  examples: string[];
}

/** Adds a list item where CommonMark puts it: a child of the nearest open item whose content
 * column (marker + one space) it reaches, else a sibling at that level. */
function addBullet(roots: Bullet[], stack: Bullet[], b: Bullet): void {
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined || b.indent >= top.indent + 2) break;
    stack.pop();
  }
  const parent = stack[stack.length - 1];
  (parent ? parent.children : roots).push(b);
  stack.push(b);
}

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const BULLET = /^([ \t]*)[-*+]\s+(.*)$/;

/** One-line definitions printed on an overview page: "* **Name:** definition". */
function overviewDefinitions(file: string): Map<string, string> {
  const defs = new Map<string, string>();
  for (const l of readPage(file).lines) {
    const m = /^\*\s+(.*)$/.exec(l);
    if (!m?.[1]) continue;
    const t = inline(m[1]);
    const d = /^([^:]+):\s*(.*)$/.exec(t);
    if (d?.[1] && d[2] !== undefined) defs.set(d[1].trim(), d[2].trim());
  }
  return defs;
}

// ---------------------------------------------------------------------------------------------
// Draft mapping

interface MapTechRow {
  capability: string;
  sub_capability: string;
  sub_capability_description: string | null;
  element: string;
}
interface MapNonTechRow {
  capability: string;
  sub_capability: string;
  element_action: string;
  sub_element_action: string | null;
}
interface MappingFile {
  source: string;
  technical: MapTechRow[];
  non_technical: MapNonTechRow[];
}

interface MapLine {
  text: string;
  children: MapLine[];
}

/** Splits a mapping cell: first line, then "o<TAB>" sub-lines and "-<TAB>" sub-sub-lines. */
function splitCell(cell: string): MapLine {
  const lines = cell.split("\n");
  const head: MapLine = { text: lines[0] ?? "", children: [] };
  for (const l of lines.slice(1)) {
    const o = /^o\s+(.*)$/.exec(l);
    const d = /^-\s+(.*)$/.exec(l);
    if (o?.[1] !== undefined) head.children.push({ text: o[1].trim(), children: [] });
    else if (d?.[1] !== undefined) {
      const last = head.children[head.children.length - 1];
      if (!last) throw new Error(`mapping: "-" line without "o" line in ${JSON.stringify(cell)}`);
      last.children.push({ text: d[1].trim(), children: [] });
    } else if (l.trim() !== "") head.text += ` ${l.trim()}`;
  }
  return head;
}

/** "1.\tTitle" / "A. Title" -> "Title". */
function stripNumber(s: string): string {
  return s.replace(/^\s*[0-9A-Za-z]+\.\s*/, "").trim();
}

const mapping = JSON.parse(readFileSync(mappingFile, "utf8")) as MappingFile;
const mappingCommit = /@([0-9a-f]{40})/.exec(mapping.source)?.[1];
if (!mappingCommit) throw new Error(`mapping: no commit in source ${mapping.source}`);

const report: string[] = [];

/** Compares page sub-items with the mapping's sub-lines of the same row and emits them. */
function emitSubTree(
  bullets: Bullet[],
  mapLines: MapLine[] | undefined,
  parentRef: string,
  kind: "sub-element" | "sub-action",
  rowLabel: string,
  siblingsText: Map<string, string>,
): void {
  bullets.forEach((b, i) => {
    const ref = `${parentRef}.${i + 1}`;
    const notes: string[] = [];
    let verification: Verification = "to-verify";
    const found =
      mapLines?.find((m) => compare(b.text, m.text) === "exact") ??
      mapLines?.find((m) => compare(b.text, m.text) !== "none");
    if (found) {
      if (compare(b.text, found.text) === "exact") verification = "checked";
      else notes.push(`${rowLabel} reads: "${found.text}".`);
    } else {
      const dup = siblingsText.get(norm(b.text));
      notes.push(
        `No counterpart in ${rowLabel}${dup ? `; the same statement is ${dup}` : ""}. Printed on the page as a nested bullet.`,
      );
      report.push(`${ref}: sub-item not in ${rowLabel}`);
    }
    emit({
      ref,
      kind,
      title: b.text,
      text: b.text,
      parent: parentRef,
      order: i + 1,
      props: { examples: b.examples },
      verification,
      notes,
    });
    emitSubTree(b.children, found?.children, ref, kind, rowLabel, siblingsText);
  });
}

// ---------------------------------------------------------------------------------------------
// Technical capabilities

interface TSub {
  title: string;
  para: Paragraphs;
  bullets: Bullet[];
}
interface TCap {
  title: string;
  para: Paragraphs;
  permalink: string | undefined;
  subs: TSub[];
}

function parseTechnical(page: Page): TCap {
  let cap: TCap | undefined;
  let sub: TSub | undefined;
  let stack: Bullet[] = [];
  for (const [n, line] of page.lines.entries()) {
    const where = `${page.file}:${n}`;
    if (/^\s*$/.test(line)) {
      (sub?.para ?? cap?.para)?.end();
      continue;
    }
    const h = HEADING.exec(line);
    if (h?.[2] !== undefined) {
      const title = inline(h[2]);
      if (!cap) cap = { title, para: new Paragraphs(), permalink: page.meta.permalink, subs: [] };
      else {
        sub = { title, para: new Paragraphs(), bullets: [] };
        stack = [];
        cap.subs.push(sub);
      }
      continue;
    }
    if (!cap) throw new Error(`${where}: text before the capability heading`);
    const b = BULLET.exec(line);
    if (b?.[1] !== undefined && b[2] !== undefined) {
      if (!sub) throw new Error(`${where}: bullet outside a sub-capability`);
      addBullet(sub.bullets, stack, {
        indent: indentOf(b[1]),
        text: inline(b[2]),
        children: [],
        examples: [],
      });
      continue;
    }
    if (sub && sub.bullets.length > 0) throw new Error(`${where}: paragraph after the bullets: ${line}`);
    (sub?.para ?? cap.para).add(line);
  }
  if (!cap) throw new Error(`${page.file}: no capability heading`);
  return cap;
}

interface TElement {
  bullet: Bullet;
  props: Record<string, PropValue>;
  notes: string[];
}

/** Turns a sub-capability's bullets into its counted elements, applying the three documented
 * corrections where the page markup and NIST's mapping disagree on the structure. */
function technicalElements(
  capRef: string,
  sub: TSub,
  subRef: string,
  fixups: Map<string, number>,
  subNotes: string[],
) {
  const tops = [...sub.bullets];
  const out: TElement[] = [];
  for (let i = 0; i < tops.length; i++) {
    const b = tops[i];
    if (!b) continue;
    // (1) A lead-in ending with ":" printed without its list, followed by a top-level bullet that
    // carries the list: the page's first list line lost its indentation (Device Configuration
    // Control). The mapping, like NISTIR 8259A, has all three lines under the lead-in.
    const next = tops[i + 1];
    if (b.text.endsWith(":") && b.children.length === 0 && next && !/^If\b/.test(b.text)) {
      b.children = [{ ...next, children: [] }, ...next.children];
      tops.splice(i + 1, 1);
      fixups.set("leadIn", (fixups.get("leadIn") ?? 0) + 1);
      out.push({
        bullet: b,
        props: {},
        notes: [
          `On the page the first line of this list ("${next.text}") is printed as a separate top-level bullet with the other two nested under it; the draft mapping, like NISTIR 8259A, lists all three under this lead-in, which is followed here.`,
        ],
      });
      continue;
    }
    // (2) A conditional lead-in ("If ...:") is not itself an ability: the mapping lists its two
    // nested lines as elements (Update Application Support). The condition is kept in props.
    if (/^If\b/.test(b.text) && b.text.endsWith(":") && b.children.length > 0) {
      fixups.set("condition", (fixups.get("condition") ?? 0) + 1);
      for (const c of b.children) {
        out.push({
          bullet: c,
          props: { conditional: true, condition: b.text.replace(/:$/, "") },
          notes: [
            `Printed on the page nested under the bullet "${b.text}"; the draft mapping lists it as an element of its own.`,
          ],
        });
      }
      continue;
    }
    // (3) A one-line restatement of a nested list, printed as an extra top-level bullet
    // (Authentication Support): no mapping row; kept as a note, not counted.
    if (
      /^Ability for the IoT device to support a second, or more, authentication method\(s\) through an out-of-band path such as: /.test(
        b.text,
      )
    ) {
      fixups.set("restatement", (fixups.get("restatement") ?? 0) + 1);
      subNotes.push(
        `The page also prints, as a further top-level bullet (indented by one space), "${b.text}" It restates ${subRef}.2.2 and its list on one line (with small wording differences: "out-of-band", "one-use credentials", "etc."); the draft mapping has no row for it, so it is kept here and not counted as an element.`,
      );
      continue;
    }
    out.push({ bullet: b, props: {}, notes: [] });
  }
  if (out.length === 0) {
    // A sub-capability printed as a heading and one paragraph: the paragraph is its single element
    // (the mapping has the paragraph as the element and no sub-capability description).
    const paras = sub.para.list();
    if (paras.length !== 1 || !paras[0]) throw new Error(`${capRef} ${sub.title}: expected one paragraph`);
    out.push({ bullet: { indent: 0, text: paras[0], children: [], examples: [] }, props: {}, notes: [] });
    return { elements: out, description: undefined };
  }
  const paras = sub.para.list();
  if (paras.length > 1) throw new Error(`${capRef} ${sub.title}: more than one description paragraph`);
  return { elements: out, description: paras[0] };
}

function buildTechnical(): void {
  const defs = overviewDefinitions("Technical_overview.md");
  const caps = pagesMatching("Technical_").map(parseTechnical);
  const overviewOrder = [...defs.keys()];
  if (caps.map((c) => c.title).join("|") !== overviewOrder.join("|")) {
    throw new Error(
      `technical: page order ${caps.map((c) => c.title)} differs from overview ${overviewOrder}`,
    );
  }

  // Mapping rows grouped by capability and sub-capability, in file order.
  const mapCaps: { name: string; subs: { name: string; description: string | null; rows: number[] }[] }[] =
    [];
  mapping.technical.forEach((r, idx) => {
    let c = mapCaps[mapCaps.length - 1];
    if (!c || c.name !== r.capability) {
      c = { name: r.capability, subs: [] };
      mapCaps.push(c);
    }
    let s = c.subs[c.subs.length - 1];
    if (!s || s.name !== r.sub_capability) {
      s = { name: r.sub_capability, description: r.sub_capability_description, rows: [] };
      c.subs.push(s);
    }
    s.rows.push(idx);
  });
  if (mapCaps.length !== caps.length) throw new Error("technical: capability count differs from the mapping");

  emit({
    ref: "technical",
    label: "Technical Device Cybersecurity Capabilities",
    kind: "part",
    title: "Technical Device Cybersecurity Capabilities",
    order: 1,
    props: { permalink: "/technical/" },
    verification: "to-verify",
  });

  const fixups = new Map<string, number>();
  caps.forEach((cap, ci) => {
    const capRef = `T${ci + 1}`;
    const mapCap = mapCaps[ci];
    if (!mapCap) throw new Error(`${capRef}: no mapping capability`);
    if (mapCap.subs.length !== cap.subs.length) {
      throw new Error(`${capRef}: ${cap.subs.length} sub-capabilities, mapping has ${mapCap.subs.length}`);
    }
    const capParas = cap.para.list();
    emit({
      ref: capRef,
      label: cap.title,
      kind: "capability",
      title: cap.title,
      text: capParas.join("\n\n"),
      parent: "technical",
      order: ci + 1,
      props: {
        definition: defs.get(cap.title),
        mappingName: norm(mapCap.name) !== norm(cap.title) ? mapCap.name : undefined,
        permalink: cap.permalink,
      },
      verification: "to-verify",
    });

    cap.subs.forEach((sub, si) => {
      const subRef = `${capRef}.${si + 1}`;
      const mapSub = mapCap.subs[si];
      if (!mapSub) throw new Error(`${subRef}: no mapping sub-capability`);
      if (compare(sub.title, mapSub.name) === "none") {
        throw new Error(`${subRef}: "${sub.title}" does not line up with mapping "${mapSub.name}"`);
      }
      const subNotes: string[] = [];
      const { elements, description } = technicalElements(capRef, sub, subRef, fixups, subNotes);
      const mapDesc = mapSub.description ?? undefined;
      const descOk =
        description === undefined
          ? mapDesc === undefined
          : mapDesc !== undefined && norm(description) === norm(mapDesc);
      if (!descOk)
        subNotes.push(`The draft mapping's description reads: ${JSON.stringify(mapDesc ?? null)}.`);
      emit({
        ref: subRef,
        label: sub.title,
        kind: "sub-capability",
        title: sub.title,
        text: description,
        parent: capRef,
        order: si + 1,
        props: { mappingName: norm(mapSub.name) !== norm(sub.title) ? mapSub.name : undefined },
        verification: descOk && norm(sub.title) === norm(mapSub.name) ? "checked" : "to-verify",
        notes: subNotes,
      });

      if (elements.length !== mapSub.rows.length) {
        throw new Error(`${subRef}: ${elements.length} elements, mapping has ${mapSub.rows.length} rows`);
      }
      const texts = new Map<string, string>();
      elements.forEach((e, ei) => {
        texts.set(norm(e.bullet.text), `element ${subRef}.${ei + 1}`);
      });
      elements.forEach((e, ei) => {
        const ref = `${subRef}.${ei + 1}`;
        const rowIdx = mapSub.rows[ei];
        const row = rowIdx === undefined ? undefined : mapping.technical[rowIdx];
        if (rowIdx === undefined || !row) throw new Error(`${ref}: no mapping row`);
        const cell = splitCell(row.element);
        const m = compare(e.bullet.text, cell.text);
        if (m === "none")
          throw new Error(`${ref}: "${e.bullet.text}" does not line up with mapping row ${rowIdx}`);
        const notes = [...e.notes];
        if (m === "close") {
          notes.push(`Draft mapping row ${rowIdx} reads: "${cell.text}".`);
          report.push(`${ref}: wording differs from mapping row ${rowIdx}`);
        }
        emit({
          ref,
          kind: "element",
          title: e.bullet.text,
          text: e.bullet.text,
          parent: subRef,
          order: ei + 1,
          props: { ...e.props, mappingRow: rowIdx },
          verification: m === "exact" ? "checked" : "to-verify",
          notes,
        });
        emitSubTree(
          e.bullet.children,
          cell.children,
          ref,
          "sub-element",
          `draft mapping row ${rowIdx}`,
          texts,
        );
      });
    });
  });
  for (const k of ["leadIn", "condition", "restatement"]) {
    if (fixups.get(k) !== 1)
      throw new Error(`technical: correction "${k}" applied ${fixups.get(k) ?? 0} times, expected 1`);
  }
}

// ---------------------------------------------------------------------------------------------
// Non-technical supporting capabilities (manufacturer)

interface NItem {
  num: string;
  title: string;
  intro: Paragraphs;
  bullets: Bullet[];
  flat: Bullet[];
  stack: Bullet[];
}
interface NGroup {
  letter: string;
  title: string;
  items: NItem[];
}
interface NSub {
  num: string;
  printed: string;
  title: string;
  anchor: string | undefined;
  para: Paragraphs;
  groups: NGroup[];
}
interface NCap {
  letter: string;
  title: string;
  statement: string | undefined;
  discussion: Paragraphs;
  permalink: string | undefined;
  subs: NSub[];
}

function parseNonTechnical(page: Page): NCap {
  let cap: NCap | undefined;
  let sub: NSub | undefined;
  let group: NGroup | undefined;
  let item: NItem | undefined;
  let details: { target: Bullet } | undefined;
  for (const [n, line] of page.lines.entries()) {
    const where = `${page.file}:${n}`;
    if (details) {
      if (line.includes("</details>")) details = undefined;
      else if (!line.includes("<summary") && line.trim() !== "") {
        const ex = exampleText(line);
        if (ex) details.target.examples.push(ex);
      }
      continue;
    }
    if (line.includes("<details")) {
      if (!item || item.flat.length === 0) throw new Error(`${where}: examples outside an action`);
      const indent = indentOf(/^[ \t]*/.exec(line)?.[0] ?? "");
      // The deepest open list item whose content column the block reaches, else the last one.
      const target =
        [...item.flat].reverse().find((b) => b.indent + 2 <= indent && item?.stack.includes(b)) ??
        item.flat[item.flat.length - 1];
      if (!target) throw new Error(`${where}: no action for examples`);
      details = { target };
      continue;
    }
    const blank = /^\s*$/.test(line);
    if (blank) {
      (item?.intro ?? sub?.para ?? cap?.discussion)?.end();
      continue;
    }
    const anchor = /^\s*\{:\s*#([\w-]+)\s*\}\s*$/.exec(line);
    if (anchor?.[1] !== undefined) {
      if (!sub) throw new Error(`${where}: anchor outside a sub-capability`);
      sub.anchor = anchor[1];
      continue;
    }
    if (/^\s*(\{%.*%\}|\{:.*\})\s*$/.test(line)) continue;
    const h = HEADING.exec(line);
    if (h?.[1] !== undefined && h[2] !== undefined) {
      const t = inline(h[2]);
      if (h[1] === "#") {
        const m = /^([A-Z])\.\s*(.*)$/.exec(t);
        if (!m?.[1] || !m[2] || cap) throw new Error(`${where}: unexpected capability heading ${t}`);
        cap = {
          letter: m[1],
          title: m[2],
          statement: undefined,
          discussion: new Paragraphs(),
          permalink: page.meta.permalink,
          subs: [],
        };
      } else {
        const m = /^(\d+)\s*([.)]+)\s*(.*)$/.exec(t);
        if (!cap || !m?.[1] || !m[2] || !m[3]) throw new Error(`${where}: unexpected heading ${t}`);
        sub = {
          num: m[1],
          printed: `${m[1]}${m[2]}`,
          title: m[3],
          anchor: undefined,
          para: new Paragraphs(),
          groups: [],
        };
        cap.subs.push(sub);
        group = undefined;
        item = undefined;
      }
      continue;
    }
    if (!cap) throw new Error(`${where}: text before the capability heading`);
    const g = /^\s*\*\*([a-z])\.\s+(.*?)\*\*\s*(?:<br\s*\/?>\s*)*$/.exec(line);
    if (g?.[1] !== undefined && g[2] !== undefined) {
      if (!sub) throw new Error(`${where}: group outside a sub-capability`);
      group = { letter: g[1], title: inline(g[2]), items: [] };
      sub.groups.push(group);
      item = undefined;
      continue;
    }
    const it = /^\s*(\d+)\.\s+\*\*(.*)\*\*\s*(?:<br\s*\/?>\s*)*$/.exec(line);
    if (group && it?.[1] !== undefined && it[2] !== undefined) {
      item = { num: it[1], title: inline(it[2]), intro: new Paragraphs(), bullets: [], flat: [], stack: [] };
      group.items.push(item);
      continue;
    }
    const b = BULLET.exec(line);
    if (b?.[1] !== undefined && b[2] !== undefined && /^[ \t]*-/.test(line)) {
      if (!item) throw new Error(`${where}: bullet outside a numbered item`);
      const bullet: Bullet = { indent: indentOf(b[1]), text: inline(b[2]), children: [], examples: [] };
      addBullet(item.bullets, item.stack, bullet);
      item.flat.push(bullet);
      continue;
    }
    if (item) {
      if (item.bullets.length > 0) throw new Error(`${where}: paragraph after the actions: ${line}`);
      item.intro.add(line);
    } else if (group) throw new Error(`${where}: paragraph between a group heading and its first item`);
    else if (sub) sub.para.add(line);
    else if (cap.statement === undefined && /^\s*\*\*/.test(line)) cap.statement = inline(line);
    else cap.discussion.add(line);
  }
  if (!cap) throw new Error(`${page.file}: no capability heading`);
  return cap;
}

interface MapNItem {
  key: string;
  title: string;
  rows: number[];
}

function buildNonTechnical(): void {
  const defs = overviewDefinitions("Nontechnical_overview.md");
  const caps = pagesMatching("Nontechnical_manufacturer_").map(parseNonTechnical);

  // Mapping: forward-filled rows; "a.\t..." rows without an action are group headings.
  const mapCapTitles = new Map<string, string>();
  const mapSubTitles = new Map<string, string>();
  const mapGroupTitles = new Map<string, string>();
  const mapItems = new Map<string, MapNItem>();
  let groupKey = "";
  mapping.non_technical.forEach((r, idx) => {
    const L = r.capability.trim().charAt(0);
    const s = /^(\d+)\./.exec(r.sub_capability.trim())?.[1];
    if (!s) throw new Error(`mapping row ${idx}: sub-capability without a number`);
    mapCapTitles.set(L, stripNumber(r.capability));
    mapSubTitles.set(`${L}.${s}`, stripNumber(r.sub_capability));
    const ea = r.element_action.trim();
    const gm = /^([a-z])\./.exec(ea);
    if (r.sub_element_action === null) {
      if (!gm?.[1]) throw new Error(`mapping row ${idx}: heading row is not a lettered group`);
      groupKey = `${L}.${s}.${gm[1]}`;
      mapGroupTitles.set(groupKey, stripNumber(ea));
      return;
    }
    const im = /^(\d+)\./.exec(ea)?.[1];
    if (!im || !groupKey.startsWith(`${L}.${s}.`))
      throw new Error(`mapping row ${idx}: action outside a group`);
    const key = `${groupKey}.${im}`;
    const entry = mapItems.get(key) ?? { key, title: stripNumber(ea), rows: [] };
    entry.rows.push(idx);
    mapItems.set(key, entry);
  });

  emit({
    ref: "non-technical",
    label: "Non-Technical Supporting Capabilities",
    kind: "part",
    title: "Non-Technical Supporting Capabilities",
    order: 2,
    props: { permalink: "/nontechnical/" },
    verification: "to-verify",
  });

  const titleCheck = (title: string, mapTitle: string | undefined, what: string) => {
    if (mapTitle === undefined) throw new Error(`${what}: not in the mapping`);
    const m = compare(title, mapTitle);
    if (m === "none") throw new Error(`${what}: "${title}" does not line up with mapping "${mapTitle}"`);
    return { exact: m === "exact", mappingName: m === "exact" ? undefined : mapTitle };
  };

  let promoted = 0;
  let promotedExamples = 0;
  caps.forEach((cap, ci) => {
    const capRef = cap.letter;
    const defName = [...defs.keys()][ci];
    if (!defName || !norm(cap.title).includes(norm(defName).split(" ")[0] ?? "")) {
      throw new Error(`${capRef}: overview name ${defName} does not fit ${cap.title}`);
    }
    const capCheck = titleCheck(cap.title, mapCapTitles.get(capRef), capRef);
    emit({
      ref: capRef,
      label: cap.letter,
      kind: "capability",
      title: cap.title,
      text: cap.statement,
      parent: "non-technical",
      order: ci + 1,
      props: {
        name: defName,
        definition: defs.get(defName),
        discussion: cap.discussion.list().join("\n\n"),
        mappingName: capCheck.mappingName,
        permalink: cap.permalink,
      },
      verification: "to-verify",
    });

    cap.subs.forEach((sub, si) => {
      const subRef = `${capRef}.${sub.num}`;
      if (Number(sub.num) !== si + 1) throw new Error(`${subRef}: out of sequence`);
      const subCheck = titleCheck(sub.title, mapSubTitles.get(subRef), subRef);
      const label = `${sub.num})`;
      emit({
        ref: subRef,
        label,
        kind: "sub-capability",
        title: sub.title,
        text: sub.para.list().join("\n\n"),
        parent: capRef,
        order: si + 1,
        props: {
          printedLabel: sub.printed !== label ? sub.printed : undefined,
          anchor: sub.anchor,
          mappingName: subCheck.mappingName,
        },
        verification: "to-verify",
      });

      sub.groups.forEach((group, gi) => {
        const groupRef = `${subRef}.${group.letter}`;
        if (group.letter !== String.fromCharCode(97 + gi)) throw new Error(`${groupRef}: out of sequence`);
        const gCheck = titleCheck(group.title, mapGroupTitles.get(groupRef), groupRef);
        emit({
          ref: groupRef,
          label: `${group.letter}.`,
          kind: "section",
          title: group.title,
          parent: subRef,
          order: gi + 1,
          props: { mappingName: gCheck.mappingName },
          verification: gCheck.exact ? "checked" : "to-verify",
        });

        group.items.forEach((item, ii) => {
          const itemRef = `${groupRef}.${item.num}`;
          if (Number(item.num) !== ii + 1) throw new Error(`${itemRef}: out of sequence`);
          const mapItem = mapItems.get(itemRef);
          const iCheck = titleCheck(item.title, mapItem?.title, itemRef);
          if (!mapItem) throw new Error(`${itemRef}: not in the mapping`);
          const rowCells = mapItem.rows.map((r) => ({
            row: r,
            cell: splitCell(mapping.non_technical[r]?.sub_element_action ?? ""),
          }));

          // Nested bullets that the mapping lists as actions of their own are promoted to siblings
          // (A.1.h.1: the page indents them under the first action, after an indented examples block).
          const actions: Bullet[] = [];
          const promotedFrom = new Map<Bullet, Bullet>();
          for (const b of item.bullets) {
            actions.push(b);
            const own = (c: Bullet) => rowCells.some((rc) => compare(c.text, rc.cell.text) !== "none");
            if (b.children.length > 0 && b.children.every(own)) {
              promoted++;
              for (const c of b.children) {
                actions.push(c);
                promotedFrom.set(c, b);
              }
              b.children = [];
            }
          }

          // Order-preserving alignment of the page's actions with the mapping rows.
          const assigned = new Map<Bullet, { row: number; cell: MapLine; match: Match }>();
          const unmatchedRows: { row: number; cell: MapLine }[] = [];
          let p = 0;
          for (const a of actions) {
            const from = (m: (x: Match) => boolean) => {
              let k = p;
              while (k < rowCells.length && !m(compare(a.text, rowCells[k]?.cell.text ?? ""))) k++;
              return k;
            };
            const exactAt = from((x) => x === "exact");
            const k = exactAt < rowCells.length ? exactAt : from((x) => x !== "none");
            const rc = rowCells[k];
            if (!rc) {
              report.push(`${itemRef}: page action not in the mapping: ${a.text}`);
              continue;
            }
            unmatchedRows.push(...rowCells.slice(p, k));
            assigned.set(a, { row: rc.row, cell: rc.cell, match: compare(a.text, rc.cell.text) });
            p = k + 1;
          }
          unmatchedRows.push(...rowCells.slice(p));

          const itemNotes: string[] = [];
          const actionNotes = new Map<Bullet, string[]>();
          for (const u of unmatchedRows) {
            const holder = actions.find((a) => a.examples.some((ex) => compare(ex, u.cell.text) !== "none"));
            if (holder) {
              // D.1.b.1: this copy of the page prints the bullet inside the previous action's
              // examples block, but NIST's draft mapping (and another version of the same page)
              // list it as an action of its own. The mapping is NIST's statement of what the
              // actions are, so the bullet is counted as an action, with a note saying so.
              const exIndex = holder.examples.findIndex((ex) => compare(ex, u.cell.text) !== "none");
              const exText = holder.examples[exIndex] as string;
              holder.examples.splice(exIndex, 1);
              const action: Bullet = { indent: holder.indent, text: exText, children: [], examples: [] };
              actions.splice(actions.indexOf(holder) + 1, 0, action);
              assigned.set(action, { row: u.row, cell: u.cell, match: compare(exText, u.cell.text) });
              actionNotes.set(action, [
                `This copy of the page prints this bullet as an example of the previous action (inside its <details> block); NIST's draft mapping (row ${u.row}) and another version of the page list it as an action of its own, which is followed here.`,
              ]);
              promotedExamples++;
              report.push(`${itemRef}: mapping row ${u.row} promoted from an example to an action`);
              continue;
            }
            itemNotes.push(
              `Draft mapping row ${u.row} has an action not printed on the page: "${u.cell.text}".`,
            );
            report.push(`${itemRef}: mapping row ${u.row} is not an action on the page`);
          }

          emit({
            ref: itemRef,
            label: `${item.num}.`,
            kind: "point",
            title: item.title,
            text: item.intro.list().join("\n\n"),
            parent: groupRef,
            order: ii + 1,
            props: {
              topic: /^([A-Z][A-Za-z ]{2,60}):\s/.exec(item.title)?.[1],
              mappingName: iCheck.mappingName,
            },
            verification: "to-verify",
            notes: itemNotes,
          });

          const texts = new Map<string, string>();
          actions.forEach((a, ai) => {
            texts.set(norm(a.text), `action ${itemRef}.${ai + 1}`);
          });
          actions.forEach((a, ai) => {
            const ref = `${itemRef}.${ai + 1}`;
            const as = assigned.get(a);
            const notes: string[] = [];
            const from = promotedFrom.get(a);
            if (from) {
              notes.push(
                `On the page this bullet is indented under "${from.text.slice(0, 60)}..." (after that action's examples block); the draft mapping lists it as an action of its own, which is followed here.`,
              );
            }
            if (!as) notes.push("No counterpart in the draft mapping.");
            else if (as.match === "close") {
              notes.push(`Draft mapping row ${as.row} reads: "${as.cell.text}".`);
              report.push(`${ref}: wording differs from mapping row ${as.row}`);
            }
            notes.push(...(actionNotes.get(a) ?? []));
            emit({
              ref,
              kind: "action",
              title: a.text,
              text: a.text,
              parent: itemRef,
              order: ai + 1,
              props: { mappingRow: as?.row, examples: a.examples },
              verification: as?.match === "exact" ? "checked" : "to-verify",
              notes,
            });
            emitSubTree(
              a.children,
              as?.cell.children,
              ref,
              "sub-action",
              as ? `draft mapping row ${as.row}` : "the draft mapping",
              texts,
            );
          });
        });
      });
    });
  });
  if (promoted !== 1) throw new Error(`non-technical: ${promoted} promotions of nested actions, expected 1`);
  if (promotedExamples !== 1)
    throw new Error(`non-technical: ${promotedExamples} examples counted as actions, expected 1`);
}

// ---------------------------------------------------------------------------------------------

buildTechnical();
buildNonTechnical();

const counts: Record<string, number> = {};
for (const it of items) counts[it.kind] = (counts[it.kind] ?? 0) + 1;
for (const [kind, n] of Object.entries(EXPECTED)) {
  if (counts[kind] !== n) throw new Error(`expected ${n} items of kind ${kind}, got ${counts[kind] ?? 0}`);
}
const checked = items.filter((i) => i.verification === "checked").length;

const catalog = {
  format: "cairn-catalog/1",
  catalog: {
    id: "nist-sp-800-213a",
    // The content is NIST's online catalog at one commit, not the final SP 800-213A PDF: the
    // version, title and source say so (review 2026-12), and no DOI of the PDF is claimed.
    title: "IoT Device Cybersecurity Requirement Catalogs",
    shortTitle: "NIST SP 800-213A (online catalog)",
    publisher: "NIST",
    version: "2021-11-online",
    published: PAGES_COMMIT_DATE,
    status: "final",
    description:
      "NIST's online catalog of IoT device cybersecurity capabilities (technical: 7 capabilities, 38 sub-capabilities, 161 elements) and manufacturer non-technical supporting capabilities (A-D: 14 sub-capabilities, 32 lettered topics, 50 numbered items, 181 actions), as published on pages.nist.gov in November 2021: the catalog NIST SP 800-213A (November 2021) refers to, in its online form.",
    source: {
      reference: `NIST, IoT Device Cybersecurity Requirement Catalogs (online catalog), usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs@${PAGES_COMMIT} (${PAGES_COMMIT_DATE}); the catalog of NIST SP 800-213A (final, November 2021, https://doi.org/10.6028/NIST.SP.800-213A) as NIST published it online, not the final SP 800-213A PDF`,
      url: "https://pages.nist.gov/IoT-Device-Cybersecurity-Requirement-Catalogs/",
      basis: `NIST's online catalog pages (usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs, commit ${PAGES_COMMIT} of ${PAGES_COMMIT_DATE}, "Update introduction.md"): _Technical/*.md and _Nontechnical/manufacturer_*.md as copied in shared/reference/nist/sp800-213a-online-catalog/, whose 18 pages are byte-identical to that commit's files (compared 2026-12 with a snapshot of the repository), parsed by scripts/catalogs/nist-sp-800-213a.ts; wording and structure cross-checked against NIST's draft mapping spreadsheets (${mapping.source}), read from shared/reference/nist/sp800-213a-draft-catalog-mappings.nist.json (mapping commit ${mappingCommit}).`,
    },
    terms: "full-text",
    license: "Public domain (work of the US Government)",
    verification: "to-verify",
    kinds: [
      "part",
      "capability",
      "sub-capability",
      "element",
      "sub-element",
      "section",
      "point",
      "action",
      "sub-action",
    ],
    notes: [
      "Two parts: technical (capability > sub-capability > element > sub-element) and non-technical, manufacturer catalog (capability A-D > sub-capability 1)-n) > section a., b., ... (NIST's lettered topics) > point 1., 2., ... (NIST's numbered statements) > action > sub-action). The customer non-technical catalog was not published ('coming soon').",
      "Elements and actions are unnumbered bullets in NIST's pages: their label repeats the positional ref (e.g. T1.2.3, A.1.a.1.2). Capabilities and sub-capabilities of the technical part are labelled with their names, as NIST prints them.",
      "Counted levels: elements = the top-level bullets under a technical sub-capability heading (or its single paragraph when it has no bullets), one per row of NIST's draft mapping; actions = the bullets under a numbered non-technical item. Nested bullets are kept as sub-element / sub-action.",
      "Non-technical actions: 181, one per action row of NIST's draft mapping. Two places follow the mapping over this copy of the pages' layout: A.1.h.1's five indented bullets are separate actions (mapping rows 60-64), and D.1.b.1.2 ('Providing awareness communications ...', mapping row 174), which this copy prints inside D.1.b.1.1's examples block and another version of the page prints as a bullet, is an action. Read literally, this copy gives 180.",
      "Examples (the pages' collapsible <details> blocks) are kept verbatim in props.examples of the action they belong to and are not counted.",
      "props.mappingRow is the 0-based row index in the technical / non_technical arrays of sp800-213a-draft-catalog-mappings.nist.json; props.mappingName is the draft mapping's name for an item where it differs from the page.",
      `verification: 'checked' = the item's title and text match NIST's draft mapping spreadsheet verbatim (after collapsing whitespace and treating typographic and straight apostrophes/quotes as equal); ${checked} items. Capability texts, non-technical sub-capability descriptions, numbered-item lead-ins, props.definition, props.discussion and props.examples have no second copy here and remain to-verify.`,
      "The page text is kept as printed, including its typos (e.g. 'describingdetails', 'customersto', 'irreversiblyto'); the mapping's reading is given in the item's notes.",
      "The published SP 800-213A PDF is reported (not verified here) to add two-letter family and three-letter sub-capability codes and some sub-capabilities; no codes are recorded because the Nov 2021 pages and the mapping do not print them. See completeness.gaps.",
    ],
    completeness: {
      status: "complete",
      gaps: [
        {
          kind: "reported",
          description:
            "The final SP 800-213A PDF is reported to label capabilities with two-letter family codes and sub-capabilities with three-letter codes (e.g. DI for Device Identification with IMS, AID, DAS, PID); the online pages print none. To verify against the PDF.",
          source:
            "shared/reference/nist/nistir-8259a-8259b-8425-transcription.md (working transcription, unverified)",
        },
        {
          kind: "reported",
          description:
            "The final SP 800-213A PDF is reported to add a 'Secure Network Onboarding' sub-capability under Device Security, absent from the online pages. To verify against the PDF.",
          source:
            "shared/reference/nist/nistir-8259a-8259b-8425-transcription.md (working transcription, unverified)",
        },
        {
          kind: "reported",
          description:
            "The final SP 800-213A PDF is reported to add a 'Device Authenticity Support' sub-capability under the non-technical documentation capability, absent from the online pages. To verify against the PDF.",
          source:
            "shared/reference/nist/nistir-8259a-8259b-8425-transcription.md (working transcription, unverified)",
        },
        {
          kind: "missing",
          description:
            "The customer non-technical catalog: the online pages announce it ('coming soon') and do not publish it.",
        },
      ],
    },
  },
  items,
};

writeFileSync(outFile, `${JSON.stringify(catalog, null, 2)}\n`);
console.log(`${path.relative(repoRoot, outFile)}: ${items.length} items`, counts, `checked: ${checked}`);
for (const line of report) console.log(`  note: ${line}`);
