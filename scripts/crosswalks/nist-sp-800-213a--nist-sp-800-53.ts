// Builds catalogs/mappings/nist-sp-800-213a--nist-sp-800-53.json: NIST's draft mapping of the SP 800-213A
// technical elements and non-technical actions to SP 800-53 Rev. 5 controls, as a Cairn crosswalk.
//
// Usage: npx tsx scripts/crosswalks/nist-sp-800-213a--nist-sp-800-53.ts          (writes the file)
//        npx tsx scripts/crosswalks/nist-sp-800-213a--nist-sp-800-53.ts --check  (fails if it is out of date)
//
// Inputs (no dependency on shared/):
//   reference/nist/sp800-213a-draft-catalog-mappings.nist.json  NIST's draft mapping (161 technical + 213
//                                                              non-technical rows), see reference/PROVENANCE.md
//   catalogs/nist-sp-800-213a.json   props.mappingRow on every element/action = index of its mapping row
//   catalogs/nist-sp-800-53.json     the control and enhancement refs, titles and withdrawn flags
//
// One mapping row becomes one crosswalk row (sources = the 213A item, targets = the controls the row's
// 800-53 cell names). Rows whose cell names no control are skipped and listed in the crosswalk notes.
// The script stops with an error if the inputs stop lining up the way described in
// docs/crosswalks/nist.md (join, parsing, titles, counts). See that page for the decisions.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../../", import.meta.url);
export const OUTPUT = "catalogs/mappings/nist-sp-800-213a--nist-sp-800-53.json";
const REFERENCE = "reference/nist/sp800-213a-draft-catalog-mappings.nist.json";
const VERSION = "2026-11";

interface SourceRow {
  capability: string;
  sub_capability: string;
  sp800_53r5_controls_raw: string | null;
  sp800_53r5_control_ids: string[];
  bold_ids_low_baseline_per_header: string[];
}
interface TechnicalRow extends SourceRow {
  element: string;
}
interface NonTechnicalRow extends SourceRow {
  element_action: string;
  sub_element_action: string | null;
}
interface MappingSource {
  source: string;
  note: string;
  technical: TechnicalRow[];
  non_technical: NonTechnicalRow[];
}
interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  parent?: string;
  props?: Record<string, unknown>;
}
interface CatalogJson {
  catalog: { id: string; version: string };
  items: Item[];
}
export interface Row {
  id: string;
  sources: string[];
  targets: string[];
  relationship: "subset-of" | "intersects-with";
  rationale: "functional";
  review: "draft";
  note: string;
}
export interface Output {
  format: "cairn-crosswalk/1";
  crosswalk: {
    id: string;
    title: string;
    version: string;
    source: { catalog: string; version: string };
    target: { catalog: string; version: string };
    provenance: {
      kind: "official-draft";
      publication: string;
      url: string;
      basis: string;
      authors: string[];
    };
    notes: string[];
  };
  mappings: Row[];
}

/**
 * Technical elements recorded as `subset-of` their single control: the element restates one part of what
 * the control statement asks (the control asks for more, and covers the whole system, not one device).
 * Every other row is `intersects-with`. The expected target guards against the mapping changing under us.
 */
