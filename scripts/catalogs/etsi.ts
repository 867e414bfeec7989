// Builds catalogs/etsi-en-303-645.json and catalogs/etsi-ts-103-701.json (terms "ids-only").
//
// Ids, clause numbers, modal verbs and the test structure are read from the shared reference files
// (reference only, (c) ETSI: their prose is never written out); the short titles and conditions are
// the project's own words, kept in scripts/catalogs/etsi-titles.json.
//
// Usage: npx tsx scripts/catalogs/etsi.ts
// Env:   CAIRN_SHARED  directory holding reference/etsi/ (default: <repo>/../shared)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sharedDir = path.resolve(process.env.CAIRN_SHARED ?? path.resolve(repoRoot, "../shared"));
const EN_FILE = "reference/etsi/etsi-en-303645-v2.1.1.provisions.json";
const TS_FILE = "reference/etsi/etsi-ts-103701-v1.1.1.txt";
const TITLES_FILE = "scripts/catalogs/etsi-titles.json";
// Table B.1 statuses (ids, statuses, condition numbers: facts, no ETSI prose), copied into the
// repository with its provenance so that the tests can hold the catalog to it.
const B1_FILE = "reference/etsi/en-303-645-v2.1.1-table-b1-statuses.json";
const EN_ID = "etsi-en-303-645";
const TS_ID = "etsi-ts-103-701";
const EXPECTED_PROVISIONS = 68;
const LICENSE = "(c) ETSI: identifiers and own-words titles only; the licensed text is not reproduced";

type Modal = "shall" | "should";
type PropValue = string | number | boolean | string[];
type Verification = "checked" | "to-verify";

interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: Verification;
  notes?: string;
}

interface CatalogFile {
  format: "cairn-catalog/1";
  catalog: Record<string, unknown>;
  items: Item[];
}

class BuildError extends Error {}

function fail(message: string): never {
  throw new BuildError(message);
}

// ---------------------------------------------------------------- small readers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(obj: Record<string, unknown>, key: string, where: string): unknown {
  if (!(key in obj)) fail(`${where}: missing "${key}"`);
  return obj[key];
}

function str(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(`${where}: expected a non-empty string`);
  return value;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) fail(`${where}: expected an object`);
  return value;
}

function modal(value: unknown, where: string): Modal {
  if (value !== "shall" && value !== "should") fail(`${where}: modal must be shall or should`);
  return value;
}

function readText(file: string): { text: string; sha256: string } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    fail(`cannot read ${file} (set CAIRN_SHARED to the shared directory): ${(e as Error).message}`);
  }
  return { text: buf.toString("utf8"), sha256: createHash("sha256").update(buf).digest("hex") };
}

/** Numeric comparison of dotted clause numbers ("5.10" after "5.9", "6" after "5.13"). */
function compareDotted(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** "5.3-10" -> ["5.3", 10]; "6-2" -> ["6", 2]. */
function splitProvisionId(id: string): [string, number] {
  const m = /^(\d+(?:\.\d+)?)-(\d+)$/.exec(id);
  if (!m?.[1] || !m[2]) fail(`not a provision id: ${id}`);
  return [m[1], Number(m[2])];
}

function compareProvisionIds(a: string, b: string): number {
  const [ca, na] = splitProvisionId(a);
  const [cb, nb] = splitProvisionId(b);
  return compareDotted(ca, cb) || na - nb;
}

// ---------------------------------------------------------------- own-words titles

interface ProvisionWords {
  title: string;
  condition?: string;
  note?: string;
}

interface Titles {
  addedClauses: string[];
  addedProvisions: Map<string, { clause: string; modal: Modal }>;
  clauses: Map<string, string>;
  provisions: Map<string, ProvisionWords>;
  testSets: Map<string, string>;
  testGroups: Map<string, string>;
  testCases: Map<string, string>;
}

const MAX_TITLE = 90;

/** Guards against pasted source prose: titles are short and carry no modal verbs or sentences. */
function ownWords(value: unknown, where: string): string {
  const s = str(value, where);
  if (s !== s.trim()) fail(`${where}: leading or trailing space`);
  if (s.length > MAX_TITLE) fail(`${where}: ${s.length} characters, keep own-words titles short`);
  if (/\b(shall|should)\b/i.test(s)) fail(`${where}: a title must not carry a modal verb (own words only)`);
  if (/\.\s/.test(s) || s.endsWith(".")) fail(`${where}: a title is a phrase, not sentences`);
  return s;
}

function stringMap(value: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(record(value, where))) {
    if (k.startsWith("$")) continue;
    out.set(k, ownWords(v, `${where}.${k}`));
  }
  return out;
}

