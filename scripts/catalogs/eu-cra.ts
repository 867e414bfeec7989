// Build catalogs/eu-cra.json (Regulation (EU) 2024/2847, Cyber Resilience Act, Annexes I and II) from reference/.
// Usage: npx tsx scripts/catalogs/eu-cra.ts            rewrite catalogs/eu-cra.json
//        npx tsx scripts/catalogs/eu-cra.ts --check    fail if catalogs/eu-cra.json is out of date
//
// Input: reference/eu/cra-annex-i-ii.json (points with their legal labels, assessable flags and text).
// That file departs from the Official Journal wording in a few places (it carries pre-final wording,
// e.g. "Article 10(2)" for the final "Article 13(2)"); the CORRECTIONS below restore the OJ wording,
// each as an exact substring replacement that must match once. The OJ wording was compared with an
// independent copy of the OJ text (see docs/catalogs/eu-cra.md). Deterministic output.
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const OUTPUT = "catalogs/eu-cra.json";
const SOURCE = "reference/eu/cra-annex-i-ii.json";

interface SourcePoint {
  ref: string;
  label: string;
  assessable: boolean;
  text: string;
}
type PropValue = string | number | boolean | string[];
interface Item {
  ref: string;
  label: string;
  kind: "annex" | "part" | "point";
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: "checked" | "to-verify";
  notes?: string;
}

function fail(message: string): never {
  throw new Error(`eu-cra: ${message}`);
}

// Structure above the points. Titles as the OJ prints them (there in capitals for the annexes).
// Chapeaux (introductory wording) are OJ text that the source JSON does not carry.
const ANNEX_I: Item = {
  ref: "annex-i",
  label: "Annex I",
  kind: "annex",
  title: "Essential cybersecurity requirements",
};
const PART_I: Item = {
  ref: "annex-i.part-i",
  label: "Part I",
  kind: "part",
  title: "Cybersecurity requirements relating to the properties of products with digital elements",
  parent: "annex-i",
};
const PART_II: Item = {
  ref: "annex-i.part-ii",
  label: "Part II",
  kind: "part",
  title: "Vulnerability handling requirements",
  text: "Manufacturers of products with digital elements shall:",
  parent: "annex-i",
};
const ANNEX_II: Item = {
  ref: "annex-ii",
  label: "Annex II",
  kind: "annex",
  title: "Information and instructions to the user",
  text: "At minimum, the product with digital elements shall be accompanied by:",
};

// Short descriptive titles (own words; the Regulation gives points no titles), keyed by source ref.
const TITLES: Record<string, string> = {
  "1.1.1": "Appropriate level of cybersecurity based on the risks",
  "1.1.2": "Requirements applicable on the basis of the cybersecurity risk assessment",
  "1.1.2.a": "No known exploitable vulnerabilities",
  "1.1.2.b": "Secure by default configuration and reset to original state",
  "1.1.2.c": "Vulnerabilities addressable through security updates",
  "1.1.2.d": "Protection from unauthorised access",
  "1.1.2.e": "Confidentiality of data",
  "1.1.2.f": "Integrity of data, commands, programs and configuration",
  "1.1.2.g": "Data minimisation",
  "1.1.2.h": "Availability of essential and basic functions",
  "1.1.2.i": "Minimised impact on other devices or networks",
  "1.1.2.j": "Limited attack surfaces",
  "1.1.2.k": "Reduced impact of incidents through exploitation mitigation",
  "1.1.2.l": "Recording and monitoring of relevant internal activity",
  "1.1.2.m": "Secure and easy removal of data and settings",
  "1.2.1": "Identification and documentation of vulnerabilities and components (SBOM)",
  "1.2.2": "Remediation of vulnerabilities without delay",
  "1.2.3": "Regular security tests and reviews",
  "1.2.4": "Public disclosure of fixed vulnerabilities",
  "1.2.5": "Coordinated vulnerability disclosure policy",
  "1.2.6": "Sharing of information about potential vulnerabilities",
  "1.2.7": "Secure distribution of updates",
  "1.2.8": "Security updates without delay and free of charge",
  "2.1": "Manufacturer identity and contact details",
  "2.2": "Single point of contact for vulnerability reporting",
  "2.3": "Unique identification of the product",
  "2.4": "Intended purpose, security environment and essential functionalities",
  "2.5": "Circumstances that may lead to significant cybersecurity risks",
  "2.6": "Address of the EU declaration of conformity",
  "2.7": "Technical security support and end-date of the support period",
  "2.8": "Detailed instructions and information",
  "2.8.a": "Secure commissioning and use over the product lifetime",
  "2.8.b": "Effect of changes on the security of data",
  "2.8.c": "Installation of security-relevant updates",
  "2.8.d": "Secure decommissioning and removal of user data",
  "2.8.e": "Turning off automatic security updates",
  "2.8.f": "Information for integrators",
  "2.9": "Where to access the software bill of materials",
};