const SUBSET_OF: Record<string, { target: string; why: string }> = {
  "T1.1.1": {
    target: "IA-3",
    why: "identifying the device uniquely is the identification half of IA-3, which also asks for authentication before a connection",
  },
  "T1.1.2": {
    target: "IA-3",
    why: "unique identification of a remote device is IA-3 for remote connections; IA-3 also asks for authentication and covers local and network connections",
  },
  "T1.3.2": {
    target: "IA-3",
    why: "verifying a device's identity is the authentication half of IA-3, which also asks for unique identification",
  },
  "T3.1.1": {
    target: "SC-13",
    why: "running cryptography of adequate strength is SC-13 b; SC-13 a (deciding the cryptographic uses) is the organization's",
  },
  "T3.1.3": {
    target: "SC-13",
    why: "signature verification is one of the types of cryptography SC-13 b has implemented",
  },
  "T3.1.4": { target: "SC-13", why: "hashing is one of the types of cryptography SC-13 b has implemented" },
  "T3.1.5": {
    target: "SC-13",
    why: "authenticated encryption is one of the types of cryptography SC-13 b has implemented",
  },
  "T3.1.6": {
    target: "SC-13",
    why: "computing and comparing hashes is one of the cryptographic uses SC-13 b covers",
  },
  "T3.2.1": { target: "SC-12", why: "key generation is one of the key-management requirements SC-12 names" },
  "T3.2.2": {
    target: "SC-12",
    why: "secure key storage is one of the key-management requirements SC-12 names",
  },
  "T3.2.3": { target: "SC-12", why: "changing keys securely is part of managing keys under SC-12" },
  "T3.4.2": {
    target: "SC-8",
    why: "protecting what the device sends against disclosure and change is SC-8 for one component of the system",
  },
  "T3.4.3": {
    target: "SC-8(1)",
    why: "cryptographic integrity checks in transit are the 'detect changes' selection of SC-8(1)",
  },
  "T4.1.3": {
    target: "IA-6",
    why: "masking authentication input is IA-6 applied to the device's own log-on",
  },
  "T4.3.1": { target: "AC-8", why: "showing the organization's banner before log-on is AC-8 a" },
  "T4.3.2": {
    target: "AC-8",
    why: "holding an organization-defined banner text is what AC-8 a needs in order to display it",
  },
  "T4.3.3": { target: "AC-8", why: "keeping the banner until the user acknowledges it is AC-8 b" },
  "T4.9.1": {
    target: "AC-17",
    why: "setting usage, configuration and connection requirements for remote access is AC-17 a; AC-17 b (authorizing each type) is more",
  },
  "T4.9.2": { target: "CM-7", why: "restricting ports, functions and components is CM-7 b" },
  "T4.9.3": {
    target: "CM-7",
    why: "disabling interfaces not needed for the core function is CM-7 a (least functionality)",
  },
  "T4.9.6": { target: "CM-7", why: "restricting device services is CM-7 b" },
  "T4.9.7": {
    target: "AC-3",
    why: "enforcing the established access requirements is AC-3's enforcement of approved authorizations",
  },
  "T5.1.3": {
    target: "CM-5",
    why: "limiting software installation to authorized parties is one of the access restrictions for change CM-5 asks to enforce",
  },
  "T5.1.4": {
    target: "CM-5",
    why: "limiting software changes and removal to authorized parties is one of the access restrictions for change CM-5 asks to enforce",
  },
  "T6.2.3": { target: "AU-2", why: "supporting a list of auditable events is AU-2 a and c (event types)" },
  "T6.3.6": {
    target: "SC-42",
    why: "a physical indicator of sensor use is SC-42 b (explicit indication of sensor use)",
  },
  "T6.6.2": { target: "AU-11", why: "keeping audit logs for the policy's retention period is AU-11" },
  "T6.6.4": { target: "AU-5(1)", why: "warning that log storage is running out is AU-5(1)" },
  "T6.7.1": { target: "AU-8", why: "timestamp granularity is the granularity parameter of AU-8 b" },
  "T6.7.3": { target: "AU-8", why: "timestamps convertible to UTC are the UTC requirement of AU-8 b" },
  "T6.8.5": { target: "AU-5(5)", why: "an alternate audit process when the primary fails is AU-5(5)" },
  "T6.8.6": {
    target: "AU-9",
    why: "protecting audit information (encryption, signing, secure transfer) is AU-9 a",
  },
  "T7.3.4": {
    target: "SC-39",
    why: "keeping processes out of each other's memory is one aspect of SC-39's separate execution domains",
  },
  "T7.4.2": { target: "CM-8(3)", why: "detecting unauthorized hardware and software is CM-8(3)(a)" },
  "T7.4.4": {
    target: "SC-34",
    why: "holding the operating environment in read-only media is SC-34 a",
  },
};

/** Misspellings in the raw cells, corrected before the titles are compared with the catalog. */
const TITLE_TYPOS: Record<string, string> = { CONTINOUS: "CONTINUOUS" };

function fail(message: string): never {
  throw new Error(`nist-sp-800-213a--nist-sp-800-53: ${message}`);
}