function readTitles(file: string): Titles {
  const raw = record(JSON.parse(readText(file).text), TITLES_FILE);
  const en = record(field(raw, "en", TITLES_FILE), "en");
  const ts = record(field(raw, "ts", TITLES_FILE), "ts");
  const additions = record(field(en, "additions", "en"), "en.additions");
  const addedClausesRaw = field(additions, "clauses", "en.additions");
  if (!Array.isArray(addedClausesRaw)) fail("en.additions.clauses: expected an array");
  const addedClauses = addedClausesRaw.map((c, i) => str(c, `en.additions.clauses[${i}]`));
  const addedProvisions = new Map<string, { clause: string; modal: Modal }>();
  for (const [id, v] of Object.entries(
    record(field(additions, "provisions", "en.additions"), "provisions"),
  )) {
    const where = `en.additions.provisions.${id}`;
    const o = record(v, where);
    addedProvisions.set(id, {
      clause: str(field(o, "clause", where), `${where}.clause`),
      modal: modal(field(o, "modal", where), `${where}.modal`),
    });
  }
  const provisions = new Map<string, ProvisionWords>();
  for (const [id, v] of Object.entries(record(field(en, "provisions", "en"), "en.provisions"))) {
    if (id.startsWith("$")) continue;
    const where = `en.provisions.${id}`;
    const o = record(v, where);
    const words: ProvisionWords = { title: ownWords(field(o, "title", where), `${where}.title`) };
    if (o.condition !== undefined) words.condition = ownWords(o.condition, `${where}.condition`);
    if (o.note !== undefined) words.note = str(o.note, `${where}.note`);
    const extra = Object.keys(o).filter((k) => !["title", "condition", "note"].includes(k));
    if (extra.length > 0) fail(`${where}: unknown keys ${extra.join(", ")}`);
    provisions.set(id, words);
  }
  return {
    addedClauses,
    addedProvisions,
    clauses: stringMap(field(en, "clauses", "en"), "en.clauses"),
    provisions,
    testSets: stringMap(field(ts, "testSets", "ts"), "ts.testSets"),
    testGroups: stringMap(field(ts, "testGroups", "ts"), "ts.testGroups"),
    testCases: stringMap(field(ts, "testCases", "ts"), "ts.testCases"),
  };
}

/** Longest run of consecutive words an own-words string may share with the source texts. */
const MAX_SHARED_WORDS = 4;

function words(s: string): string[] {
  return s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function wordRuns(ws: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(" "));
  return out;
}

/** Fails when a title or condition repeats MAX_SHARED_WORDS + 1 consecutive words of the ETSI texts. */
function assertNotCopied(titles: Titles, sourceTexts: string[]): void {
  const n = MAX_SHARED_WORDS + 1;
  const source = new Set(sourceTexts.flatMap((t) => wordRuns(words(t), n)));
  const own: [string, string][] = [];
  for (const [k, v] of titles.clauses) own.push([`en.clauses.${k}`, v]);
  for (const [k, v] of titles.provisions) {
    own.push([`en.provisions.${k}.title`, v.title]);
    if (v.condition) own.push([`en.provisions.${k}.condition`, v.condition]);
  }
  for (const [k, v] of titles.testSets) own.push([`ts.testSets.${k}`, v]);
  for (const [k, v] of titles.testGroups) own.push([`ts.testGroups.${k}`, v]);
  for (const [k, v] of titles.testCases) own.push([`ts.testCases.${k}`, v]);
  for (const [where, text] of own) {
    const copied = wordRuns(words(text), n).find((run) => source.has(run));
    if (copied) fail(`${where}: "${copied}" is source wording, rephrase in own words`);
  }
}

