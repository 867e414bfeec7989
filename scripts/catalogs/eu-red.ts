// Builds catalogs/eu-red.json (Directive 2014/53/EU, Article 3(3), points (d), (e), (f)) and
// catalogs/eu-red-2022-30.json (Commission Delegated Regulation (EU) 2022/30 as amended by (EU)
// 2023/2444, repealed with effect from 11 December 2027 by (EU) 2026/339). EU law, reproduced with
// acknowledgement of the source (EUR-Lex); only the Official Journal is authentic.
//
// The wording below was transcribed from the EUR-Lex HTML renderings of the Official Journal as
// committed in a public repository (SOURCES); where a second, independent copy of a passage was
// read, the item is `checked` and says which.
//
// Usage: npx tsx scripts/catalogs/eu-red.ts [--check]
import { writeOrCheckCatalogs } from "./output.js";

type PropValue = string | number | boolean | string[];
interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: "checked" | "to-verify";
  notes?: string;
}

const REPO = "github.com/Planet9V/OXOT_Website_Conformity_Application";
const SOURCES = {
  red: `EUR-Lex HTML of Directive 2014/53/EU, OJ L 153, 22.5.2014, p. 62 (${REPO}, docs/red_statutory_corpus/source/CELEX_32014L0053_EN.html, commit 6f1abd92373ddaa0014a7695da9b9baab3a971f3), element art_3 (003.003)`,
  da: `EUR-Lex HTML of Delegated Regulation (EU) 2022/30, OJ L 7, 12.1.2022, p. 6 (${REPO}, docs/red_delegated_2022_30/source/CELEX_32022R0030_EN.html, commit db7a806f4aa30ad2fd8843dc1f3444ace4f8fb88), elements art_1 to art_3`,
  amend: `Delegated Regulation (EU) 2023/2444 (OJ L, 27.10.2023): Article 1 replaces Article 3's second paragraph ('It shall apply from 1 August 2025.'); Article 2 corrects Article 1(2)'s 'traffic data and location data' to 'traffic data or location data'; as quoted in ${REPO}, docs/red_delegated_2022_30/02_articles_full.json (commit 3bc519f7cfede974db528db7bda4d3926690e9ec)`,
  repeal: `Delegated Regulation (EU) 2026/339 of 16 February 2026, OJ L, 29.4.2026 (${REPO}, docs/red_delegated_2022_30/source/CELEX_32026R0339_EN.html, commit db7a806f4aa30ad2fd8843dc1f3444ace4f8fb88): Article 1 'Delegated Regulation (EU) 2022/30 is repealed with effect from 11 December 2027.'`,
  second:
    "a second copy: the consolidated text on legalize.dev/eu/law/32022R0030 (Article 1(2) with points (a) to (d), Article 2(1)); for Article 3(3)(d) and (e) of the Directive, a test laboratory's quotation (intertek.se, 3 Feb 2025)",
};

const RED_APPLIES = "2025-08-01";
const RED_REPEALED = "2027-12-11";

