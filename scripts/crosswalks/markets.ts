// Builds the crosswalks of the third markets to the texts they build on (issue 13):
//   etsi-en-303-645--uk-psti      official: the PSTI Regulations' Schedule 2 deemed-compliance routes
//   eu-red--eu-cra                official: Delegated Regulation (EU) 2026/339, recital (3)
//   cen-en-18031-{1,2,3}--eu-red  authored: each requirement against the RED point its part is cited for
//   sg-cls--etsi-en-303-645       authored: CLS levels against the standard CSA names as reference
//   jp-jc-star--etsi-en-303-645   authored: JC-STAR star 1 aims against EN 303 645
// Usage: npx tsx scripts/crosswalks/markets.ts [--check]
import { readFileSync, writeFileSync } from "node:fs";

interface Row {
  id: string;
  sources: string[];
  targets: string[];
  relationship: "equal" | "subset-of" | "superset-of" | "intersects-with" | "not-related";
  rationale: "syntactic" | "semantic" | "functional";
  strength?: number;
  review: "draft" | "reviewed" | "disputed";
  note: string;
}
interface Crosswalk {
  id: string;
  title: string;
  source: [string, string];
  target: [string, string];
  provenance: { kind: string; basis: string; publication?: string; url?: string; authors: string[] };
  notes: string[];
  rows: Row[];
}

const root = new URL("../../", import.meta.url);
const catalog = (id: string) =>
  JSON.parse(readFileSync(new URL(`catalogs/${id}.json`, root), "utf8")) as {
    catalog: { version: string };
    items: { ref: string; kind: string; props?: Record<string, unknown> }[];
  };

const psti: Crosswalk = {
  id: "etsi-en-303-645--uk-psti",
  title: "ETSI EN 303 645 provisions to the UK PSTI security requirements (deemed compliance)",
  source: ["etsi-en-303-645", "2.1.1"],
  target: ["uk-psti", "2023-1007"],
  provenance: {
    kind: "official",
    publication:
      "The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations 2023, Schedule 2 (conditions for deemed compliance)",
    url: "https://www.legislation.gov.uk/uksi/2023/1007/schedule/2",
    basis:
      "Schedule 2 treats a manufacturer as complying with a Schedule 1 requirement when it complies with the EN 303 645 provisions it names. Deemed compliance is recorded as superset-of: a pass on the provisions carries to the requirement; a failure does not (the requirement can be met in other ways, e.g. ISO/IEC 29147 for paragraph 2).",
    authors: ["UK Government (Schedule 2)", "Cairn project (conversion)"],
  },
  notes: [
    "Read each row as: the EN 303 645 provisions are <relationship> the PSTI requirement. The rows with several sources record joint coverage: 5.1-2 applies only where preset passwords are used ('where relevant'); a provision that does not apply is left out of the joint result.",
    "Rows 1 and 2 follow Schedule 2 paragraphs 1 and 2 as read on legislation.gov.uk (reviewed: derived from the official text). Row 3 follows public summaries of Schedule 2 paragraph 3, whose text was not read (draft: to verify).",
    "The ISO/IEC 29147 route of Schedule 2 paragraph 2(2)(b) is not a catalog here.",
  ],
  rows: [
    {
      id: "s2-1",
      sources: ["5.1-1", "5.1-2"],
      targets: ["sch-1.1"],
      relationship: "superset-of",
      rationale: "functional",
      strength: 10,
      review: "reviewed",
      note: "Schedule 2 paragraph 1: complying with 5.1-1 and, where relevant, 5.1-2 is deemed compliance with the password requirement.",
    },
    {
      id: "s2-2",
      sources: ["5.2-1"],
      targets: ["sch-1.2"],
      relationship: "superset-of",
      rationale: "functional",
      strength: 10,
      review: "reviewed",
      note: "Schedule 2 paragraph 2(2)(a): complying with 5.2-1 is deemed compliance with the requirement to say how to report security issues.",
    },
    {
      id: "s2-3",
      sources: ["5.3-13"],
      targets: ["sch-1.3"],
      relationship: "superset-of",
      rationale: "functional",
      strength: 9,
      review: "draft",
      note: "Schedule 2 paragraph 3 as public summaries give it: publishing the defined support period per 5.3-13 is deemed compliance. Text not read here: to verify.",
    },
  ],
};