/** Every key of a titles map must be used, so stale or misspelt entries fail the build. */
function assertAllUsed(map: Map<string, unknown>, used: Set<string>, where: string): void {
  const unused = [...map.keys()].filter((k) => !used.has(k));
  if (unused.length > 0) fail(`${where}: titles for unknown ids: ${unused.join(", ")}`);
}

// ---------------------------------------------------------------- EN 303 645 transcription

interface EnProvision {
  id: string;
  clause: string;
  modal: Modal;
  /** Condition words at the start of the transcribed provision ("Where ...", "If ..."); text not kept. */
  opensWithCondition: boolean;
  inTranscription: boolean;
}

interface EnSource {
  origin: string;
  clauses: string[];
  provisions: EnProvision[];
}

const CONDITION_OPENING = /^(where|if|when|for constrained devices)\b/i;

function readEn(text: string): EnSource {
  const raw = record(JSON.parse(text), EN_FILE);
  const origin = str(field(raw, "source", EN_FILE), `${EN_FILE}.source`);
  const clauses = Object.keys(record(field(raw, "clauses", EN_FILE), `${EN_FILE}.clauses`));
  const list = field(raw, "provisions", EN_FILE);
  if (!Array.isArray(list)) fail(`${EN_FILE}.provisions: expected an array`);
  const provisions = list.map((p: unknown, i): EnProvision => {
    const where = `${EN_FILE}.provisions[${i}]`;
    const o = record(p, where);
    const id = str(field(o, "id", where), `${where}.id`);
    const clause = str(field(o, "clause", where), `${where}.clause`);
    const m = modal(field(o, "modal", where), `${where}.modal`);
    const body = str(field(o, "text", where), `${where}.text`);
    // Consistency checks only: the transcribed wording is read, never written out.
    if (splitProvisionId(id)[0] !== clause) fail(`${where}: id ${id} is not in clause ${clause}`);
    if (!clauses.includes(clause)) fail(`${where}: clause ${clause} not in the clause list`);
    if (!new RegExp(`\\b${m}\\b`).test(body)) fail(`${where}: modal "${m}" does not occur in the wording`);
    return {
      id,
      clause,
      modal: m,
      opensWithCondition: CONDITION_OPENING.test(body.trim()),
      inTranscription: true,
    };
  });
  return { origin, clauses, provisions };
}

// ---------------------------------------------------------------- Table B.1 statuses

type B1Status = "M" | "R" | "M C" | "R C";

interface B1Entry {
  status: B1Status;
  conditions: number[];
  /** How the reproduction printed the status, when it had to be read (see caveats). */
  printed?: string;
}

interface B1Source {
  origin: string;
  entries: Map<string, B1Entry>;
}

function readB1(text: string): B1Source {
  const raw = record(JSON.parse(text), B1_FILE);
  const origin = str(field(raw, "source", B1_FILE), `${B1_FILE}.source`);
  const list = field(raw, "provisions", B1_FILE);
  if (!Array.isArray(list)) fail(`${B1_FILE}.provisions: expected an array`);
  const entries = new Map<string, B1Entry>();
  list.forEach((p: unknown, i) => {
    const where = `${B1_FILE}.provisions[${i}]`;
    const o = record(p, where);
    const id = str(field(o, "id", where), `${where}.id`);
    const printed = str(field(o, "status", where), `${where}.status`);
    if (!["M", "R", "M C", "R C"].includes(printed)) fail(`${where}: unknown status "${printed}"`);
    const numbers = field(o, "conditions", where);
    if (!Array.isArray(numbers) || !numbers.every((n) => Number.isInteger(n) && n > 0))
      fail(`${where}.conditions: expected condition numbers`);
    if (entries.has(id)) fail(`${where}: duplicate ${id}`);
    // A status printed without C but with condition numbers is the reproduction's typo the file's
    // caveats name (5.3-10 "M (11, 12)"): condition numbers only exist for conditional provisions.
    const conditional = printed.endsWith("C") || numbers.length > 0;
    if (printed.endsWith("C") && numbers.length === 0) fail(`${where}: ${printed} without condition numbers`);
    const status = `${printed[0]}${conditional ? " C" : ""}` as B1Status;
    entries.set(id, {
      status,
      conditions: numbers as number[],
      ...(status !== printed ? { printed } : {}),
    });
  });
  return { origin, entries };
}