function readJson<T>(path: string): { value: T; text: string } {
  const text = readFileSync(new URL(path, root), "utf8");
  return { value: JSON.parse(text) as T, text };
}

/** Compare form: letters and digits only, upper case, known typos fixed. */
function titleKey(s: string): string {
  let up = s.toUpperCase();
  for (const [wrong, right] of Object.entries(TITLE_TYPOS)) up = up.split(wrong).join(right);
  return up.replace(/[^A-Z0-9]/g, "");
}

/** Compare form of item wording: quotes straightened, whitespace collapsed, lower case. */
function textKey(s: string): string {
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

interface Parsed {
  targets: string[];
  typos: number;
}

/**
 * Parses one raw 800-53 cell. Each non-empty line names one control: `XX-n TITLE` names the control,
 * `XX-n TITLE (k) TITLE | ENHANCEMENT TITLE` names the enhancement XX-n(k) (only that enhancement, not
 * the base control). A parenthesis is an enhancement number only when it holds digits
 * (`(ORGANIZATIONAL USERS)` is part of IA-2's title). Titles are checked against the catalog.
 */
function parseCell(raw: string, where: string, titles: Map<string, string>): Parsed {
  const targets: string[] = [];
  let typos = 0;
  for (const rawLine of raw.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    const m = /^([A-Z]{2})-(\d+)\s*(.*)$/.exec(line);
    if (!m) fail(`${where}: cannot read the control line "${line}"`);
    const base = `${m[1]}-${m[2]}`;
    const rest = m[3] ?? "";
    if (/\b[A-Z]{2}-\d+/.test(rest)) fail(`${where}: more than one control on the line "${line}"`);
    const baseTitle = titles.get(base);
    if (baseTitle === undefined) fail(`${where}: ${base} is not in nist-sp-800-53`);
    const e = /^(.*?)\s*\((\d+)\)\s*(.*?)\s*\|\s*(.*)$/.exec(rest);
    let ref = base;
    let printed: string[];
    if (e) {
      ref = `${base}(${e[2]})`;
      const enhTitle = titles.get(ref);
      if (enhTitle === undefined) fail(`${where}: ${ref} is not in nist-sp-800-53`);
      printed = [e[1] ?? "", e[3] ?? ""];
      if (titleKey(e[4] ?? "") !== titleKey(enhTitle))
        fail(`${where}: "${e[4]}" is not the title of ${ref} ("${enhTitle}")`);
    } else {
      if (rest.includes("|")) fail(`${where}: enhancement marker without a number in "${line}"`);
      printed = [rest];
    }
    let typo = false;
    for (const t of printed) {
      if (titleKey(t) !== titleKey(baseTitle))
        fail(`${where}: "${t}" is not the title of ${base} ("${baseTitle}")`);
      if (titleKey(t) !== t.toUpperCase().replace(/[^A-Z0-9]/g, "")) typo = true;
    }
    if (typo) typos++;
    if (!targets.includes(ref)) targets.push(ref);
  }
  return { targets, typos };
}

const LETTERED = /^([a-z])\.\t(.*)$/s;

export function build(): Output {
  const ref = readJson<MappingSource>(REFERENCE);
  const nist = ref.value;
  const sha256 = createHash("sha256")
    .update(readFileSync(new URL(REFERENCE, root)))
    .digest("hex");
  const c213 = readJson<CatalogJson>("catalogs/nist-sp-800-213a.json").value;
  const c53 = readJson<CatalogJson>("catalogs/nist-sp-800-53.json").value;

  const items213 = new Map(c213.items.map((i) => [i.ref, i]));
  const titles53 = new Map(c53.items.map((i) => [i.ref, i.title]));
  const withdrawn53 = new Set(c53.items.filter((i) => i.props?.withdrawn === true).map((i) => i.ref));
  const low53 = new Set(
    c53.items
      .filter((i) => Array.isArray(i.props?.baselines) && (i.props.baselines as unknown[]).includes("LOW"))
      .map((i) => i.ref),
  );

  // Join: props.mappingRow on technical elements / non-technical actions.
  const elementOf = new Map<number, Item>();
  const actionOf = new Map<number, Item>();
  for (const item of c213.items) {
    const row = item.props?.mappingRow;
    if (typeof row !== "number") continue;
    const map = item.kind === "element" ? elementOf : item.kind === "action" ? actionOf : undefined;
    if (!map) fail(`${item.ref}: mappingRow on a ${item.kind}`);
    if (map.has(row)) fail(`mapping row ${row} is claimed by ${map.get(row)?.ref} and ${item.ref}`);
    map.set(row, item);
  }
  if (nist.technical.length !== 161 || nist.non_technical.length !== 213)
    fail(`expected 161 + 213 mapping rows, found ${nist.technical.length} + ${nist.non_technical.length}`);
  if (elementOf.size !== 161) fail(`expected 161 elements with mappingRow, found ${elementOf.size}`);

  const checkWording = (item: Item, cell: string, where: string) => {
    // Spaces are dropped too: the pages run words together in a few places ("describingdetails").
    const a = textKey(item.title).replace(/ /g, "").replace(/\.$/, "").slice(0, 40);
    const b = textKey(cell.split("\n")[0] ?? "")
      .replace(/ /g, "")
      .replace(/\.$/, "")
      .slice(0, 40);
    if (a !== b) fail(`${where}: ${item.ref} "${item.title}" does not match the row "${cell}"`);
  };

  const rows: Row[] = [];
  const skipped: string[] = [];
  let typos = 0;
  const withdrawnHits: string[] = [];
  const usedSubset = new Set<string>();

  const addRow = (
    sourceRef: string,
    raw: string,
    where: string,
    technical: boolean,
    expectedIds: string[],
  ) => {
    const parsed = parseCell(raw, where, titles53);
    typos += parsed.typos;
    const bases = [...new Set(parsed.targets.map((t) => t.replace(/\(\d+\)$/, "")))].sort();
    if (bases.join(",") !== [...expectedIds].sort().join(","))
      fail(`${where}: parsed ${bases.join(",")} but NIST's id column says ${expectedIds.join(",")}`);
    for (const t of parsed.targets) if (withdrawn53.has(t)) withdrawnHits.push(`${sourceRef} -> ${t}`);
    const subset = technical ? SUBSET_OF[sourceRef] : undefined;
    const list = parsed.targets.join(", ");
    let relationship: Row["relationship"] = "intersects-with";
    let note: string;
    if (subset) {
      if (parsed.targets.length !== 1 || parsed.targets[0] !== subset.target)
        fail(`${where}: SUBSET_OF expects ${sourceRef} -> ${subset.target}, the mapping gives ${list}`);
      usedSubset.add(sourceRef);
      relationship = "subset-of";
      note = `NIST's draft maps this element to ${list}: ${subset.why}. The control applies to the whole system, so the device element is only part of it.`;
    } else if (technical) {
      note =
        parsed.targets.length > 1
          ? `NIST's draft maps this element to ${list}. Each control asks the organization for more than this device capability, and the element names device specifics the controls do not; with several targets the weaker relationship that holds for each is recorded.`
          : `NIST's draft maps this element to ${list}. The device capability supports part of the control, and the element also names device specifics the control does not ask for, so the overlap is partial both ways.`;
    } else {
      note = `NIST's draft maps this manufacturer action to ${list}. The action is information or support the manufacturer gives the customer; the control${parsed.targets.length > 1 ? "s ask" : " asks"} the customer organization (or its system) to do something. They share subject matter, neither contains the other.`;
    }
    rows.push({
      id: sourceRef,
      sources: [sourceRef],
      targets: parsed.targets,
      relationship,
      rationale: "functional",
      review: "draft",
      note,
    });
  };

  nist.technical.forEach((row, i) => {
    const where = `technical row ${i}`;
    const element = elementOf.get(i);
    if (!element) fail(`${where}: no element carries mappingRow ${i}`);
    checkWording(element, row.element, where);
    if (row.sp800_53r5_controls_raw === null || row.sp800_53r5_controls_raw.trim() === "")
      fail(`${where}: technical row without controls`);
    addRow(element.ref, row.sp800_53r5_controls_raw, where, true, row.sp800_53r5_control_ids);
  });

  const sectionsSeen = new Set<string>();
  let noMapping = 0;
  nist.non_technical.forEach((row, i) => {
    const where = `non-technical row ${i}`;
    const raw = row.sp800_53r5_controls_raw;
    const lettered = row.sub_element_action === null ? LETTERED.exec(row.element_action) : null;
    if (lettered) {
      // A lettered topic: its section is the grandparent of the next row's action.
      if (raw !== null) fail(`${where}: lettered topic with controls`);
      const next = actionOf.get(i + 1);
      const point = next?.parent ? items213.get(next.parent) : undefined;
      const section = point?.parent ? items213.get(point.parent) : undefined;
      if (section?.kind !== "section") fail(`${where}: no section found through row ${i + 1}`);
      if (section.label !== `${lettered[1]}.`)
        fail(`${where}: section ${section.ref} is labelled ${section.label}`);
      const a = textKey(section.title).replace(/\.$/, "");
      const b = textKey(lettered[2] ?? "").replace(/\.$/, "");
      if (a !== b) fail(`${where}: section ${section.ref} "${section.title}" vs "${lettered[2]}"`);
      if (sectionsSeen.has(section.ref)) fail(`${where}: section ${section.ref} joined twice`);
      sectionsSeen.add(section.ref);
      skipped.push(section.ref);
      return;
    }
    const action = actionOf.get(i);
    if (!action) fail(`${where}: no action carries mappingRow ${i}`);
    checkWording(action, row.sub_element_action ?? "", where);
    if (raw === null || raw.trim() === "") fail(`${where}: action row without a control cell`);
    if (raw.trim() === "No Mapping") {
      if (row.sp800_53r5_control_ids.length > 0) fail(`${where}: "No Mapping" with ids`);
      noMapping++;
      skipped.push(action.ref);
      return;
    }
    addRow(action.ref, raw, where, false, row.sp800_53r5_control_ids);
  });

  const sectionCount = c213.items.filter((i) => i.kind === "section").length;
  if (sectionsSeen.size !== 32 || sectionCount !== 32)
    fail(`expected 32 lettered topics joined to 32 sections, got ${sectionsSeen.size} of ${sectionCount}`);
  if (actionOf.size !== 181) fail(`expected 181 actions with mappingRow, found ${actionOf.size}`);
  for (const key of Object.keys(SUBSET_OF)) if (!usedSubset.has(key)) fail(`SUBSET_OF ${key} was not used`);
  if (rows.length + skipped.length !== 374) fail(`rows ${rows.length} + skipped ${skipped.length} != 374`);

  const tech = rows.filter((r) => r.id.startsWith("T")).length;
  const enh = new Set(rows.flatMap((r) => r.targets).filter((t) => t.includes("(")));
  const distinct = new Set(rows.flatMap((r) => r.targets));
  const allRows: SourceRow[] = [...nist.technical, ...nist.non_technical];
  const boldRows = allRows.filter((r) => r.bold_ids_low_baseline_per_header.length > 0).length;
  const boldIds = [...new Set(allRows.flatMap((r) => r.bold_ids_low_baseline_per_header))].sort();
  const boldNotLow = boldIds.filter((id) => !low53.has(id));
  const skippedSections = skipped.filter((s) => items213.get(s)?.kind === "section");
  const skippedActions = skipped.filter((s) => items213.get(s)?.kind === "action");

  return {
    format: "cairn-crosswalk/1",
    crosswalk: {
      id: "nist-sp-800-213a--nist-sp-800-53",
      title: "NIST SP 800-213A elements and actions to SP 800-53 Rev. 5 controls (NIST draft mapping)",
      version: VERSION,
      source: { catalog: c213.catalog.id, version: c213.catalog.version },
      target: { catalog: c53.catalog.id, version: c53.catalog.version },
      provenance: {
        kind: "official-draft",
        publication:
          "NIST SP 800-213A draft mapping to SP 800-53 Rev. 5 (IoT Device Cybersecurity Requirement Catalogs repository)",
        url: "https://github.com/usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs/tree/60ed8e6a802bfab80acdcb5a40ace2aa153529e2/_InformativeReferences/files",
        basis: `NIST's draft spreadsheets (${nist.source}) as extracted to ${REFERENCE} (SHA-256 ${sha256}). Rows are joined to catalog items through props.mappingRow of nist-sp-800-213a; targets are parsed from the raw 800-53 cell (sp800_53r5_controls_raw), not from the id column, so enhancements are kept. Relationships and notes are Cairn's reading, not NIST's: NIST gives no relationship type. Generated by scripts/crosswalks/nist-sp-800-213a--nist-sp-800-53.ts.`,
        authors: ["NIST (draft mapping)", "Cairn project (conversion, relationships)"],
      },
      notes: [
        `${rows.length} rows from ${nist.technical.length + nist.non_technical.length} NIST rows: ${tech} technical elements (all 161) and ${rows.length - tech} non-technical actions (of 181). One row per NIST row; ${distinct.size} distinct controls and enhancements are targeted, ${enh.size} of them enhancements.`,
        `Skipped, no control in NIST's cell: ${skipped.length} rows. ${skippedSections.length} are the lettered-topic rows of the non-technical catalog (sections ${skippedSections.join(", ")}); NIST maps only the actions under them. ${noMapping} action row reads "No Mapping": ${skippedActions.join(", ")}.`,
        "Join: technical row n is the element with props.mappingRow n, non-technical action rows likewise for actions. A lettered-topic row is joined to the section that is the grandparent of the next row's action, and the section's label and title must equal the row's letter and topic. The generator also compares the first 40 characters of every item with its row (quotes straightened, spaces and case ignored).",
        "Parsing the 800-53 cell: one control per line. 'XX-n TITLE' is the control XX-n; 'XX-n TITLE (k) TITLE | ENHANCEMENT TITLE' is the enhancement XX-n(k) only. A parenthesis counts as an enhancement number only when it holds digits, so '(ORGANIZATIONAL USERS)' stays part of IA-2's title. Every printed control and enhancement title is compared with nist-sp-800-53 (letters and digits only, case ignored); the generator stops on a mismatch. Controls repeated in a cell are listed once, in NIST's order.",
        `Title spellings tolerated: 'CONTINOUS' for CA-7 Continuous Monitoring (${typos} lines). The base ids we parse equal NIST's own id column on every row.`,
        `Withdrawn targets: ${withdrawnHits.length === 0 ? "none; every target is an active control or enhancement of nist-sp-800-53@5.0.1" : withdrawnHits.join("; ")}.`,
        `Relationship: NIST states none. A 213A element is a device capability and a 213A action is something the manufacturer provides, while an 800-53 control asks the organization for something across its whole system. So rows are intersects-with, except for ${usedSubset.size} technical elements that restate one part of a single control's statement, which are subset-of (list in the generator, SUBSET_OF). A row with several targets is intersects-with, because the relationship must hold for each target. Nothing is equal or superset-of: a device result never settles a control by itself.`,
        "Rationale: functional (the element or action helps achieve what the control asks for). Review: draft for every row, because NIST's mapping is itself a draft and the relationships are Cairn's reading of it.",
        `The spreadsheet bolds ids it thinks are in the draft LOW baseline (${boldRows} rows carry at least one). This marker is not carried: baselines come from nist-sp-800-53 (props.baselines, SP 800-53B). Of the ${boldIds.length} distinct ids NIST bolds, ${boldNotLow.length === 0 ? "all are" : `${boldIds.length - boldNotLow.length} are (not: ${boldNotLow.join(", ")})`} LOW controls there.`,
        "NIST's CSF 1.1 column is not part of this crosswalk (no CSF catalog is bundled).",
      ],
    },
    mappings: rows,
  };
}

export function render(output: Output): string {
  return `${JSON.stringify(output, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const output = build();
  const text = render(output);
  const target = new URL(OUTPUT, root);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // missing: reported below
    }
    if (current !== text) {
      console.error(
        `${OUTPUT} is out of date: run npx tsx scripts/crosswalks/nist-sp-800-213a--nist-sp-800-53.ts`,
      );
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
  }
  const counts: Record<string, number> = {};
  for (const r of output.mappings) counts[r.relationship] = (counts[r.relationship] ?? 0) + 1;
  console.log(`${OUTPUT}: ${output.mappings.length} rows`, counts);
}
