// Build catalogs/nist-sp-800-53.json (NIST SP 800-53 Rev. 5, release 5.0.1 content) from reference/.
// Usage: npx tsx scripts/catalogs/nist-sp-800-53.ts            rewrite catalogs/nist-sp-800-53.json
//        npx tsx scripts/catalogs/nist-sp-800-53.ts --check    fail if catalogs/nist-sp-800-53.json is out of date
//
// Inputs (copies of /work/shared/reference, see reference/PROVENANCE.md):
//   reference/nist/sp800-53r5-controls.json                  ids, titles, statements, withdrawn flags
//   reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json order, family titles, withdrawal links, cross-check
//   reference/nist/oscal/sp800-53b-rev5-*-baseline-profile.oscal.json (5.1.1)   baseline membership
//   reference/nist/oscal/sp800-53b-rev5.0.1-{moderate,high}-baseline-profile.oscal.json  cross-check
//   reference/nist/oscal/*resolved-catalog*                  NIST's resolved baselines, used as oracles
// Deterministic: the same inputs always give the same bytes. Fails loudly on any unexpected input.
import { readFileSync } from "node:fs";
import { writeOrCheckCatalogs } from "./output.js";

const root = new URL("../../", import.meta.url);
const OUTPUT = "catalogs/nist-sp-800-53.json";
const STATEMENTS = "reference/nist/sp800-53r5-controls.json";
const OSCAL_CATALOG = "reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json";
const LEVELS = ["LOW", "MODERATE", "HIGH", "PRIVACY"] as const;
type Level = (typeof LEVELS)[number];
const PROFILE_511 = (level: Level) =>
  `reference/nist/oscal/sp800-53b-rev5-${level.toLowerCase()}-baseline-profile.oscal.json`;
const PROFILE_501: Partial<Record<Level, string>> = {
  MODERATE: "reference/nist/oscal/sp800-53b-rev5.0.1-moderate-baseline-profile.oscal.json",
  HIGH: "reference/nist/oscal/sp800-53b-rev5.0.1-high-baseline-profile.oscal.json",
};
const RESOLVED: { level: Level; file: string }[] = [
  { level: "LOW", file: "reference/nist/oscal/sp800-53-rev5-low-resolved-catalog.oscal.json" },
  { level: "MODERATE", file: "reference/nist/oscal/sp800-53-rev5-moderate-resolved-catalog.oscal.min.json" },
  { level: "HIGH", file: "reference/nist/oscal/sp800-53-rev5-high-resolved-catalog.oscal.min.json" },
  { level: "HIGH", file: "reference/nist/oscal/sp800-53-rev5.0.1-high-resolved-catalog.oscal.json" },
];

// ---- input shapes -------------------------------------------------------------------------------

interface StatementRow {
  id: string;
  family: string;
  familyTitle: string;
  title: string;
  statement: string;
  withdrawn: boolean;
}
interface OscalProp {
  name: string;
  value: string;
}
interface OscalLink {
  href: string;
  rel?: string;
}
interface OscalPart {
  id?: string;
  name: string;
  props?: OscalProp[];
  prose?: string;
  parts?: OscalPart[];
}
interface OscalParam {
  id: string;
  label?: string;
  select?: { "how-many"?: string; choice?: string[] };
}
interface OscalControl {
  id: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}
interface OscalGroup {
  id: string;
  title: string;
  controls?: OscalControl[];
}
interface OscalCatalog {
  catalog: {
    metadata: { title: string; version: string; "last-modified": string };
    groups?: OscalGroup[];
    controls?: OscalControl[];
  };
}
interface OscalProfile {
  profile: {
    metadata: { title: string; version: string };
    imports: { href: string; "include-controls"?: { "with-ids"?: string[] }[] }[];
  };
}

// ---- output shapes ------------------------------------------------------------------------------

type PropValue = string | number | boolean | string[];
interface Item {
  ref: string;
  label: string;
  kind: "family" | "control" | "control-enhancement";
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: "checked" | "to-verify";
  notes?: string;
}

// ---- corrections --------------------------------------------------------------------------------
// Artefacts of the statement JSON that NIST's OSCAL catalog does not have. Each is a literal
// substring replacement that must match exactly once; after it, the value must agree with the OSCAL
// catalog (the cross-check below), so a correction cannot drift from NIST's own machine-readable copy.