// ---------------------------------------------------------------- TS 103 701 text

type TestKind = "conceptual" | "functional" | "conceptual/functional";

interface TsCase {
  id: string;
  testKind: TestKind;
  clause?: string;
  ixit: Set<string>;
}

interface TsGroup {
  id: string;
  clause?: string;
  /** Provision named by the group objective ("addresses the provision ..."). */
  addresses?: string;
  printed: boolean;
  ixit: Set<string>;
  cases: TsCase[];
}

interface TsSet {
  code: string; // "TSO 5.1"
  enClause: string; // "5.1"
  clause?: string; // TS clause number, "5.1"
  printed: boolean;
  groups: TsGroup[];
}

const RE_NUMBER = /^\d+(?:\.\d+){1,3}$/;
const RE_TSO = /^TSO (\d+(?:\.\d+)?):/;
const RE_GROUP = /^Test group (\d+(?:\.\d+)?-\d+)$/i;
const RE_CASE = /^Test case (\d+(?:\.\d+)?-\d+-\d+) \(([^)]+)\)$/;
const RE_ADDRESSES = /^The test group addresses the provision (\d+(?:\.\d+)?-\d+)\.?$/;
const RE_IXIT = /IXIT\s+(\d+)\s*-\s*([A-Za-z]+)/g;

function groupOfCase(caseId: string): string {
  return caseId.replace(/-\d+$/, "");
}

function testKind(value: string, where: string): TestKind {
  if (value === "conceptual" || value === "functional" || value === "conceptual/functional") return value;
  return fail(`${where}: unknown test case kind "${value}"`);
}

