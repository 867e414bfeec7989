// Builds catalogs/cen-en-18031-{1,2,3}.json: the requirement identifiers of EN 18031-1, -2 and -3
// (CEN-CENELEC, 2024), grouped by mechanism, with Cairn's own short titles. IDS ONLY: no text of the
// standards. Harmonised under the RED (Commission Implementing Decision (EU) 2025/138), with
// restrictions published in the OJ.
//
// Which identifiers belong to which part comes from public sources (SOURCES); an identifier is
// `checked` for a part when at least two independent source groups name it for that part.
//
// Usage: npx tsx scripts/catalogs/en-18031.ts [--check]
import { writeOrCheckCatalogs } from "./output.js";

type Part = 1 | 2 | 3;
type SourceKey = "zealience" | "zealience-testplan" | "tool-zh" | "tool-it" | "tool-ko";

const SOURCES: Record<SourceKey, { group: string; text: string }> = {
  zealience: {
    group: "zealience",
    text: "Zealience GmbH, github.com/zealience/IoT-Cybersecurity-Compliance (CC BY-SA 4.0): EN18031-TestPlan/README.md (which requirements belong to which part), EN18031-CheatSheets/README.md and EN18031-Templates/README.md; the test plan states that it uses the official identifiers listed in the standards.",
  },
  "zealience-testplan": {
    group: "zealience",
    text: "Zealience GmbH, same repository, EN18031-TestPlan/EN18031_TestPlan_Template_v1_1.docx at commit 850a867119dbf43c62652847dfec3adff2977964 (CC BY-SA 4.0): for every requirement identifier, the standards (EN 18031-1, -2, -3) in which its assessment is required. Same author as 'zealience': not an independent second copy of it.",
  },
  "tool-zh": {
    group: "tool-zh",
    text: "design document of an open-source EN 18031 assessment tool (Chinese) found through code search, listing the requirement identifiers per mechanism and per part.",
  },
  "tool-it": {
    group: "tool-it",
    text: "user manual of an open-source EN 18031 decision-tree tool (Italian) found through code search, listing ACM-1 to AUM-6.",
  },
  "tool-ko": {
    group: "tool-ko",
    text: "source code of an open-source EN 18031 self-assessment tool (Korean) found through code search, naming ACM, AUM and SUM requirements.",
  },
};

interface Mechanism {
  code: string;
  name: string;
}
const MECHANISMS: Mechanism[] = [
  { code: "ACM", name: "Access control mechanism" },
  { code: "AUM", name: "Authentication mechanism" },
  { code: "SUM", name: "Secure update mechanism" },
  { code: "SSM", name: "Secure storage mechanism" },
  { code: "SCM", name: "Secure communication mechanism" },
  { code: "RLM", name: "Resilience mechanism" },
  { code: "NMM", name: "Network monitoring mechanism" },
  { code: "TCM", name: "Traffic control mechanism" },
  { code: "LGM", name: "Logging mechanism" },
  { code: "DLM", name: "Deletion mechanism" },
  { code: "UNM", name: "User notification mechanism" },
  { code: "CCK", name: "Confidential cryptographic keys" },
  { code: "GEC", name: "General equipment capabilities" },
  { code: "CRY", name: "Cryptography" },
];

interface Requirement {
  id: string;
  /** Cairn's own few words: never the standard's text. */
  title: string;
  parts: Part[];
  /** Sources naming the identifier for EN 18031-1 (the -1 catalog's record, 2026-11). */
  sources1: SourceKey[];
  restriction?: string;
}

const ALL: Part[] = [1, 2, 3];
const PASSWORD_RESTRICTION =
  "OJ restriction (Implementing Decision (EU) 2025/138, as reported by test laboratories): no presumption of conformity where the equipment lets the user choose not to set, or not to use, a password (clauses 6.2.5.1 and 6.2.5.2; their match with AUM-5-1 and AUM-5-2 is Cairn's reading of the numbering, to verify).";
