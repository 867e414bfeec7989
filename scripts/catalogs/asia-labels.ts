// Builds catalogs/sg-cls.json (Singapore Cybersecurity Labelling Scheme for IoT, levels 1 to 4) and
// catalogs/jp-jc-star.json (Japan's JC-STAR, star 1). Neither text is openly licensed: the catalogs
// hold identifiers (level numbers, Cairn refs) and Cairn's own short titles, written from the
// public descriptions named in SOURCES. The schemes' own requirement lists (CSA's CCC SP-151
// publications, IPA's star 1 conformity criteria) were not available: see completeness.
//
// Usage: npx tsx scripts/catalogs/asia-labels.ts [--check]
import { writeOrCheckCatalogs } from "./output.js";

interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  parent?: string;
  props?: Record<string, string | number | boolean | string[]>;
  verification: "checked" | "to-verify";
  notes?: string;
}

const CSA_CONSUMERS =
  "CSA, Cybersecurity Labelling Scheme (CLS) For Consumers, https://www.csa.gov.sg/our-programmes/certification-and-labelling-schemes/cybersecurity-labelling-scheme/for-consumers (the general requirements of each level)";
const CSA_UPDATES =
  "CSA, CLS updates page (22 September 2023 changes: CCC SP-151-4 Assessment Methodology; the Level 3 and 4 binary scan accounts for the components declared in the SBOM; CCC SP-151-2 Scheme Specifications v1.3)";
const CSA_FAQ =
  "CSA CLS FAQ: the scheme takes reference from ETSI EN 303 645; labels of levels 3 and 4 are mutually recognised with Finland";
const DIGWATCH =
  "dig.watch (2020): the launch description, in which level 2 was security by design and level 3 the binary assessment; CSA's current page moves security by design to level 3";

const cls: Item[] = [
  {
    ref: "L1",
    label: "Level 1",
    kind: "level",
    title: "Baseline security requirements (one asterisk)",
    props: { stars: 1 },
    verification: "to-verify",
  },
  {
    ref: "L1.passwords",
    label: "Level 1: passwords",
    kind: "requirement",
    title: "No shared default passwords",
    parent: "L1",
    props: { level: 1 },
    verification: "to-verify",
  },
  {
    ref: "L1.updates",
    label: "Level 1: updates",
    kind: "requirement",
    title: "Software updates provided",
    parent: "L1",
    props: { level: 1 },
    verification: "to-verify",
  },
  {
    ref: "L2",
    label: "Level 2",
    kind: "level",
    title: "All mandatory requirements of the reference standard, and level 1 (two asterisks)",
    props: { stars: 2, includes: ["sg-cls:L1"] },
    verification: "to-verify",
  },
  {
    ref: "L2.mandatory",
    label: "Level 2: mandatory provisions",
    kind: "requirement",
    title: "The reference standard's mandatory provisions met",
    parent: "L2",
    props: { level: 2 },
    verification: "to-verify",
    notes:
      "CSA's page speaks of the mandatory requirements of international standards; its FAQ names ETSI EN 303 645 as the reference.",
  },
  {
    ref: "L3",
    label: "Level 3",
    kind: "level",
    title: "Security by design and third-party binary analysis, and level 2 (three asterisks)",
    props: { stars: 3, includes: ["sg-cls:L2"] },
    verification: "to-verify",
  },
  {
    ref: "L3.design",
    label: "Level 3: security by design",
    kind: "requirement",
    title: "Developed following security-by-design principles",
    parent: "L3",
    props: { level: 3 },
    verification: "to-verify",
  },
  {
    ref: "L3.binary-analysis",
    label: "Level 3: binary analysis",
    kind: "requirement",
    title: "Software binaries analysed by an approved laboratory, SBOM components included",
    parent: "L3",
    props: { level: 3, thirdParty: true },
    verification: "to-verify",
  },
  {
    ref: "L4",
    label: "Level 4",
    kind: "level",
    title: "Structured penetration testing, and level 3 (four asterisks)",
    props: { stars: 4, includes: ["sg-cls:L3"] },
    verification: "to-verify",
  },
  {
    ref: "L4.penetration-test",
    label: "Level 4: penetration test",
    kind: "requirement",
    title: "Structured penetration test by an approved laboratory",
    parent: "L4",
    props: { level: 4, thirdParty: true },
    verification: "to-verify",
  },
];

const IPA =
  "IPA, JC-STAR (Labeling Scheme based on Japan Cyber-Security Technical Assessment Requirements), https://www.ipa.go.jp/: star 1 is the minimum security requirements common to IoT products, declared by the vendor; operation began 25 March 2025; harmonised with ETSI EN 303 645 and NISTIR 8425 (IPA's own description)";
const ONELAB =
  "theonelab.co (2025): the key points of star 1 (no botnet infection, defence against remote attacks from the internet, a policy for vulnerabilities and support, deletion of data on disposal or resale) and its scope (hardware with an IP interface)";