function parseTs(text: string): TsSet[] {
  const sets: TsSet[] = [];
  const numbers: (string | undefined)[] = [];
  let set: TsSet | undefined;
  let group: TsGroup | undefined;
  let testCase: TsCase | undefined;
  const seenGroups = new Set<string>();
  const seenCases = new Set<string>();

  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    const where = `${TS_FILE}:${index + 1}`;

    if (RE_NUMBER.test(line)) {
      const depth = line.split(".").length;
      const parentNumber = line.split(".").slice(0, -1).join(".");
      if (depth > 2 && numbers[depth - 1] !== parentNumber) {
        fail(`${where}: clause ${line} does not follow clause ${parentNumber}`);
      }
      numbers[depth] = line;
      numbers.length = depth + 1;
      continue;
    }

    const tso = RE_TSO.exec(line);
    if (tso?.[1]) {
      const clause = numbers[2];
      if (!clause) fail(`${where}: TSO ${tso[1]} outside a numbered clause`);
      set = { code: `TSO ${tso[1]}`, enClause: tso[1], clause, printed: true, groups: [] };
      sets.push(set);
      group = undefined;
      testCase = undefined;
      continue;
    }

    const g = RE_GROUP.exec(line);
    if (g?.[1]) {
      const id = g[1];
      if (!set) fail(`${where}: Test group ${id} outside a test set`);
      if (seenGroups.has(id)) fail(`${where}: duplicate Test group ${id}`);
      if (splitProvisionId(id)[0] !== set.enClause) fail(`${where}: Test group ${id} under ${set.code}`);
      const clause = numbers[3];
      if (!clause?.startsWith(`${set.clause}.`)) fail(`${where}: Test group ${id} has no clause`);
      seenGroups.add(id);
      group = { id, clause, printed: true, ixit: new Set(), cases: [] };
      set.groups.push(group);
      testCase = undefined;
      continue;
    }

    const addr = RE_ADDRESSES.exec(line);
    if (addr?.[1]) {
      if (!group || testCase) fail(`${where}: group objective outside a test group`);
      if (addr[1] !== group.id) fail(`${where}: Test group ${group.id} addresses provision ${addr[1]}`);
      group.addresses = addr[1];
      continue;
    }

    const c = RE_CASE.exec(line);
    if (c?.[1] && c[2]) {
      const id = c[1];
      const kind = testKind(c[2], where);
      if (seenCases.has(id)) fail(`${where}: duplicate Test case ${id}`);
      seenCases.add(id);
      const groupId = groupOfCase(id);
      if (!group || group.id !== groupId) {
        // The shared copy starts inside the document: a test case before any test set and group
        // heading (4-1-1) gets its group and test set reconstructed from its own number.
        if (sets.length > 0 || seenGroups.has(groupId)) fail(`${where}: Test case ${id} outside its group`);
        const enClause = splitProvisionId(groupId)[0];
        group = { id: groupId, printed: false, ixit: new Set(), cases: [] };
        set = { code: `TSO ${enClause}`, enClause, printed: false, groups: [group] };
        sets.push(set);
        seenGroups.add(groupId);
      }
      let clause: string | undefined;
      if (group.printed) {
        clause = numbers[4];
        const caseNumber = id.split("-").pop();
        if (!clause || clause !== `${group.clause}.${caseNumber}`) {
          fail(`${where}: Test case ${id} numbered ${clause ?? "(none)"} in group clause ${group.clause}`);
        }
      }
      testCase = { id, testKind: kind, ixit: new Set() };
      if (clause) testCase.clause = clause;
      group.cases.push(testCase);
      continue;
    }

    for (const m of line.matchAll(RE_IXIT)) {
      const ref = `IXIT ${m[1]}-${m[2]}`;
      if (testCase) testCase.ixit.add(ref);
      if (group) group.ixit.add(ref);
    }
  }

  for (const s of sets) {
    for (const gr of s.groups) {
      if (gr.printed && gr.addresses !== gr.id) fail(`${TS_FILE}: Test group ${gr.id} names no provision`);
      if (gr.cases.length === 0) fail(`${TS_FILE}: Test group ${gr.id} has no test case`);
    }
  }
  return sets;
}