const redCra: Crosswalk = {
  id: "eu-red--eu-cra",
  title: "RED Article 3(3)(d)-(f) to CRA Annex I",
  source: ["eu-red", "2014-53"],
  target: ["eu-cra", "2024-2847"],
  provenance: {
    kind: "official",
    publication: "Commission Delegated Regulation (EU) 2026/339, recital (3)",
    url: "https://eur-lex.europa.eu/eli/reg_del/2026/339/oj",
    basis:
      "Recital (3) of Delegated Regulation (EU) 2026/339: 'The essential cybersecurity requirements set out in Annex I to Regulation (EU) 2024/2847 include all the elements of the essential requirements referred to in Article 3(3), points (d), (e) and (f), of Directive 2014/53/EU.' Each RED point is therefore a subset of Annex I as a whole.",
    authors: ["European Commission (recital)", "Cairn project (conversion)"],
  },
  notes: [
    "Read each row as: the RED point is subset-of CRA Annex I. The target is the Annex as a whole: the recital does not say which Annex I points carry each RED point.",
    "This is why Delegated Regulation (EU) 2022/30 is repealed from 11 December 2027, when the CRA applies.",
  ],
  rows: (["d", "e", "f"] as const).map((p) => ({
    id: `3.3.${p}-to-annex-i`,
    sources: [`art-3.3.${p}`],
    targets: ["annex-i"],
    relationship: "subset-of" as const,
    rationale: "semantic" as const,
    strength: 8,
    review: "reviewed" as const,
    note: "Recital (3) of Delegated Regulation (EU) 2026/339: CRA Annex I includes all the elements of this RED point.",
  })),
};

const RED_POINT: Record<1 | 2 | 3, string> = { 1: "art-3.3.d", 2: "art-3.3.e", 3: "art-3.3.f" };
function en18031(part: 1 | 2 | 3): Crosswalk {
  const c = catalog(`cen-en-18031-${part}`);
  const point = RED_POINT[part];
  return {
    id: `cen-en-18031-${part}--eu-red`,
    title: `EN 18031-${part} requirements to RED Article 3(3)(${point.slice(-1)})`,
    source: [`cen-en-18031-${part}`, c.catalog.version],
    target: ["eu-red", "2014-53"],
    provenance: {
      kind: "authored",
      basis: `Commission Implementing Decision (EU) 2025/138 cites EN 18031-${part} as a harmonised standard for Article 3(3)(${point.slice(-1)}), with restrictions. Each requirement is one part of what the point asks and the point can be met otherwise (a notified body), so each row is intersects-with; no row claims the presumption of conformity, which depends on the restrictions (see the EN 18031 catalog notes and the red-en18031-restrictions pitfall).`,
      authors: ["Cairn project"],
    },
    notes: [
      `Read each row as: the EN 18031-${part} requirement intersects-with RED Article 3(3)(${point.slice(-1)}). Generated from the requirement list of cen-en-18031-${part}.`,
      "Rows are per requirement, not joint: the harmonised standard's presumption of conformity is a legal effect that the OJ restrictions limit, so Cairn does not derive a pass of the RED point from passes on the requirements.",
    ],
    rows: c.items
      .filter((i) => i.kind === "provision")
      .map((i) => ({
        id: `${i.ref}-to-${point}`,
        sources: [i.ref],
        targets: [point],
        relationship: "intersects-with" as const,
        rationale: "functional" as const,
        strength: 5,
        review: "draft" as const,
        note: `EN 18031-${part} is cited for this RED point; ${i.ref} is one of its requirements.`,
      })),
  };
}

const en = catalog("etsi-en-303-645");
const mandatory = en.items
  .filter((i) => i.kind === "provision" && String(i.props?.status ?? "").startsWith("M"))
  .map((i) => i.ref);

