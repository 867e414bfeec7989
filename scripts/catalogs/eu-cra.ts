// Build catalogs/eu-cra.json (Regulation (EU) 2024/2847, Cyber Resilience Act, Annexes I and II) from reference/.
// Usage: npx tsx scripts/catalogs/eu-cra.ts            rewrite catalogs/eu-cra.json
//        npx tsx scripts/catalogs/eu-cra.ts --check    fail if catalogs/eu-cra.json is out of date
//
// Input: reference/eu/cra-annex-i-ii.json (points with their legal labels, assessable flags and text).
// That file departs from the Official Journal wording in a few places (it carries pre-final wording,
// e.g. "Article 10(2)" for the final "Article 13(2)"); the CORRECTIONS below restore the OJ wording,
// each as an exact substring replacement that must match once. The OJ wording was compared with an
// independent copy of the OJ text (see docs/catalogs/eu-cra.md). Deterministic output.
import { readFileSync } from "node:fs";
import { writeOrCheckCatalogs } from "./output.js";

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
  kind: "annex" | "part" | "point" | "article" | "paragraph";
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

// Dates of application: Annexes I and II apply from 11 December 2027 (Article 71(2)); Article 14
// (reporting) from 11 September 2026. Recorded on every assessable item so that readiness can say
// what applies on a given date.
const GENERAL_APPLICATION = "2027-12-11";
const REPORTING_APPLICATION = "2026-09-11";
for (const item of items) {
  if (item.props?.assessable === true) item.props.appliesFrom = GENERAL_APPLICATION;
}

// Articles the readiness timeline needs: the support period (13(8)), reporting (14), the
// transitional rules (69(2), 69(3)) and the dates of application (71(2)). Transcribed verbatim
// from the EUR-Lex rendering of the Official Journal (OJ L, 2024/2847, 20.11.2024) as committed in
// a public repository (see ARTICLES_SOURCE); one copy only, so they stay to-verify.
const ARTICLES_SOURCE =
  "EUR-Lex HTML of OJ L, 2024/2847 (file docs/cra_statutory_corpus/source/OJ_L_202402847_EN.html of github.com/Planet9V/OXOT_Website_Conformity_Application, commit d441b672f91462b7431d1fa88654551760334d63), elements art_13 (013.008), art_14 (014.001-014.005), art_69 (069.002-069.003), art_71 (071.002)";