const REQUIREMENTS: Requirement[] = [
  {
    id: "ACM-1",
    title: "Access control protecting the assets",
    parts: ALL,
    sources1: ["zealience", "tool-it", "tool-ko"],
  },
  {
    id: "ACM-2",
    title: "Access control suited to the intended use",
    parts: ALL,
    sources1: ["tool-it", "tool-ko", "tool-zh"],
  },
  {
    id: "ACM-3",
    title: "Access control suited to the use: further case of part 2 (3)",
    parts: [2],
    sources1: [],
  },
  {
    id: "ACM-4",
    title: "Access control suited to the use: further case of part 2 (4)",
    parts: [2],
    sources1: [],
  },
  {
    id: "ACM-5",
    title: "Access control suited to the use: further case of part 2 (5)",
    parts: [2],
    sources1: [],
  },
  {
    id: "ACM-6",
    title: "Access control suited to the use: further case of part 2 (6)",
    parts: [2],
    sources1: [],
  },
  {
    id: "AUM-1-1",
    title: "Authentication for access over network interfaces",
    parts: ALL,
    sources1: ["zealience", "tool-it", "tool-ko", "tool-zh"],
  },
  {
    id: "AUM-1-2",
    title: "Authentication for access over user interfaces",
    parts: ALL,
    sources1: ["zealience", "tool-it", "tool-ko", "tool-zh"],
  },
  { id: "AUM-1-3", title: "Authentication for access over machine interfaces", parts: [3], sources1: [] },
  {
    id: "AUM-2",
    title: "Authentication mechanisms suited to the risk",
    parts: ALL,
    sources1: ["zealience", "tool-it", "tool-ko"],
  },
  { id: "AUM-2-2", title: "Second authentication factor where required", parts: [2, 3], sources1: [] },
  { id: "AUM-3", title: "Checking presented authenticators", parts: ALL, sources1: ["tool-it", "tool-zh"] },
  { id: "AUM-4", title: "Changing authenticators", parts: ALL, sources1: ["tool-it", "tool-zh"] },
  {
    id: "AUM-5-1",
    title: "Strength of factory-set passwords",
    parts: ALL,
    sources1: ["tool-it", "tool-ko", "tool-zh"],
    restriction: PASSWORD_RESTRICTION,
  },
  {
    id: "AUM-5-2",
    title: "Strength of user-set passwords",
    parts: ALL,
    sources1: ["tool-it", "tool-ko", "tool-zh"],
    restriction: PASSWORD_RESTRICTION,
  },
  {
    id: "AUM-6",
    title: "Limiting repeated authentication attempts",
    parts: ALL,
    sources1: ["tool-it", "tool-ko", "tool-zh"],
  },
  { id: "SUM-1", title: "Presence of a software update mechanism", parts: ALL, sources1: ["tool-zh"] },
  {
    id: "SUM-2",
    title: "Integrity and authenticity of updates",
    parts: ALL,
    sources1: ["tool-ko", "tool-zh"],
  },
  { id: "SUM-3", title: "Automatic updating", parts: ALL, sources1: ["tool-ko", "tool-zh"] },
  {
    id: "SSM-1",
    title: "Persistently stored assets kept in secure storage",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SSM-2",
    title: "Integrity protection of stored assets",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SSM-3",
    title: "Confidentiality protection of stored assets",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SCM-1",
    title: "Assets sent over networks use secure communication",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SCM-2",
    title: "Integrity and authenticity of communicated assets",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SCM-3",
    title: "Confidentiality of communicated assets",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "SCM-4",
    title: "Replay protection of communications",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "RLM-1",
    title: "Resilience against denial-of-service",
    parts: [1],
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "NMM-1",
    title: "Monitoring network traffic for attacks",
    parts: [1],
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "TCM-1",
    title: "Controlling the equipment's network traffic",
    parts: [1],
    sources1: ["zealience", "tool-zh"],
  },
  { id: "LGM-1", title: "Logging where it is needed", parts: [2, 3], sources1: [] },
  { id: "LGM-2", title: "Logs kept in persistent storage", parts: [2, 3], sources1: [] },
  { id: "LGM-3", title: "A minimum number of stored log events", parts: [2, 3], sources1: [] },
  { id: "LGM-4", title: "Time information in stored logs", parts: [2, 3], sources1: [] },
  { id: "DLM-1", title: "Deleting personal data and security parameters", parts: [2], sources1: [] },
  { id: "UNM-1", title: "Notifying the user where it is needed", parts: [2], sources1: [] },
  { id: "UNM-2", title: "What user notifications contain", parts: [2], sources1: [] },
  { id: "CCK-1", title: "Adequate confidential keys", parts: ALL, sources1: ["tool-zh"] },
  { id: "CCK-2", title: "Generation of confidential keys", parts: ALL, sources1: ["tool-zh"] },
  { id: "CCK-3", title: "No shared static default keys", parts: ALL, sources1: ["tool-zh"] },
  {
    id: "GEC-1",
    title: "Components free of known exploitable vulnerabilities",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  {
    id: "GEC-2",
    title: "Minimal exposure of network services",
    parts: ALL,
    sources1: ["zealience", "tool-zh"],
  },
  { id: "GEC-3", title: "Optional services configurable", parts: ALL, sources1: ["zealience", "tool-zh"] },
  { id: "GEC-4", title: "Documented exposed interfaces and services", parts: ALL, sources1: ["tool-zh"] },
  { id: "GEC-5", title: "No unneeded external interfaces", parts: ALL, sources1: ["tool-zh"] },
  { id: "GEC-6", title: "Validation of input", parts: ALL, sources1: ["tool-zh"] },
  { id: "GEC-7", title: "Documented external sensing capabilities", parts: [2], sources1: [] },
  { id: "GEC-8", title: "Protecting the equipment's integrity", parts: [3], sources1: [] },
  { id: "CRY-1", title: "Best-practice cryptography", parts: ALL, sources1: ["zealience", "tool-zh"] },
];

const PART_META: Record<Part, { title: string; article: string; titleNote?: string }> = {
  1: {
    title: "Common security requirements for radio equipment - Part 1: Internet connected radio equipment",
    article: "Article 3(3)(d)",
  },
  2: {
    title:
      "Common security requirements for radio equipment - Part 2: Radio equipment processing data, namely internet connected radio equipment, childcare radio equipment, toys radio equipment and wearable radio equipment",
    article: "Article 3(3)(e)",
    titleNote:
      "Title as quoted by a test laboratory (intertek.se, 3 Feb 2025); to verify against the standard.",
  },
  3: {
    title:
      "Common security requirements for radio equipment - Part 3: Internet connected radio equipment processing virtual money or monetary value",
    article: "Article 3(3)(f)",
    titleNote: "Title from public test-laboratory material; to verify against the standard.",
  },
};

const RESTRICTIONS: Record<Part, string[]> = {
  1: [
    "The OJ citation restricts the presumption of conformity for equipment that lets the user not set or not use a password (clauses 6.2.5.1 and 6.2.5.2, as reported by test laboratories, e.g. blueasialabs.com): see Implementing Decision (EU) 2025/138.",
  ],
  2: [
    "The OJ citation restricts the presumption of conformity for equipment that lets the user not set or not use a password (clauses 6.2.5.1 and 6.2.5.2, as reported): see Implementing Decision (EU) 2025/138.",
    "For toy and childcare radio equipment, the citation gives no presumption of conformity where parental or guardian access control is not ensured (as summarised by public sources; the clause is not recorded here, to verify).",
  ],
  3: [
    "The OJ citation restricts the presumption of conformity for equipment that lets the user not set or not use a password (clauses 6.2.5.1 and 6.2.5.2, as reported): see Implementing Decision (EU) 2025/138.",
    "The secure update assessment criteria (clause 6.3.2.4, as summarised by public sources; Cairn reads it as under SUM-2, to verify) give no presumption of conformity with Article 3(3)(f).",
  ],
};

function sourcesFor(r: Requirement, part: Part): SourceKey[] {
  // The test plan names every identifier of every part it applies to; the -1 record adds the
  // other sources found for EN 18031-1. For parts 2 and 3 no source but Zealience was read.
  const out = new Set<SourceKey>(part === 1 ? r.sources1 : []);
  if (part !== 1 || !r.sources1.includes("zealience")) out.add("zealience-testplan");
  if (part !== 1 && r.parts.length < 3) out.add("zealience");
  return [...out];
}

function build(part: Part) {
  const items: Record<string, unknown>[] = [];
  let checked = 0;
  let total = 0;
  for (const m of MECHANISMS) {
    const reqs = REQUIREMENTS.filter((r) => r.id.startsWith(`${m.code}-`) && r.parts.includes(part));
    if (reqs.length === 0) continue;
    // Mechanism names were confirmed for part 1 by test laboratories; other parts rest on Zealience.
    const inPart1 = REQUIREMENTS.some((r) => r.id.startsWith(`${m.code}-`) && r.parts.includes(1));
    items.push({
      ref: m.code,
      label: m.code,
      kind: "section",
      title: m.name,
      props: { code: m.code },
      verification: part === 1 && inPart1 ? "checked" : "to-verify",
    });
    for (const r of reqs) {
      const sources = sourcesFor(r, part);
      const groups = new Set(sources.map((s) => SOURCES[s].group));
      const ok = groups.size >= 2;
      total++;
      if (ok) checked++;
      const props: Record<string, string | string[]> = { mechanism: m.code, sources };
      const parts = r.parts.map((p) => `EN 18031-${p}`);
      if (r.parts.length < 3) props.parts = parts;
      if (r.restriction || (part === 3 && r.id === "SUM-2")) {
        props.ojRestriction =
          r.restriction ??
          "OJ restriction (as summarised by public sources): the secure update assessment criteria (clause 6.3.2.4) give no presumption of conformity with Article 3(3)(f); Cairn reads clause 6.3.2.4 as under SUM-2 (to verify).";
      }
      items.push({
        ref: r.id,
        label: r.id,
        kind: "provision",
        title: r.title,
        parent: m.code,
        props,
        verification: ok ? "checked" : "to-verify",
      });
    }
  }
  const meta = PART_META[part];
  const usedSources = [
    ...new Set(items.flatMap((i) => (i.props as { sources?: SourceKey[] })?.sources ?? [])),
  ];
  const order: SourceKey[] = ["zealience", "zealience-testplan", "tool-zh", "tool-it", "tool-ko"];
  return {
    format: "cairn-catalog/1",
    catalog: {
      id: `cen-en-18031-${part}`,
      title: meta.title,
      shortTitle: `EN 18031-${part}`,
      publisher: "CEN-CENELEC",
      version: "2024",
      published: "2024-08",
      status: "final",
      description: `Identifiers of the EN 18031-${part}:2024 requirements (harmonised under Directive 2014/53/EU, ${meta.article}), grouped by security mechanism. IDS ONLY: the text of the standard is not included; titles are Cairn's own short descriptions. A licensee of the standard can fill in the text.`,
      source: {
        reference: `EN 18031-${part}:2024, ${meta.title.replace(/^Common security requirements for radio equipment - /, "Common security requirements for radio equipment - ")} (CEN-CENELEC JTC 13); cited in the OJEU by Commission Implementing Decision (EU) 2025/138 of 28 January 2025`,
        url: "https://eur-lex.europa.eu/eli/dec_impl/2025/138/oj",
        basis: `Generated by scripts/catalogs/en-18031.ts from public secondary sources, not from the standard: the mechanism names and abbreviations as published by test laboratories and by Zealience's test plan, and the requirement identifiers per part as named by the sources in the notes. An identifier is 'checked' when at least two independent source groups name it for EN 18031-${part}; that is a check of the identifier and its mechanism, not of any wording. Titles are Cairn's own words and must be reviewed against the standard by a licensee.`,
        retrieved: "2026-12-01",
      },
      terms: "ids-only",
      license: `Identifiers and Cairn's own titles only; the text of EN 18031-${part} is (c) CEN-CENELEC and is not included.`,
      verification: "to-verify",
      kinds: ["section", "provision"],
      completeness: {
        status: "partial",
        gaps: [
          {
            kind: "missing",
            description: `The requirement list comes from public sources, not from EN 18031-${part} itself: that no identifier is missing is not verified. Clause numbers, decision trees and assessment criteria are not recorded.`,
          },
        ],
      },
      notes: [
        "Section refs are the mechanism abbreviations (ACM, AUM, ...), provision refs the requirement identifiers (ACM-1, AUM-1-1, ...). Clause numbers are not recorded.",
        ...(meta.titleNote ? [meta.titleNote] : []),
        "Part split (Zealience): RLM-1, NMM-1 and TCM-1 are EN 18031-1 only; ACM-3 to ACM-6, DLM-1, UNM-1, UNM-2 and GEC-7 are EN 18031-2; AUM-1-3 and GEC-8 are EN 18031-3; AUM-2-2 and LGM-1 to LGM-4 are EN 18031-2 and -3; the rest are in all three parts (props.parts where not all three).",
        `${checked} of ${total} identifiers are named for this part by two independent source groups (checked); the others by one (to-verify).`,
        ...RESTRICTIONS[part],
        ...order.filter((k) => usedSources.includes(k)).map((k) => `Source '${k}': ${SOURCES[k].text}`),
      ],
    },
    items,
  };
}

writeOrCheckCatalogs(
  "scripts/catalogs/en-18031.ts",
  ([1, 2, 3] as Part[]).map((part) => [`catalogs/cen-en-18031-${part}.json`, build(part)] as const),
  (c) => {
    const notes = (c as ReturnType<typeof build>).catalog.notes;
    return `${c.items.length} items; ${notes[notes.length > 3 ? 3 : 0]}`;
  },
);