const red: Item[] = [
  {
    ref: "art-3.3",
    label: "Article 3(3)",
    kind: "paragraph",
    title: "Essential requirements for certain categories or classes of radio equipment",
    text: "Radio equipment within certain categories or classes shall be so constructed that it complies with the following essential requirements:",
    verification: "to-verify",
    notes:
      "Only points (d), (e) and (f), the cybersecurity requirements Delegated Regulation (EU) 2022/30 applies, are catalogued.",
  },
  {
    ref: "art-3.3.d",
    label: "Article 3(3), point (d)",
    kind: "point",
    title: "No harm to the network or misuse of network resources",
    text: "radio equipment does not harm the network or its functioning nor misuse network resources, thereby causing an unacceptable degradation of service;",
    parent: "art-3.3",
    props: {
      assessable: true,
      appliesFrom: RED_APPLIES,
      appliesUntil: RED_REPEALED,
      appliedBy: "eu-red-2022-30:art-1.1",
      harmonisedStandard: "cen-en-18031-1",
    },
    verification: "checked",
    notes: `Second copy: ${SOURCES.second}.`,
  },
  {
    ref: "art-3.3.e",
    label: "Article 3(3), point (e)",
    kind: "point",
    title: "Safeguards for personal data and privacy",
    text: "radio equipment incorporates safeguards to ensure that the personal data and privacy of the user and of the subscriber are protected;",
    parent: "art-3.3",
    props: {
      assessable: true,
      appliesFrom: RED_APPLIES,
      appliesUntil: RED_REPEALED,
      appliedBy: "eu-red-2022-30:art-1.2",
      harmonisedStandard: "cen-en-18031-2",
    },
    verification: "checked",
    notes: `Second copy: ${SOURCES.second}.`,
  },
  {
    ref: "art-3.3.f",
    label: "Article 3(3), point (f)",
    kind: "point",
    title: "Features ensuring protection from fraud",
    text: "radio equipment supports certain features ensuring protection from fraud;",
    parent: "art-3.3",
    props: {
      assessable: true,
      appliesFrom: RED_APPLIES,
      appliesUntil: RED_REPEALED,
      appliedBy: "eu-red-2022-30:art-1.3",
      harmonisedStandard: "cen-en-18031-3",
    },
    verification: "to-verify",
  },
];

const da: Item[] = [
  {
    ref: "art-1",
    label: "Article 1",
    kind: "article",
    title: "Radio equipment to which the requirements apply",
    verification: "checked",
  },
  {
    ref: "art-1.1",
    label: "Article 1(1)",
    kind: "paragraph",
    title: "Point (d) applies to internet-connected radio equipment",
    text: "The essential requirement set out in Article 3(3), point (d), of Directive 2014/53/EU shall apply to any radio equipment that can communicate itself over the internet, whether it communicates directly or via any other equipment (‘internet-connected radio equipment’).",
    parent: "art-1",
    props: { requirement: "eu-red:art-3.3.d", appliesFrom: RED_APPLIES, appliesUntil: RED_REPEALED },
    verification: "to-verify",
  },
  {
    ref: "art-1.2",
    label: "Article 1(2)",
    kind: "paragraph",
    title: "Point (e) applies to radio equipment processing personal, traffic or location data",
    text: [
      "The essential requirement set out in Article 3(3), point (e), of Directive 2014/53/EU shall apply to any of the following radio equipment, if that radio equipment is capable of processing, within the meaning of Article 4(2) of Regulation (EU) 2016/679, personal data, as defined in Article 4(1) of Regulation (EU) 2016/679, or traffic data or location data, as defined in Article 2, points (b) and (c), of Directive 2002/58/EC:",
      "(a) internet-connected radio equipment, other than the equipment referred to in points (b), (c) or (d);",
      "(b) radio equipment designed or intended exclusively for childcare;",
      "(c) radio equipment covered by Directive 2009/48/EC;",
      "(d) radio equipment designed or intended, whether exclusively or not exclusively, to be worn on, strapped to, or hung from any of the following:",
      "(i) any part of the human body, including the head, neck, trunk, arms, hands, legs and feet;",
      "(ii) any clothing, including headwear, hand wear and footwear, which is worn by human beings.",
    ].join("\n"),
    parent: "art-1",
    props: { requirement: "eu-red:art-3.3.e", appliesFrom: RED_APPLIES, appliesUntil: RED_REPEALED },
    verification: "checked",
    notes: `As corrected by Delegated Regulation (EU) 2023/2444, Article 2 ('traffic data or location data'). Second copy: ${SOURCES.second}.`,
  },
  {
    ref: "art-1.3",
    label: "Article 1(3)",
    kind: "paragraph",
    title: "Point (f) applies to internet-connected radio equipment that transfers money",
    text: "The essential requirement set out in Article 3(3), point (f), of Directive 2014/53/EU shall apply to any internet-connected radio equipment, if that equipment enables the holder or user to transfer money, monetary value or virtual currency as defined in Article 2, point (d), of Directive (EU) 2019/713.",
    parent: "art-1",
    props: { requirement: "eu-red:art-3.3.f", appliesFrom: RED_APPLIES, appliesUntil: RED_REPEALED },
    verification: "to-verify",
  },
  { ref: "art-2", label: "Article 2", kind: "article", title: "Derogations", verification: "checked" },
  {
    ref: "art-2.1",
    label: "Article 2(1)",
    kind: "paragraph",
    title: "Not for medical devices and in vitro diagnostic medical devices",
    text: "By way of derogation from Article 1, the essential requirements set out in Article 3(3), points (d), (e) and (f), of Directive 2014/53/EU shall not apply to radio equipment to which either of the following Union legislation also applies:\n(a) Regulation (EU) 2017/745;\n(b) Regulation (EU) 2017/746.",
    parent: "art-2",
    verification: "checked",
    notes: `Second copy: ${SOURCES.second}.`,
  },
  {
    ref: "art-2.2",
    label: "Article 2(2)",
    kind: "paragraph",
    title: "Points (e) and (f) not for civil aviation, vehicle type-approval and road tolling equipment",
    text: "By way of derogation from Article 1(2) and Article 1(3), the essential requirements set out in Article 3(3), points (e) and (f), of Directive 2014/53/EU shall not apply to radio equipment to which any of the following Union legislation also applies:\n(a) Regulation (EU) 2018/1139;\n(b) Regulation (EU) 2019/2144;\n(c) Directive (EU) 2019/520.",
    parent: "art-2",
    verification: "to-verify",
  },
  {
    ref: "art-3",
    label: "Article 3",
    kind: "article",
    title: "Entry into force and application",
    text: "This Regulation shall enter into force on the twentieth day following that of its publication in the Official Journal of the European Union.\nIt shall apply from 1 August 2025.",
    props: { appliesFrom: RED_APPLIES, appliesUntil: RED_REPEALED },
    verification: "checked",
    notes: `Second paragraph as replaced by Delegated Regulation (EU) 2023/2444, Article 1 (originally 'It shall apply from 1 August 2024.'). Second copy of the date: recital (2) of Delegated Regulation (EU) 2026/339 ('applicable from 1 August 2025'). ${SOURCES.repeal}`,
  },
];