const article = (n: number, title: string): Item => ({
  ref: `art-${n}`,
  label: `Article ${n}`,
  kind: "article",
  title,
  verification: "to-verify",
  notes: `Only the paragraphs the readiness timeline needs are catalogued. Source: ${ARTICLES_SOURCE}.`,
});
const para = (
  ref: string,
  label: string,
  title: string,
  text: string,
  parent: string,
  props: Record<string, PropValue>,
  kind: "paragraph" | "point" = "paragraph",
): Item => ({ ref, label, kind, title, text, parent, props, verification: "to-verify" });
const timed = (appliesFrom: string, extra: Record<string, PropValue> = {}) => ({
  assessable: true,
  appliesFrom,
  ...extra,
});
items.push(
  article(13, "Obligations of manufacturers"),
  para(
    "art-13.8",
    "Article 13(8)",
    "Support period: vulnerabilities handled for it; at least five years",
    [
      "Manufacturers shall ensure, when placing a product with digital elements on the market, and for the support period, that vulnerabilities of that product, including its components, are handled effectively and in accordance with the essential cybersecurity requirements set out in Part II of Annex I.",
      "Manufacturers shall determine the support period so that it reflects the length of time during which the product is expected to be in use, taking into account, in particular, reasonable user expectations, the nature of the product, including its intended purpose, as well as relevant Union law determining the lifetime of products with digital elements. When determining the support period, manufacturers may also take into account the support periods of products with digital elements offering a similar functionality placed on the market by other manufacturers, the availability of the operating environment, the support periods of integrated components that provide core functions and are sourced from third parties as well as relevant guidance provided by the dedicated administrative cooperation group (ADCO) established pursuant to Article 52(15) and the Commission. The matters to be taken into account in order to determine the support period shall be considered in a manner that ensures proportionality.",
      "Without prejudice to the second subparagraph, the support period shall be at least five years. Where the product with digital elements is expected to be in use for less than five years, the support period shall correspond to the expected use time.",
      "Taking into account ADCO recommendations as referred to in Article 52(16), the Commission may adopt delegated acts in accordance with Article 61 to supplement this Regulation by specifying the minimum support period for specific product categories where the market surveillance data suggests inadequate support periods.",
      "Manufacturers shall include the information that was taken into account to determine the support period of a product with digital elements in the technical documentation as set out in Annex VII.",
      "Manufacturers shall have appropriate policies and procedures, including coordinated vulnerability disclosure policies, referred to in Part II, point (5), of Annex I to process and remediate potential vulnerabilities in the product with digital elements reported from internal or external sources.",
    ].join("\n\n"),
    "art-13",
    timed(GENERAL_APPLICATION, { minSupportYears: 5 }),
  ),
  article(14, "Reporting obligations of manufacturers"),
  para(
    "art-14.1",
    "Article 14(1)",
    "Notify actively exploited vulnerabilities to the CSIRT and ENISA",
    "A manufacturer shall notify any actively exploited vulnerability contained in the product with digital elements that it becomes aware of simultaneously to the CSIRT designated as coordinator, in accordance with paragraph 7 of this Article, and to ENISA. The manufacturer shall notify that actively exploited vulnerability via the single reporting platform established pursuant to Article 16.",
    "art-14",
    timed(REPORTING_APPLICATION),
  ),
  para(
    "art-14.2",
    "Article 14(2)",
    "What a vulnerability notification consists of",
    "For the purposes of the notification referred to in paragraph 1, the manufacturer shall submit:",
    "art-14",
    { assessable: false },
  ),
  para(
    "art-14.2.a",
    "Article 14(2), point (a)",
    "Early warning of an actively exploited vulnerability within 24 hours",
    "an early warning notification of an actively exploited vulnerability, without undue delay and in any event within 24 hours of the manufacturer becoming aware of it, indicating, where applicable, the Member States on the territory of which the manufacturer is aware that their product with digital elements has been made available;",
    "art-14.2",
    timed(REPORTING_APPLICATION, { deadline: "24 hours of becoming aware" }),
    "point",
  ),
  para(
    "art-14.2.b",
    "Article 14(2), point (b)",
    "Vulnerability notification within 72 hours",
    "unless the relevant information has already been provided, a vulnerability notification, without undue delay and in any event within 72 hours of the manufacturer becoming aware of the actively exploited vulnerability, which shall provide general information, as available, about the product with digital elements concerned, the general nature of the exploit and of the vulnerability concerned as well as any corrective or mitigating measures taken, and corrective or mitigating measures that users can take, and which shall also indicate, where applicable, how sensitive the manufacturer considers the notified information to be;",
    "art-14.2",
    timed(REPORTING_APPLICATION, { deadline: "72 hours of becoming aware" }),
    "point",
  ),
  para(
    "art-14.2.c",
    "Article 14(2), point (c)",
    "Final report on the vulnerability within 14 days of a corrective measure",
    [
      "unless the relevant information has already been provided, a final report, no later than 14 days after a corrective or mitigating measure is available, including at least the following:",
      "(i) a description of the vulnerability, including its severity and impact;",
      "(ii) where available, information concerning any malicious actor that has exploited or that is exploiting the vulnerability;",
      "(iii) details about the security update or other corrective measures that have been made available to remedy the vulnerability.",
    ].join("\n"),
    "art-14.2",
    timed(REPORTING_APPLICATION, {
      deadline: "14 days after a corrective or mitigating measure is available",
    }),
    "point",
  ),
  para(
    "art-14.3",
    "Article 14(3)",
    "Notify severe incidents to the CSIRT and ENISA",
    "A manufacturer shall notify any severe incident having an impact on the security of the product with digital elements that it becomes aware of simultaneously to the CSIRT designated as coordinator, in accordance with paragraph 7 of this Article, and to ENISA. The manufacturer shall notify that incident via the single reporting platform established pursuant to Article 16.",
    "art-14",
    timed(REPORTING_APPLICATION),
  ),
  para(
    "art-14.4",
    "Article 14(4)",
    "What an incident notification consists of",
    "For the purposes of the notification referred to in paragraph 3, the manufacturer shall submit:",
    "art-14",
    { assessable: false },
  ),
  para(
    "art-14.4.a",
    "Article 14(4), point (a)",
    "Early warning of a severe incident within 24 hours",
    "an early warning notification of a severe incident having an impact on the security of the product with digital elements, without undue delay and in any event within 24 hours of the manufacturer becoming aware of it, including at least whether the incident is suspected of being caused by unlawful or malicious acts, which shall also indicate, where applicable, the Member States on the territory of which the manufacturer is aware that their product with digital elements has been made available;",
    "art-14.4",
    timed(REPORTING_APPLICATION, { deadline: "24 hours of becoming aware" }),
    "point",
  ),
  para(
    "art-14.4.b",
    "Article 14(4), point (b)",
    "Incident notification within 72 hours",
    "unless the relevant information has already been provided, an incident notification, without undue delay and in any event within 72 hours of the manufacturer becoming aware of the incident, which shall provide general information, where available, about the nature of the incident, an initial assessment of the incident, as well as any corrective or mitigating measures taken, and corrective or mitigating measures that users can take, and which shall also indicate, where applicable, how sensitive the manufacturer considers the notified information to be;",
    "art-14.4",
    timed(REPORTING_APPLICATION, { deadline: "72 hours of becoming aware" }),
    "point",
  ),
  para(
    "art-14.4.c",
    "Article 14(4), point (c)",
    "Final report on the incident within one month of the notification",
    [
      "unless the relevant information has already been provided, a final report, within one month after the submission of the incident notification under point (b), including at least the following:",
      "(i) a detailed description of the incident, including its severity and impact;",
      "(ii) the type of threat or root cause that is likely to have triggered the incident;",
      "(iii) applied and ongoing mitigation measures.",
    ].join("\n"),
    "art-14.4",
    timed(REPORTING_APPLICATION, { deadline: "one month after the incident notification" }),
    "point",
  ),
  para(
    "art-14.5",
    "Article 14(5)",
    "When an incident is severe",
    [
      "For the purposes of paragraph 3, an incident having an impact on the security of the product with digital elements shall be considered to be severe where:",
      "(a) it negatively affects or is capable of negatively affecting the ability of a product with digital elements to protect the availability, authenticity, integrity or confidentiality of sensitive or important data or functions; or",
      "(b) it has led or is capable of leading to the introduction or execution of malicious code in a product with digital elements or in the network and information systems of a user of the product with digital elements.",
    ].join("\n"),
    "art-14",
    { assessable: false },
  ),
  article(69, "Transitional provisions"),
  para(
    "art-69.2",
    "Article 69(2)",
    "Products placed on the market before 11 December 2027",
    "Products with digital elements that have been placed on the market before 11 December 2027 shall be subject to the requirements set out in this Regulation only if, from that date, those products are subject to a substantial modification.",
    "art-69",
    { assessable: false },
  ),
  para(
    "art-69.3",
    "Article 69(3)",
    "Reporting applies to products already on the market",
    "By way of derogation from paragraph 2 of this Article, the obligations laid down in Article 14 shall apply to all products with digital elements that fall within the scope of this Regulation that have been placed on the market before 11 December 2027.",
    "art-69",
    { assessable: false },
  ),
  article(71, "Entry into force and application"),
  para(
    "art-71.2",
    "Article 71(2)",
    "Dates of application",
    "This Regulation shall apply from 11 December 2027.\n\nHowever, Article 14 shall apply from 11 September 2026 and Chapter IV (Articles 35 to 51) shall apply from 11 June 2026.",
    "art-71",
    { assessable: false },
  ),
);

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
      "Annex I (essential cybersecurity requirements: Part I product properties, Part II vulnerability handling) and Annex II (information and instructions to the user) of the Cyber Resilience Act, with the articles that date its obligations: Article 13(8) (support period), Article 14 (reporting), Article 69(2)-(3) (transition) and Article 71(2) (dates of application).",
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
    kinds: ["annex", "article", "part", "paragraph", "point"],
    completeness: {
      status: "partial",
      gaps: [
        {
          kind: "missing",
          description:
            "The recitals and the articles other than 13(8), 14(1)-(5), 69(2)-(3) and 71(2); Annexes III to VIII.",
        },
      ],
    },
    notes: [
      "Source: EUR-Lex, https://eur-lex.europa.eu, (c) European Union. Only the Official Journal of the European Union is authentic.",
      "Version 2024-2847 is the Regulation as adopted on 23 October 2024 and published in the OJ on 20 November 2024 (in force 10 December 2024), without later amendment or corrigendum.",
      `Annex I Part I: ${pointsOf("annex-i.part-i.").length} points, ${assessable("annex-i.part-i.")} assessable (point (1) and (2)(a) to (m); point (2) is a chapeau). Part II: ${pointsOf("annex-i.part-ii.").length} points. Annex II: ${pointsOf("annex-ii.").length} points (9 numbered, 6 lettered under point (8)).`,
      "props.assessable is as given by the source file (it marks Annex II point (8), an introduction to (a) to (f), assessable); props.sourceRef is the source file's ref.",
      "Item titles are short descriptive titles derived from the text; the Regulation does not title points. Article titles are the OJ's.",
      "props.appliesFrom is the date an assessable item applies from (Article 71(2)): 2027-12-11 for Annexes I and II and Article 13(8), 2026-09-11 for Article 14. Article 69(3) applies Article 14 to products placed on the market before 11 December 2027 too.",
      "The articles (kind article, paragraph and their points) are transcribed from one copy of the OJ text and are to-verify; the Annexes are checked (see docs/catalogs/eu-cra.md).",
    ],
  },
  items,
};

writeOrCheckCatalogs("scripts/catalogs/eu-cra.ts", [[OUTPUT, catalog]]);
console.log(
  `${OUTPUT}: ${items.length} items; Part I ${pointsOf("annex-i.part-i.").length} points (${assessable("annex-i.part-i.")} assessable), ` +
    `Part II ${pointsOf("annex-i.part-ii.").length}, Annex II ${pointsOf("annex-ii.").length}; corrected ${applied.length}`,
);