const jc: Item[] = [
  {
    ref: "star-1",
    label: "★1",
    kind: "level",
    title: "Minimum security requirements common to IoT products (vendor declaration)",
    props: { stars: 1, selfDeclared: true },
    verification: "to-verify",
  },
  {
    ref: "star-1.botnet",
    label: "★1: malware and botnets",
    kind: "requirement",
    title: "Not easily infected and drafted into botnets",
    parent: "star-1",
    props: { level: 1 },
    verification: "to-verify",
  },
  {
    ref: "star-1.remote-attack",
    label: "★1: remote attacks",
    kind: "requirement",
    title: "Resists remote attacks from the internet",
    parent: "star-1",
    props: { level: 1 },
    verification: "to-verify",
  },
  {
    ref: "star-1.vulnerability-policy",
    label: "★1: vulnerabilities and support",
    kind: "requirement",
    title: "A published policy for vulnerabilities and support",
    parent: "star-1",
    props: { level: 1 },
    verification: "to-verify",
  },
  {
    ref: "star-1.data-deletion",
    label: "★1: data deletion",
    kind: "requirement",
    title: "Data the device holds can be deleted on disposal or resale",
    parent: "star-1",
    props: { level: 1 },
    verification: "to-verify",
  },
];

function file(meta: Record<string, unknown>, items: Item[]) {
  return { format: "cairn-catalog/1", catalog: meta, items };
}

const clsCatalog = file(
  {
    id: "sg-cls",
    title: "Cybersecurity Labelling Scheme for consumer IoT (CLS(IoT))",
    shortTitle: "Singapore CLS",
    publisher: "Cyber Security Agency of Singapore (CSA)",
    version: "2023-09-22",
    published: "2023-09",
    status: "final",
    description:
      "The four levels of Singapore's voluntary IoT label, each including the levels below, with the requirements CSA's public pages give for each level. IDS AND OWN-WORDS TITLES ONLY: the scheme's specifications (CCC SP-151 series) are not openly licensed and were not available; the security provisions of each level are not catalogued.",
    source: {
      reference:
        "CSA, Cybersecurity Labelling Scheme for IoT (CLS(IoT)); CCC SP-151-2 Scheme Specifications v1.3 and CCC SP-151-4 Assessment Methodology (effective 22 September 2023, not read)",
      url: "https://www.csa.gov.sg/our-programmes/certification-and-labelling-schemes/cybersecurity-labelling-scheme",
      basis: `Hand-written by Cairn from: ${CSA_CONSUMERS}; ${CSA_UPDATES}; ${CSA_FAQ}; ${DIGWATCH}. Generated by scripts/catalogs/asia-labels.ts.`,
      retrieved: "2026-12-01",
    },
    terms: "ids-only",
    license: "CSA publications are not openly licensed: level numbers and Cairn's own short titles only.",
    verification: "to-verify",
    kinds: ["level", "requirement"],
    completeness: {
      status: "partial",
      gaps: [
        {
          kind: "missing",
          description:
            "The security provisions of each level as CCC SP-151-2 lists them (with their EN 303 645 references) and the assessment methodology (SP-151-4, SP-151-4A for home gateways): not available.",
        },
        {
          kind: "reported",
          description:
            "CSA's level descriptions changed: the 2020 launch put security by design at level 2; CSA's current consumer page puts the mandatory requirements of international standards at level 2 and security by design with binary analysis at level 3. This catalog follows the current page.",
        },
      ],
    },
    notes: [
      "Refs: L1-L4 for the levels (one to four asterisks on the label), L<n>.<topic> for the requirements CSA's public description gives for a level. Each level includes the levels below (props.includes).",
      "Levels 1 and 2: the developer's declaration of conformity, reviewed by an approved test laboratory (from 1 April 2025, per CSA's updates). Levels 3 and 4: assessment by approved third-party laboratories.",
      "Every item is to-verify: titles are Cairn's summaries of CSA's public descriptions, not the scheme's text.",
    ],
  },
  cls,
);

const jcCatalog = file(
  {
    id: "jp-jc-star",
    title: "JC-STAR: Labeling Scheme based on Japan Cyber-Security Technical Assessment Requirements",
    shortTitle: "Japan JC-STAR",
    publisher: "Information-technology Promotion Agency, Japan (IPA)",
    version: "2025-03",
    published: "2025-03",
    status: "final",
    description:
      "Japan's IoT security label: star 1 (★1), the minimum requirements common to IoT products, declared by the vendor; stars 2 to 4 are product-type profiles and are not catalogued. IDS AND OWN-WORDS TITLES ONLY: IPA's conformity criteria were not available; the items are the aims of star 1 as public sources summarise them.",
    source: {
      reference:
        "IPA, JC-STAR (セキュリティ要件適合評価及びラベリング制度), star 1 conformity criteria (not read); METI, IoT product security conformity assessment scheme policy (August 2024)",
      url: "https://www.ipa.go.jp/security/jc-star/",
      basis: `Hand-written by Cairn from: ${IPA}; ${ONELAB}. Generated by scripts/catalogs/asia-labels.ts.`,
      retrieved: "2026-12-01",
    },
    terms: "ids-only",
    license: "IPA publications are not openly licensed: Cairn's own short titles only.",
    verification: "to-verify",
    kinds: ["level", "requirement"],
    completeness: {
      status: "partial",
      gaps: [
        {
          kind: "missing",
          description:
            "The star 1 security requirements themselves (their identifiers, number and wording) as IPA's conformity criteria give them: no public copy was reached. The four items are the aims public summaries give, not the requirements.",
        },
        { kind: "missing", description: "Stars 2 to 4 (product-type criteria, third-party evaluation)." },
      ],
    },
    notes: [
      "Refs: star-1 for the level, star-1.<aim> for the aims public sources give for it. Applications for star 1 opened on 25 March 2025.",
      "Every item is to-verify: titles are Cairn's summaries, not IPA's text.",
    ],
  },
  jc,
);

writeOrCheckCatalogs("scripts/catalogs/asia-labels.ts", [
  ["catalogs/sg-cls.json", clsCatalog],
  ["catalogs/jp-jc-star.json", jcCatalog],
]);