interface Correction {
  field: "title" | "text";
  from: string;
  to: string;
  why: string;
}
const CORRECTIONS: Record<string, Correction[]> = {
  "IA-8(5)": [
    {
      field: "title",
      from: "PVI-I",
      to: "PIV-I",
      why: "statement JSON misspells PIV-I (Personal Identity Verification-Interoperable) as PVI-I; OSCAL 5.0.1 and 5.1.1 have PIV-I",
    },
  ],
  "PM-30": [
    {
      field: "text",
      from: "\n1. Implement the supply chain",
      to: "\nb. Implement the supply chain",
      why: "statement JSON labels item b as '1.' (OSCAL: 'b.')",
    },
    {
      field: "text",
      from: "\n(a) Review and update the supply chain",
      to: "\nc. Review and update the supply chain",
      why: "statement JSON labels item c as '(a)' (OSCAL: 'c.')",
    },
  ],
  "SA-4(3)": [
    {
      field: "text",
      from: "<assign:#>organization-defined [Selection (one or more): systems security; privacy<#:assign> engineering methods]",
      to: "[Assignment: organization-defined [Selection (one or more): systems security; privacy] engineering methods]",
      why: "statement JSON keeps unconverted markup (<assign:#>...<#:assign>) where OSCAL has the nested [Assignment: ...]",
    },
  ],
  "CP-7(5)": [
    {
      field: "text",
      from: "Withdrawn: Incorporated into CP-7.]",
      to: "[Withdrawn: Incorporated into CP-7.]",
      why: "statement JSON drops the opening bracket that every other withdrawn statement has",
    },
  ],
  "IA-3(2)": [
    {
      field: "text",
      from: "Withdrawn: Incorporated into IA-3(1).]",
      to: "[Withdrawn: Incorporated into IA-3(1).]",
      why: "statement JSON drops the opening bracket that every other withdrawn statement has",
    },
  ],
};

// ---- helpers ------------------------------------------------------------------------------------

function readJson<T>(rel: string): T {
  return JSON.parse(readFileSync(new URL(rel, root), "utf8")) as T;
}

function fail(message: string): never {
  throw new Error(`nist-sp-800-53: ${message}`);
}

/** OSCAL id to the id NIST prints: "ac" -> "AC", "ac-2" -> "AC-2", "ac-2.1" -> "AC-2(1)". */
function printedId(oscalId: string): string {
  const m = /^([a-z]{2})(?:-(\d+)(?:\.(\d+))?)?$/.exec(oscalId);
  if (!m?.[1]) fail(`unexpected OSCAL control id ${oscalId}`);
  return `${m[1].toUpperCase()}${m[2] ? `-${m[2]}` : ""}${m[3] ? `(${m[3]})` : ""}`;
}

/** A withdrawal link target: "#ac-2_smt.k" -> { printed: "AC-2k", ref: "AC-2" }; "#sr" -> { "SR", "SR" }. */
function linkTarget(href: string): { printed: string; ref: string } {
  const m = /^#([a-z]{2}(?:-\d+(?:\.\d+)?)?)(?:_smt\.([a-z]))?$/.exec(href);
  if (!m?.[1]) fail(`unexpected withdrawal link ${href}`);
  const ref = printedId(m[1]);
  return { printed: `${ref}${m[2] ?? ""}`, ref };
}

function prop(props: OscalProp[] | undefined, name: string): string | undefined {
  return props?.find((p) => p.name === name)?.value;
}

/** Whitespace clean-up only: no-break spaces, runs of spaces, spaces at line ends. */
function normalize(text: string): string {
  return text
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .trim();
}