// Where the source JSON differs from the Official Journal (OJ L, 2024/2847, 20.11.2024).
interface Correction {
  from: string;
  to: string;
  why: string;
}
const CORRECTIONS: Record<string, Correction[]> = {
  "1.1.1": [
    { from: "based on the risks;", to: "based on the risks.", why: "the OJ ends point (1) with a full stop" },
  ],
  "1.1.2": [
    {
      from: "referred to in Article 10(2)",
      to: "referred to in Article 13(2)",
      why: "the risk assessment is in Article 13(2) of the adopted Regulation (Article 10(2) is the proposal's numbering)",
    },
  ],
  "1.1.2.g": [{ from: "(minimisation of data)", to: "(data minimisation)", why: "OJ wording" }],
  "1.2.6": [
    { from: "in third party components", to: "in third-party components", why: "OJ wording (hyphenated)" },
  ],
  "1.2.8": [{ from: "tailor- made", to: "tailor-made", why: "stray space from a line break in the source" }],
  "2.3": [
    {
      from: "digital elements ;",
      to: "digital elements;",
      why: "stray space before the semicolon in the source",
    },
  ],
  "2.8.e": [
    {
      from: "as required by Annex I, Part I, point (c),",
      to: "as required by Part I, point (2)(c), of Annex I,",
      why: "OJ wording of the cross-reference",
    },
  ],
  "2.8.f": [
    {
      from: "comply with the essential requirements set out in Annex I",
      to: "comply with the essential cybersecurity requirements set out in Annex I",
      why: "OJ wording",
    },
  ],
};

/** Source ref -> catalog ref, parent ref and the legal label it must carry. */
function place(sourceRef: string): { ref: string; parent: string; label: string } {
  let m = /^1\.([12])\.(\d+)(?:\.([a-z]))?$/.exec(sourceRef);
  if (m?.[1] && m[2]) {
    const part = m[1] === "1" ? "part-i" : "part-ii";
    const partLabel = m[1] === "1" ? "Part I" : "Part II";
    const base = `annex-i.${part}.${m[2]}`;
    return {
      ref: m[3] ? `${base}.${m[3]}` : base,
      parent: m[3] ? base : `annex-i.${part}`,
      label: `Annex I, ${partLabel}, point (${m[2]})${m[3] ? `(${m[3]})` : ""}`,
    };
  }
  m = /^2\.(\d+)(?:\.([a-z]))?$/.exec(sourceRef);
  if (m?.[1]) {
    const base = `annex-ii.${m[1]}`;
    return {
      ref: m[2] ? `${base}.${m[2]}` : base,
      parent: m[2] ? base : "annex-ii",
      label: `Annex II, point (${m[1]})${m[2] ? `(${m[2]})` : ""}`,
    };
  }
  fail(`unexpected source ref ${sourceRef}`);
}

const source = JSON.parse(readFileSync(new URL(SOURCE, root), "utf8")) as {
  source: string;
  points: SourcePoint[];
};
const points = source.points;
if (new Set(points.map((p) => p.ref)).size !== points.length) fail("duplicate source refs");

const items: Item[] = [ANNEX_I, PART_I];
const applied: string[] = [];
let partIIStarted = false;
let annexIIStarted = false;
for (const point of points) {
  const { ref, parent, label } = place(point.ref);
  if (point.label !== label) fail(`${point.ref}: label '${point.label}', expected '${label}'`);
  if (!partIIStarted && ref.startsWith("annex-i.part-ii")) {
    items.push(PART_II);
    partIIStarted = true;
  }
  if (!annexIIStarted && ref.startsWith("annex-ii")) {
    items.push(ANNEX_II);
    annexIIStarted = true;
  }
  let text = point.text;
  const notes: string[] = [];
  for (const c of CORRECTIONS[point.ref] ?? []) {
    if (text.split(c.from).length !== 2)
      fail(`${point.ref}: correction '${c.from}' does not match exactly once`);
    text = text.replace(c.from, c.to);
    notes.push(`text corrected to the OJ wording: '${c.from}' -> '${c.to}' (${c.why})`);
    applied.push(point.ref);
  }
  const item: Item = {
    ref,
    label: point.label,
    kind: "point",
    title: TITLES[point.ref] ?? fail(`${point.ref}: no title`),
    text,
    parent,
    props: { assessable: point.assessable, sourceRef: point.ref },
  };
  if (notes.length > 0) item.notes = notes.join("; ");
  items.push(item);
}
for (const key of Object.keys(CORRECTIONS))
  if (!applied.includes(key)) fail(`correction for ${key} not applied`);