function catalogFile(meta: Record<string, unknown>, items: Item[]) {
  return { format: "cairn-catalog/1", catalog: meta, items };
}

const redCatalog = catalogFile(
  {
    id: "eu-red",
    title:
      "Directive 2014/53/EU on the harmonisation of the laws of the Member States relating to the making available on the market of radio equipment (Radio Equipment Directive)",
    shortTitle: "EU RED",
    publisher: "European Parliament and Council of the European Union",
    version: "2014-53",
    published: "2014-04-16",
    status: "final",
    description:
      "The cybersecurity essential requirements of the Radio Equipment Directive, Article 3(3), points (d), (e) and (f), which Delegated Regulation (EU) 2022/30 applies from 1 August 2025 to internet-connected, childcare, toy and wearable radio equipment, until its repeal on 11 December 2027 when the CRA applies.",
    source: {
      reference:
        "Directive 2014/53/EU of the European Parliament and of the Council of 16 April 2014, OJ L 153, 22.5.2014, p. 62, ELI: http://data.europa.eu/eli/dir/2014/53/oj",
      url: "https://eur-lex.europa.eu/eli/dir/2014/53/oj",
      basis: `Transcribed from ${SOURCES.red}; generated by scripts/catalogs/eu-red.ts.`,
      retrieved: "2026-12-01",
    },
    terms: "full-text",
    license: "EU law; reproduced with acknowledgement of the source (EUR-Lex)",
    verification: "to-verify",
    kinds: ["paragraph", "point"],
    completeness: {
      status: "partial",
      gaps: [
        {
          kind: "missing",
          description: "Everything but Article 3(3)'s introductory wording and points (d), (e) and (f).",
        },
      ],
    },
    notes: [
      "Source: EUR-Lex, https://eur-lex.europa.eu, (c) European Union. Only the Official Journal of the European Union is authentic.",
      "Item titles are Cairn's short descriptions; the Directive's text is quoted as the OJ prints it.",
      "props.appliesFrom / appliesUntil: the points apply from 1 August 2025 (Delegated Regulation (EU) 2022/30, Article 3, as amended) until 10 December 2027 (repeal of 2022/30 with effect from 11 December 2027 by Delegated Regulation (EU) 2026/339); from 11 December 2027 the CRA's Annex I covers them.",
      "props.harmonisedStandard names the EN 18031 part cited in the OJ for the point (Commission Implementing Decision (EU) 2025/138), with restrictions (see the EN 18031 catalogs).",
    ],
  },
  red,
);