function sortIxit(refs: Set<string>): string[] {
  const num = (r: string): number => Number(/^IXIT (\d+)-/.exec(r)?.[1] ?? 0);
  return [...refs].sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

// ---------------------------------------------------------------- build

function status(m: Modal, conditional: boolean): string {
  return `${m === "shall" ? "M" : "R"}${conditional ? " C" : ""}`;
}

function shortHash(sha: string): string {
  return sha.slice(0, 16);
}

interface Built {
  en: CatalogFile;
  ts: CatalogFile;
}

function build(shared: string, titlesFile: string): Built {
  const enRaw = readText(path.join(shared, EN_FILE));
  const tsRaw = readText(path.join(shared, TS_FILE));
  const b1Raw = readText(path.join(repoRoot, B1_FILE));
  const titles = readTitles(titlesFile);
  const en = readEn(enRaw.text);
  const b1 = readB1(b1Raw.text);
  const sets = parseTs(tsRaw.text);
  assertNotCopied(titles, [tsRaw.text, enRaw.text]);

  // --- EN provisions: transcription plus the documented additions (4-1).
  const provisions = new Map<string, EnProvision>();
  for (const p of en.provisions) {
    if (provisions.has(p.id)) fail(`${EN_FILE}: duplicate provision ${p.id}`);
    provisions.set(p.id, p);
  }
  for (const [id, add] of titles.addedProvisions) {
    if (provisions.has(id)) fail(`en.additions: ${id} is already in the transcription, drop the addition`);
    if (splitProvisionId(id)[0] !== add.clause) fail(`en.additions: ${id} is not in clause ${add.clause}`);
    provisions.set(id, { id, ...add, opensWithCondition: false, inTranscription: false });
  }
  const clauseIds = [...new Set([...en.clauses, ...titles.addedClauses])].sort(compareDotted);
  for (const p of provisions.values()) {
    if (!clauseIds.includes(p.clause)) fail(`provision ${p.id}: clause ${p.clause} unknown`);
  }
  if (provisions.size !== EXPECTED_PROVISIONS) {
    fail(`expected ${EXPECTED_PROVISIONS} provisions, found ${provisions.size}`);
  }

  // --- TS test groups: exactly one per EN provision.
  const groupsById = new Map<string, TsGroup>();
  for (const s of sets) for (const g of s.groups) groupsById.set(g.id, g);
  for (const id of provisions.keys()) if (!groupsById.has(id)) fail(`provision ${id} has no TS test group`);
  for (const id of groupsById.keys())
    if (!provisions.has(id)) fail(`TS test group ${id} has no EN provision`);
  const printedSets = new Set(sets.filter((s) => s.printed).map((s) => s.enClause));

  // --- EN catalog items.
  const enItems: Item[] = [];
  const usedClauses = new Set<string>();
  const usedProvisions = new Set<string>();
  const usedB1 = new Set<string>();
  const sortedProvisions = [...provisions.values()].sort((a, b) => compareProvisionIds(a.id, b.id));
  for (const clause of clauseIds) {
    const title = titles.clauses.get(clause) ?? fail(`no own-words title for EN clause ${clause}`);
    usedClauses.add(clause);
    const inBoth = en.clauses.includes(clause) && printedSets.has(clause);
    enItems.push({
      ref: clause,
      label: clause,
      kind: "clause",
      title,
      verification: inBoth ? "checked" : "to-verify",
      ...(inBoth
        ? {}
        : {
            notes:
              "Clause number taken from the TS 103 701 test case numbering; the shared EN transcription does not list this clause.",
          }),
    });
    for (const p of sortedProvisions.filter((x) => x.clause === clause)) {
      const words = titles.provisions.get(p.id) ?? fail(`no own-words title for EN provision ${p.id}`);
      usedProvisions.add(p.id);
      // Conditional status comes from Table B.1 (the reproduction), never from our reading.
      const b = b1.entries.get(p.id);
      usedB1.add(p.id);
      if (!b && p.inTranscription) fail(`provision ${p.id} is not in ${B1_FILE}`);
      const conditional = b ? b.status.endsWith("C") : false;
      if (b && b.status[0] !== (p.modal === "shall" ? "M" : "R"))
        fail(`provision ${p.id}: modal ${p.modal} but Table B.1 status ${b.status}`);
      if (conditional && !words.condition)
        fail(`provision ${p.id} is conditional in Table B.1: add an own-words "condition"`);
      if (!conditional && words.condition)
        fail(`provision ${p.id} is unconditional in Table B.1: drop its "condition"`);
      const props: Record<string, PropValue> = { modal: p.modal, conditional };
      if (words.condition) props.condition = words.condition;
      props.status = status(p.modal, conditional);
      if (b && b.conditions.length > 0) props.tableB1Conditions = b.conditions.map(String);
      const notes: string[] = [];
      if (!p.inTranscription) {
        notes.push(
          "Absent from the shared EN transcription and from the Table B.1 reproduction; id from TS 103 701 (test group and test case 4-1-1), modal from the published standard. Compare with the publication.",
        );
      }
      if (p.opensWithCondition && !conditional) {
        notes.push(
          "The wording opens with a circumstance, but Table B.1 lists the provision as unconditional: 'not applicable' cannot be declared for it; where the circumstance never arises, it is met trivially or declared not implemented with a justification.",
        );
      }
      if (b?.printed) {
        notes.push(
          `The Table B.1 reproduction prints the status "${b.printed}" with condition numbers ${b.conditions.join(", ")}; read as ${b.status} (condition numbers exist only for conditional provisions).`,
        );
      }
      if (words.note) notes.push(words.note);
      const checked = p.inTranscription && groupsById.get(p.id)?.addresses === p.id;
      enItems.push({
        ref: p.id,
        label: p.id,
        kind: "provision",
        title: words.title,
        parent: clause,
        props,
        verification: checked ? "checked" : "to-verify",
        ...(notes.length > 0 ? { notes: notes.join(" ") } : {}),
      });
    }
  }
  assertAllUsed(titles.clauses, usedClauses, "en.clauses");
  assertAllUsed(titles.provisions, usedProvisions, "en.provisions");
  assertAllUsed(b1.entries, usedB1, B1_FILE);

  // --- TS catalog items.
  const tsItems: Item[] = [];
  const usedSets = new Set<string>();
  const usedGroups = new Set<string>();
  const usedCases = new Set<string>();
  for (const s of sets) {
    const setRef = s.code.replace(" ", "-");
    const title = titles.testSets.get(s.code) ?? fail(`no own-words title for ${s.code}`);
    usedSets.add(s.code);
    const setProps: Record<string, PropValue> = {};
    if (s.clause) setProps.clause = s.clause;
    setProps.enClause = `${EN_ID}:${s.enClause}`;
    tsItems.push({
      ref: setRef,
      label: s.code,
      kind: "test-objective",
      title,
      props: setProps,
      ...(s.printed
        ? {}
        : {
            notes:
              "The shared TS copy starts at test case 4-1-1: this test set's heading and TS clause number are not in it. Code inferred from the TSO naming (TSO <EN clause>); compare with the publication.",
          }),
    });
    for (const g of s.groups) {
      const gTitle = titles.testGroups.get(g.id) ?? fail(`no own-words title for Test group ${g.id}`);
      usedGroups.add(g.id);
      const gProps: Record<string, PropValue> = { provision: `${EN_ID}:${g.id}` };
      if (g.clause) gProps.clause = g.clause;
      if (g.ixit.size > 0) gProps.ixit = sortIxit(g.ixit);
      tsItems.push({
        ref: g.id,
        label: `Test group ${g.id}`,
        kind: "test-group",
        title: gTitle,
        parent: setRef,
        props: gProps,
        ...(g.printed
          ? {}
          : {
              notes:
                "Heading and objective of this test group are missing from the shared TS copy; reconstructed from test case 4-1-1. Compare with the publication.",
            }),
      });
      for (const c of g.cases) {
        const cTitle = titles.testCases.get(c.id) ?? fail(`no own-words title for Test case ${c.id}`);
        usedCases.add(c.id);
        const cProps: Record<string, PropValue> = { testKind: c.testKind };
        if (c.clause) cProps.clause = c.clause;
        if (c.ixit.size > 0) cProps.ixit = sortIxit(c.ixit);
        tsItems.push({
          ref: c.id,
          label: `Test case ${c.id}`,
          kind: "test-case",
          title: cTitle,
          parent: g.id,
          props: cProps,
        });
      }
    }
  }
  assertAllUsed(titles.testSets, usedSets, "ts.testSets");
  assertAllUsed(titles.testGroups, usedGroups, "ts.testGroups");
  assertAllUsed(titles.testCases, usedCases, "ts.testCases");

  const shall = sortedProvisions.filter((p) => p.modal === "shall").length;
  const conditional = enItems.filter((i) => i.props?.conditional === true).length;
  const caseCount = usedCases.size;

  const enCatalog: CatalogFile = {
    format: "cairn-catalog/1",
    catalog: {
      id: EN_ID,
      title: "Cyber Security for Consumer Internet of Things: Baseline Requirements",
      shortTitle: "ETSI EN 303 645",
      publisher: "ETSI",
      version: "2.1.1",
      published: "2020-06",
      status: "final",
      source: {
        reference: "ETSI EN 303 645 V2.1.1 (2020-06)",
        url: "https://www.etsi.org/deliver/etsi_en/303600_303699/303645/02.01.01_60/en_303645v020101p.pdf",
        basis: `Ids, clauses and modal verbs from shared/${EN_FILE} (sha256 ${shortHash(enRaw.sha256)}…; itself transcribed from ${en.origin}), cross-checked against the test groups of shared/${TS_FILE} (sha256 ${shortHash(tsRaw.sha256)}…); statuses and condition numbers from ${B1_FILE} (sha256 ${shortHash(b1Raw.sha256)}…; ${b1.origin}); own-words titles and conditions from ${TITLES_FILE}; generated by scripts/catalogs/etsi.ts.`,
      },
      terms: "ids-only",
      license: LICENSE,
      verification: "to-verify",
      completeness: { status: "complete" },
      kinds: ["clause", "provision"],
      notes: [
        `${provisions.size} provisions: ${shall} shall, ${provisions.size - shall} should; ${conditional} conditional.`,
        "Titles and conditions are short paraphrases written for Cairn; no ETSI wording is reproduced.",
        "props.status is the status of ETSI EN 303 645 Table B.1 (M = mandatory, R = recommended, M C / R C = mandatory / recommended under a condition), taken from a public reproduction of Table B.1; props.tableB1Conditions gives Table B.1's condition numbers (numbers only; the conditions' wording is ETSI's and is not reproduced; props.condition is our own summary).",
        "EN 303 645 allows 'not applicable' only for conditional provisions (M C, R C); an unconditional recommendation (R) may be declared not implemented with a justification (clause 4, provision 4-1).",
        "verification checked = id and modal present in the shared transcription and the provision named by its TS 103 701 test group; to-verify otherwise (4-1, clause 4). The statuses come from a third-party reproduction of Table B.1, not ETSI's own table: compare them with the publication before a release.",
      ],
    },
    items: enItems,
  };

  const tsCatalog: CatalogFile = {
    format: "cairn-catalog/1",
    catalog: {
      id: TS_ID,
      title:
        "Cyber Security for Consumer Internet of Things: Conformance Assessment of Baseline Requirements",
      shortTitle: "ETSI TS 103 701",
      publisher: "ETSI",
      version: "1.1.1",
      published: "2021-08",
      status: "final",
      source: {
        reference: "ETSI TS 103 701 V1.1.1 (2021-08)",
        url: "https://www.etsi.org/deliver/etsi_ts/103700_103799/103701/01.01.01_60/ts_103701v010101p.pdf",
        basis: `Test sets (TSO), test groups, test cases, their TS clause numbers, conceptual/functional kinds and IXIT references parsed from shared/${TS_FILE} (sha256 ${shortHash(tsRaw.sha256)}…); own-words titles from ${TITLES_FILE}; generated by scripts/catalogs/etsi.ts.`,
      },
      terms: "ids-only",
      license: LICENSE,
      verification: "to-verify",
      completeness: {
        status: "complete",
        gaps: [
          {
            kind: "missing",
            description:
              "The annexes the tests cite (ICS pro forma, IXIT proformas, annex D) are not in the copy used and are not items; the heading and objective of TSO 4 and test group 4-1 are reconstructed.",
          },
        ],
      },
      kinds: ["test-objective", "test-group", "test-case"],
      notes: [
        `${sets.length} test sets (TSO), ${groupsById.size} test groups (one per EN 303 645 provision, props.provision), ${caseCount} test cases.`,
        'Top-level items are the test sets as the TS heads them ("TSO 5.1", ..., "TSO 6"); props.clause is the TS\'s own clause number (TSO 6 is TS clause 5.14), props.enClause the EN 303 645 clause it covers.',
        "props.testKind is conceptual, functional or conceptual/functional as the TS labels the test case; props.ixit lists the IXIT sections the test text refers to (the IXIT annex itself is not in the shared copy).",
        "Only one copy of the TS was available: every item stays to-verify until compared with the publication.",
      ],
    },
    items: tsItems,
  };

  return { en: enCatalog, ts: tsCatalog };
}

function main(): void {
  const built = build(sharedDir, path.join(repoRoot, TITLES_FILE));
  for (const [name, data] of [
    [`${EN_ID}.json`, built.en],
    [`${TS_ID}.json`, built.ts],
  ] as const) {
    const out = path.join(repoRoot, "catalogs", name);
    writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
    const counts = new Map<string, number>();
    for (const item of data.items) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
    console.log(`wrote ${path.relative(repoRoot, out)}: ${JSON.stringify(Object.fromEntries(counts))}`);
  }
}

try {
  main();
} catch (e) {
  if (e instanceof BuildError) {
    console.error(`etsi catalogs: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