for (const key of Object.keys(TITLES))
  if (!points.some((p) => p.ref === key)) fail(`title for unknown ${key}`);

// Order check: parents before children (the source is in reading order).
const known = new Set<string>();
for (const item of items) {
  if (item.parent !== undefined && !known.has(item.parent))
    fail(`${item.ref}: parent ${item.parent} not before it`);
  known.add(item.ref);
}

const pointsOf = (prefix: string) => items.filter((i) => i.kind === "point" && i.ref.startsWith(prefix));
const assessable = (prefix: string) => pointsOf(prefix).filter((i) => i.props?.assessable === true).length;
const catalog = {
  format: "cairn-catalog/1",
  catalog: {
    id: "eu-cra",
    title:
      "Regulation (EU) 2024/2847 on horizontal cybersecurity requirements for products with digital elements (Cyber Resilience Act)",
    shortTitle: "EU CRA",
    publisher: "European Parliament and Council of the European Union",
    version: "2024-2847",
    published: "2024-10-23",
    status: "final",
    description:
      "Annex I (essential cybersecurity requirements: Part I product properties, Part II vulnerability handling) and Annex II (information and instructions to the user) of the Cyber Resilience Act.",
    source: {
      reference:
        "Regulation (EU) 2024/2847 of the European Parliament and of the Council of 23 October 2024 (Cyber Resilience Act), OJ L, 2024/2847, 20.11.2024, ELI: http://data.europa.eu/eli/reg/2024/2847/oj",
      url: "https://eur-lex.europa.eu/eli/reg/2024/2847/oj",
      basis:
        "reference/eu/cra-annex-i-ii.json (points, legal labels, assessable flags, text), with 8 points corrected to the Official Journal wording and the chapeaux of Annex I Part II and Annex II added, compared with an independent copy of the OJ text; built by scripts/catalogs/eu-cra.ts (see docs/catalogs/eu-cra.md and reference/PROVENANCE.md).",
      retrieved: "2026-11-27",
    },
    terms: "full-text",
    license: "EU law; reproduced with acknowledgement of the source (EUR-Lex)",
    verification: "checked",
    kinds: ["annex", "part", "point"],
    notes: [
      "Source: EUR-Lex, https://eur-lex.europa.eu, (c) European Union. Only the Official Journal of the European Union is authentic.",
      "Version 2024-2847 is the Regulation as adopted on 23 October 2024 and published in the OJ on 20 November 2024 (in force 10 December 2024), without later amendment or corrigendum.",
      `Annex I Part I: ${pointsOf("annex-i.part-i.").length} points, ${assessable("annex-i.part-i.")} assessable (point (1) and (2)(a) to (m); point (2) is a chapeau). Part II: ${pointsOf("annex-i.part-ii.").length} points. Annex II: ${pointsOf("annex-ii.").length} points (9 numbered, 6 lettered under point (8)).`,
      "props.assessable is as given by the source file (it marks Annex II point (8), an introduction to (a) to (f), assessable); props.sourceRef is the source file's ref.",
      "Item titles are short descriptive titles derived from the text; the Regulation does not title points.",
    ],
  },
  items,
};

const output = `${JSON.stringify(catalog, null, 2)}\n`;
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(new URL(OUTPUT, root), "utf8");
  } catch {
    // missing file: reported as out of date below
  }
  if (current !== output) {
    console.error(`${OUTPUT} is out of date: run npx tsx scripts/catalogs/${OUTPUT.slice(9, -5)}.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(new URL(OUTPUT, root), output);
}
console.log(
  `${OUTPUT}: ${items.length} items; Part I ${pointsOf("annex-i.part-i.").length} points (${assessable("annex-i.part-i.")} assessable), ` +
    `Part II ${pointsOf("annex-i.part-ii.").length}, Annex II ${pointsOf("annex-ii.").length}; corrected ${applied.length}`,
);