/** Comparison key: drops OSCAL markdown (links, bold) and all whitespace. */
function squash(text: string): string {
  return text
    .replace(/\[([^[\]]*)\]\(#[^)]*\)/g, "$1")
    .replace(/\*\*/g, "")
    .replace(/\s+/g, "");
}

/** Render an OSCAL statement the way NIST prints it: "a. ...", "[Assignment: ...]", "[Selection: ...]". */
function renderStatement(control: OscalControl, params: Map<string, OscalParam>): string | undefined {
  const statement = control.parts?.find((p) => p.name === "statement");
  if (!statement) return undefined;
  const insert = (text: string): string =>
    text.replace(/\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g, (_, id: string) => {
      const param = params.get(id) ?? fail(`${control.id}: unknown parameter ${id}`);
      if (param.select) {
        const head = param.select["how-many"] === "one-or-more" ? "Selection (one or more)" : "Selection";
        return `[${head}: ${(param.select.choice ?? []).map(insert).join("; ")}]`;
      }
      return `[Assignment: ${insert(param.label ?? "")}]`;
    });
  const lines: string[] = [];
  const walk = (part: OscalPart): void => {
    if (part.prose !== undefined) {
      const label = prop(part.props, "label");
      lines.push(`${label ? `${label} ` : ""}${insert(part.prose)}`);
    }
    for (const child of part.parts ?? []) walk(child);
  };
  walk(statement);
  return lines.join("\n");
}

function profileIds(rel: string): string[] {
  const profile = readJson<OscalProfile>(rel).profile;
  const ids = profile.imports.flatMap((imp) =>
    (imp["include-controls"] ?? []).flatMap((inc) => inc["with-ids"] ?? []),
  );
  if (new Set(ids).size !== ids.length) fail(`${rel}: duplicate with-ids`);
  return ids.map(printedId);
}

function resolvedIds(rel: string): string[] {
  const catalog = readJson<OscalCatalog>(rel).catalog;
  const ids: string[] = [];
  const walk = (controls: OscalControl[] | undefined): void => {
    for (const c of controls ?? []) {
      ids.push(printedId(c.id));
      walk(c.controls);
    }
  };
  for (const g of catalog.groups ?? []) walk(g.controls);
  walk(catalog.controls);
  return ids;
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

// ---- build --------------------------------------------------------------------------------------

const rows = readJson<{ controls: StatementRow[] }>(STATEMENTS).controls;
const byId = new Map(rows.map((r) => [r.id, r]));
if (byId.size !== rows.length) fail("duplicate ids in the statement JSON");

const oscal = readJson<OscalCatalog>(OSCAL_CATALOG).catalog;
if (oscal.metadata.version !== "5.0.1") fail(`expected OSCAL catalog 5.0.1, got ${oscal.metadata.version}`);
const params = new Map<string, OscalParam>();
const collectParams = (controls: OscalControl[] | undefined): void => {
  for (const c of controls ?? []) {
    for (const p of c.params ?? []) params.set(p.id, p);
    collectParams(c.controls);
  }
};
for (const g of oscal.groups ?? []) collectParams(g.controls);

// Baselines: 800-53B profiles 5.1.1 (the only release with all four in reference/), checked against
// the 5.0.1 profiles where present and against NIST's own resolved catalogs.
const baselines = new Map<Level, Set<string>>();
for (const level of LEVELS) {
  const ids = profileIds(PROFILE_511(level));
  const older = PROFILE_501[level];
  if (older && !sameSet(ids, profileIds(older))) fail(`${level}: 5.1.1 and 5.0.1 profiles differ`);
  for (const { level: l, file } of RESOLVED) {
    if (l === level && !sameSet(ids, resolvedIds(file))) fail(`${level}: profile differs from ${file}`);
  }
  baselines.set(level, new Set(ids));
}

const items: Item[] = [];
const seen = new Set<string>();
const corrected = new Set<string>();
const flagged: string[] = [];

function applyCorrections(id: string, field: "title" | "text", value: string): string {
  let out = value;
  for (const c of CORRECTIONS[id] ?? []) {
    if (c.field !== field) continue;
    if (out.split(c.from).length !== 2) fail(`${id}: correction '${c.from}' does not match exactly once`);
    out = out.replace(c.from, c.to);
    corrected.add(`${id}:${field}`);
  }
  return out;
}

function controlItem(control: OscalControl, family: string, parent: OscalControl | undefined): Item {
  const ref = printedId(control.id);
  if (prop(control.props, "label") !== ref)
    fail(`${control.id}: OSCAL label ${prop(control.props, "label")}`);
  const row = byId.get(ref) ?? fail(`${ref} is in the OSCAL catalog but not in the statement JSON`);
  if (row.family !== family) fail(`${ref}: family ${row.family} != ${family}`);
  seen.add(ref);
  const notes: string[] = [];
  let verified = true;

  // Title: the JSON prints enhancements as "<control title> | <enhancement title>".
  let title = row.title;
  if (parent) {
    const parentRow = byId.get(printedId(parent.id)) ?? fail(`${ref}: parent missing`);
    const [head, own, ...rest] = row.title.split(" | ");
    if (own === undefined || rest.length > 0 || head !== parentRow.title) fail(`${ref}: title ${row.title}`);
    title = own;
  } else if (row.title.includes(" | ")) {
    fail(`${ref}: control title with ' | '`);
  }
  title = applyCorrections(ref, "title", normalize(title));
  if (title !== control.title) {
    if (title.toLowerCase() === control.title.toLowerCase()) {
      notes.push(`OSCAL 5.0.1 prints the title as '${control.title}' (letter case only)`);
    } else {
      verified = false;
      notes.push(`title differs from OSCAL 5.0.1 '${control.title}'`);
    }
  }

  // Withdrawal: status and links from OSCAL, cross-checked with the JSON flag and statement.
  const withdrawn = prop(control.props, "status") === "withdrawn";
  if (withdrawn !== row.withdrawn) fail(`${ref}: withdrawn flag differs from OSCAL`);
  const text = applyCorrections(ref, "text", normalize(row.statement));
  const links = (control.links ?? []).filter((l) => l.rel === "incorporated-into" || l.rel === "moved-to");
  const targets = links.map((l) => linkTarget(l.href));
  const relations = [...new Set(links.map((l) => l.rel ?? ""))];
  if (relations.length > 1) fail(`${ref}: mixed withdrawal relations`);
  if (!withdrawn && links.length > 0) fail(`${ref}: withdrawal links on an active control`);

  // Statement: compare with the OSCAL rendering (whitespace and OSCAL markdown ignored).
  const rendered = renderStatement(control, params);
  if (rendered !== undefined) {
    const expected = withdrawn ? `[Withdrawn: ${rendered}]` : rendered;
    if (squash(text) !== squash(expected)) {
      verified = false;
      notes.push(`statement differs from OSCAL 5.0.1, which reads: ${normalize(expected)}`);
    }
  } else if (!withdrawn) {
    fail(`${ref}: active control without an OSCAL statement`);
  }
  if (withdrawn) {
    if (!text.startsWith("[Withdrawn: ")) fail(`${ref}: withdrawn statement ${text}`);
    if (links.length > 0) {
      const mentioned = [...text.matchAll(/(?<![A-Za-z])[A-Z]{2}(?:-\d+(?:\(\d+\))?[a-z]?)?(?![A-Za-z0-9])/g)]
        .map((m) => m[0])
        .sort();
      const linked = [...new Set(targets.map((t) => t.printed))].sort();
      if (mentioned.join() !== linked.join()) {
        verified = false;
        notes.push(`statement names ${mentioned.join(", ")} but OSCAL links to ${linked.join(", ")}`);
      }
      const verb = relations[0] === "moved-to" ? "Moved to" : "Incorporated into";
      if (!text.includes(verb)) {
        verified = false;
        notes.push(`statement wording differs from the OSCAL relation '${relations[0]}'`);
      }
    } else if (rendered === undefined) {
      fail(`${ref}: withdrawn with neither links nor an OSCAL statement`);
    }
  }

  for (const field of ["title", "text"] as const) {
    for (const c of corrected.has(`${ref}:${field}`) ? (CORRECTIONS[ref] ?? []) : []) {
      if (c.field === field) notes.push(`corrected ${field}: ${c.why}`);
    }
  }
  if (!verified) flagged.push(ref);

  const props: Record<string, PropValue> = {
    family,
    withdrawn,
    baselines: LEVELS.filter((level) => baselines.get(level)?.has(ref)),
  };
  if (withdrawn && targets.length > 0) {
    props.withdrawnTo = [...new Set(targets.map((t) => t.ref))];
    props.withdrawnRelation = relations[0] ?? fail("unreachable");
  }
  const item: Item = {
    ref,
    label: ref,
    kind: parent ? "control-enhancement" : "control",
    title,
    text,
    parent: parent ? printedId(parent.id) : family,
    props,
  };
  if (!verified) item.verification = "to-verify";
  if (notes.length > 0) item.notes = [...new Set(notes)].join("; ");
  return item;
}

const familyTitles = new Map(rows.map((r) => [r.family, r.familyTitle]));
for (const group of oscal.groups ?? []) {
  const family = printedId(group.id);
  const jsonTitle = familyTitles.get(family) ?? fail(`family ${family} not in the statement JSON`);
  const familyItem: Item = { ref: family, label: family, kind: "family", title: group.title };
  if (jsonTitle !== group.title) {
    // The OSCAL group title is what NIST prints (e.g. "SYSTEM AND COMMUNICATIONS PROTECTION").
    familyItem.notes = `title from OSCAL 5.0.1; the statement JSON has '${jsonTitle}'`;
  }
  items.push(familyItem);
  for (const control of group.controls ?? []) {
    items.push(controlItem(control, family, undefined));
    for (const enhancement of control.controls ?? []) {
      if (enhancement.controls?.length) fail(`${enhancement.id}: nested enhancements`);
      items.push(controlItem(enhancement, family, control));
    }
  }
}

const unused = rows.filter((r) => !seen.has(r.id)).map((r) => r.id);
if (unused.length > 0) fail(`statement JSON ids not in the OSCAL catalog: ${unused.join(", ")}`);
if (familyTitles.size !== (oscal.groups ?? []).length) fail("family count differs");
for (const level of LEVELS) {
  for (const id of baselines.get(level) ?? []) {
    const item = items.find((i) => i.ref === id) ?? fail(`${level}: ${id} is not a control`);
    if (item.props?.withdrawn) fail(`${level}: ${id} is withdrawn`);
  }
}
for (const key of Object.keys(CORRECTIONS)) {
  if (![...corrected].some((c) => c.startsWith(`${key}:`))) fail(`correction for ${key} not applied`);
}

const controls = items.filter((i) => i.kind !== "family");
const count = (level: Level): number => baselines.get(level)?.size ?? 0;
const catalog = {
  format: "cairn-catalog/1",
  catalog: {
    id: "nist-sp-800-53",
    title: "Security and Privacy Controls for Information Systems and Organizations",
    shortTitle: "NIST SP 800-53 Rev. 5",
    publisher: "NIST",
    version: "5.0.1",
    published: "2020-09",
    status: "final",
    description:
      "The SP 800-53 Rev. 5 control catalog: 20 families, controls and control enhancements (withdrawn ones included, flagged), with SP 800-53B baseline membership.",
    source: {
      reference:
        "NIST SP 800-53 Rev. 5, Security and Privacy Controls for Information Systems and Organizations, https://doi.org/10.6028/NIST.SP.800-53r5",
      url: "https://doi.org/10.6028/NIST.SP.800-53r5",
      doi: "10.6028/NIST.SP.800-53r5",
      basis: [
        "reference/nist/sp800-53r5-controls.json (ids, titles, statements; release 5.0.1 wording) in NIST's OSCAL order;",
        `family titles, withdrawal links and the cross-check from reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json (OSCAL content ${oscal.metadata.version}, last-modified ${oscal.metadata["last-modified"]});`,
        "baselines from the SP 800-53B 5.1.1 OSCAL profiles (sp800-53b-rev5-*-baseline-profile.oscal.json), identical to the 5.0.1 MODERATE/HIGH profiles and to NIST's resolved LOW/MODERATE/HIGH catalogs;",
        "built by scripts/catalogs/nist-sp-800-53.ts (see docs/catalogs/nist-sp-800-53.md and reference/PROVENANCE.md).",
      ].join(" "),
      retrieved: "2026-11-27",
    },
    terms: "full-text",
    license: "Public domain (work of the US Government); NIST OSCAL content released under CC0",
    verification: "checked",
    completeness: { status: "complete" },
    kinds: ["family", "control", "control-enhancement"],
    notes: [
      `${controls.length} controls and enhancements (${controls.filter((i) => i.props?.withdrawn).length} withdrawn) in 20 families.`,
      `Baselines (props.baselines) per SP 800-53B, OSCAL profiles 5.1.1: LOW ${count("LOW")}, MODERATE ${count("MODERATE")}, HIGH ${count("HIGH")}, PRIVACY ${count("PRIVACY")}.`,
      "Later releases (5.1.x from Nov 2023) add controls such as IA-13 and edit some wording; they are not in this 5.0.1 catalog.",
      "Enhancement titles are NIST's own enhancement titles (the part after ' | ' in NIST's 'Control | Enhancement' form).",
      "props.withdrawnTo lists catalog refs the OSCAL catalog links a withdrawn item to (a statement item such as AC-2k is given as its control, AC-2; SA-12 points to the SR family); props.withdrawnRelation is incorporated-into or moved-to.",
      "verification 'checked': title and statement agree with the OSCAL 5.0.1 catalog (statements compared ignoring whitespace and OSCAL markup); items marked to-verify say why in notes.",
    ],
  },
  items,
};

writeOrCheckCatalogs("scripts/catalogs/nist-sp-800-53.ts", [[OUTPUT, catalog]]);
console.log(
  `${OUTPUT}: ${items.length} items (${items.length - controls.length} families, ${controls.length} controls+enhancements); ` +
    `baselines ${LEVELS.map((l) => `${l} ${count(l)}`).join(", ")}; corrections ${corrected.size}; to-verify ${flagged.join(", ") || "none"}`,
);