const cls: Crosswalk = {
  id: "sg-cls--etsi-en-303-645",
  title: "Singapore CLS requirements to ETSI EN 303 645 provisions",
  source: ["sg-cls", catalog("sg-cls").catalog.version],
  target: ["etsi-en-303-645", "2.1.1"],
  provenance: {
    kind: "authored",
    basis:
      "CSA's FAQ names ETSI EN 303 645 as the scheme's reference; its consumer page describes each level. Rows compare those descriptions with the provisions; the scheme's own provision lists (CCC SP-151-2) were not available, so every row is intersects-with and draft.",
    authors: ["Cairn project"],
  },
  notes: [
    "Read each row as: the CLS requirement intersects-with the EN 303 645 provisions (each target separately).",
    "L2.mandatory is related to every mandatory provision (status M or M C in Table B.1): CSA describes level 2 as meeting all mandatory requirements of the international standard.",
  ],
  rows: [
    {
      id: "L1.passwords-to-5.1",
      sources: ["L1.passwords"],
      targets: ["5.1-1", "5.1-2"],
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 7,
      review: "draft",
      note: "Unique default passwords (CSA's level 1 description) against no universal default passwords and their generation.",
    },
    {
      id: "L1.updates-to-5.3",
      sources: ["L1.updates"],
      targets: ["5.3-1", "5.3-2"],
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 5,
      review: "draft",
      note: "Software updates provided (level 1) against updatable software and a secure update mechanism.",
    },
    {
      id: "L2.mandatory-to-M",
      sources: ["L2.mandatory"],
      targets: mandatory,
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 6,
      review: "draft",
      note: "Level 2 is described as all mandatory requirements of the reference standard: related to each mandatory provision.",
    },
    {
      id: "L3.design-to-5.6-9",
      sources: ["L3.design"],
      targets: ["5.6-9"],
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 4,
      review: "draft",
      note: "Security by design against secure development processes.",
    },
    {
      id: "L3.binary-analysis-to-5.2-3",
      sources: ["L3.binary-analysis"],
      targets: ["5.2-3"],
      relationship: "intersects-with",
      rationale: "functional",
      strength: 3,
      review: "draft",
      note: "A laboratory's binary and component scan finds known vulnerabilities, one input to continually monitoring for vulnerabilities.",
    },
  ],
};

const jc: Crosswalk = {
  id: "jp-jc-star--etsi-en-303-645",
  title: "JC-STAR star 1 aims to ETSI EN 303 645 provisions",
  source: ["jp-jc-star", catalog("jp-jc-star").catalog.version],
  target: ["etsi-en-303-645", "2.1.1"],
  provenance: {
    kind: "authored",
    basis:
      "IPA describes JC-STAR as harmonised with ETSI EN 303 645 and NISTIR 8425. Rows compare the aims public sources give for star 1 with the provisions; IPA's conformity criteria were not available, so every row is intersects-with and draft.",
    authors: ["Cairn project"],
  },
  notes: [
    "Read each row as: the star 1 aim intersects-with the EN 303 645 provisions (each target separately).",
  ],
  rows: [
    {
      id: "botnet-to-5.1-5.3",
      sources: ["star-1.botnet"],
      targets: ["5.1-1", "5.3-2"],
      relationship: "intersects-with",
      rationale: "functional",
      strength: 4,
      review: "draft",
      note: "Botnets recruit devices through shared default passwords and unpatched software.",
    },
    {
      id: "remote-attack-to-5.5-5.6",
      sources: ["star-1.remote-attack"],
      targets: ["5.5-1", "5.6-1"],
      relationship: "intersects-with",
      rationale: "functional",
      strength: 4,
      review: "draft",
      note: "Resisting remote attacks through secure communication and no needless interfaces.",
    },
    {
      id: "vulnerability-policy-to-5.2-5.3-13",
      sources: ["star-1.vulnerability-policy"],
      targets: ["5.2-1", "5.3-13"],
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 6,
      review: "draft",
      note: "A published vulnerability policy and support information against the disclosure policy and the published support period.",
    },
    {
      id: "data-deletion-to-5.11-1",
      sources: ["star-1.data-deletion"],
      targets: ["5.11-1"],
      relationship: "intersects-with",
      rationale: "semantic",
      strength: 7,
      review: "draft",
      note: "Deleting device data on disposal or resale against easy erasure of user data.",
    },
  ],
};

function render(c: Crosswalk): string {
  return `${JSON.stringify(
    {
      format: "cairn-crosswalk/1",
      crosswalk: {
        id: c.id,
        title: c.title,
        version: "2026-12",
        source: { catalog: c.source[0], version: c.source[1] },
        target: { catalog: c.target[0], version: c.target[1] },
        provenance: c.provenance,
        notes: c.notes,
      },
      mappings: c.rows,
    },
    null,
    2,
  )}\n`;
}

let stale = false;
for (const c of [psti, redCra, en18031(1), en18031(2), en18031(3), cls, jc]) {
  const file = `catalogs/mappings/${c.id}.json`;
  const url = new URL(file, root);
  const json = render(c);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(url, "utf8");
    } catch {
      // reported below
    }
    if (current !== json) {
      console.error(`${file} is out of date: run npx tsx scripts/crosswalks/markets.ts`);
      stale = true;
    }
  } else {
    writeFileSync(url, json);
    console.log(`wrote ${file}: ${c.rows.length} rows`);
  }
}
if (stale) process.exit(1);