const daCatalog = catalogFile(
  {
    id: "eu-red-2022-30",
    title:
      "Commission Delegated Regulation (EU) 2022/30 supplementing Directive 2014/53/EU with regard to the application of the essential requirements referred to in Article 3(3), points (d), (e) and (f), of that Directive",
    shortTitle: "RED Delegated Regulation (EU) 2022/30",
    publisher: "European Commission",
    version: "2023-10-27",
    published: "2021-10-29",
    status: "final",
    description:
      "Which radio equipment the RED's cybersecurity requirements apply to (Article 1), the derogations (Article 2) and the date of application (Article 3): the consolidated text as amended by Delegated Regulation (EU) 2023/2444 (version = consolidation date). Repealed with effect from 11 December 2027 by Delegated Regulation (EU) 2026/339.",
    source: {
      reference:
        "Commission Delegated Regulation (EU) 2022/30 of 29 October 2021, OJ L 7, 12.1.2022, p. 6, ELI: http://data.europa.eu/eli/reg_del/2022/30/oj, as amended by Commission Delegated Regulation (EU) 2023/2444",
      url: "https://eur-lex.europa.eu/eli/reg_del/2022/30/oj",
      basis: `Transcribed from ${SOURCES.da}, with the amendments of ${SOURCES.amend}; repeal: ${SOURCES.repeal}; generated by scripts/catalogs/eu-red.ts.`,
      retrieved: "2026-12-01",
    },
    terms: "full-text",
    license: "EU law; reproduced with acknowledgement of the source (EUR-Lex)",
    verification: "to-verify",
    kinds: ["article", "paragraph"],
    completeness: {
      status: "complete",
      gaps: [{ kind: "missing", description: "The 19 recitals are not items." }],
    },
    notes: [
      "Source: EUR-Lex, https://eur-lex.europa.eu, (c) European Union. Only the Official Journal of the European Union is authentic.",
      "Repealed with effect from 11 December 2027 by Commission Delegated Regulation (EU) 2026/339 (recital (3): the CRA's Annex I includes all the elements of Article 3(3), points (d), (e) and (f)); radio equipment placed on the market between 1 August 2025 and 10 December 2027 stays subject to these requirements (recital (5)).",
      "Item titles are Cairn's short descriptions: the delegated regulation does not title its articles. Text is the OJ's.",
      "Cairn's device features decide which paragraph applies: internet-connected (Article 1(1)); personal data (context data personal or health) or traffic-location-data together with internet-connected, childcare, toy or wearable (Article 1(2)); money-transfer with internet-connected (Article 1(3)); medical-device and vehicle-aviation-toll for the derogations of Article 2.",
    ],
  },
  da,
);

writeOrCheckCatalogs("scripts/catalogs/eu-red.ts", [
  ["catalogs/eu-red.json", redCatalog],
  ["catalogs/eu-red-2022-30.json", daCatalog],
]);
