// Builds catalogs/uk-psti.json: The Product Security and Telecommunications Infrastructure (Security
// Requirements for Relevant Connectable Products) Regulations 2023 (SI 2023/1007), the security
// requirements made under Part 1 of the PSTI Act 2022. UK legislation: Crown copyright, reproduced
// under the Open Government Licence v3.0 (attribution below).
//
// Text is transcribed from legislation.gov.uk (the "made" version) as read through the project's
// search tool; passages that were not read are catalogued without text and flagged to-verify.
//
// Usage: npx tsx scripts/catalogs/uk-psti.ts [--check]
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

const APPLIES = "2024-04-29";
const SRC = {
  sch1: "https://www.legislation.gov.uk/uksi/2023/1007/schedule/1/made",
  sch1p1: "https://legislation.gov.uk/uksi/2023/1007/schedule/1/paragraph/1/made",
  sch2: "https://legislation.gov.uk/uksi/2023/1007/schedule/2",
  body: "https://legislation.gov.uk/uksi/2023/1007/body/made",
  draftBody: "https://legislation.gov.uk/cy/ukdsi/2023/9780348249767/body",
};

const items: Item[] = [
  {
    ref: "regs",
    label: "Regulations",
    kind: "part",
    title: "The Regulations (regulations 1 to 6)",
    verification: "to-verify",
  },
  {
    ref: "reg-1.2",
    label: "Regulation 1(2)",
    kind: "paragraph",
    title: "Commencement and extent",
    text: "These Regulations come into force on 29th April 2024 and extend to England and Wales, Scotland and Northern Ireland.",
    parent: "regs",
    props: { appliesFrom: APPLIES },
    verification: "checked",
    notes: `Read on ${SRC.body}; the same wording in the draft instrument ${SRC.draftBody} (a second text, same publisher).`,
  },
  {
    ref: "reg-2.1",
    label: "Regulation 2(1)",
    kind: "paragraph",
    title: "Interpretation: defined support period, ETSI EN 303 645, ISO/IEC 29147 and other terms",
    text: [
      "In these Regulations—",
      "“defined support period” means the minimum length of time, expressed as a period of time with an end date, for which security updates will be provided;",
      "“ETSI EN 303 645” means the European Standard on Cyber Security for Consumer Internet of Things: Baseline Requirements (ETSI EN 303 645 V2.1.1 (19th June 2020));",
      "“hardware” means a physical electronic information system, or parts thereof, capable of processing, storing or transmitting digital data;",
      "“ISO/IEC 29147” means the ISO/IEC 29147:2018 Information technology - Security techniques - Vulnerability disclosure standard (2nd edition, 2018);",
      "“manufacturer’s intended purpose” means the use for which the product is intended according to the data provided by the manufacturer, including on the label, in the instructions for use, or in promotional or sales materials or statements;",
      "“security update” means a software update that protects or enhances the security of a product, including a software update that addresses security issues which have been discovered by or reported to the manufacturer.",
    ].join("\n"),
    parent: "regs",
    verification: "checked",
    notes: `Read on ${SRC.body}; the same wording in the draft instrument ${SRC.draftBody} (a second text, same publisher); footnote markers dropped.`,
  },
  {
    ref: "sch-1",
    label: "Schedule 1",
    kind: "part",
    title: "Security requirements for manufacturers",
    verification: "to-verify",
    notes: `Heading as printed on ${SRC.sch1} (regulation 3).`,
  },
  {
    ref: "sch-1.1",
    label: "Schedule 1, paragraph 1",
    kind: "requirement",
    title: "Passwords",
    text: [
      "(1) The following sub-paragraphs apply to—",
      "(a) hardware of the product when that product is not in the factory default state;",
      "(b) software which is pre-installed on the product at the point at which the product is supplied to a customer when the product is not in the factory default state;",
      "(c) software which is not pre-installed on the product at the point at which the product is supplied to a customer and which must be installed on the product for all manufacturer’s intended purposes of the product that use—",
      "(i) hardware;",
      "(ii) software that is pre-installed at the point at which the product is supplied to a customer; or",
      "(iii) software that is installable.",
      "(2) Passwords must be—",
      "(a) unique per product; or",
      "(b) defined by the user of the product.",
      "(3) Passwords which are unique per product must not be—",
      "(a) based on incremental counters;",
      "(b) based on or derived from publicly available information;",
      "(c) based on or derived from unique product identifiers, such as serial numbers, unless this is done using an encryption method, or keyed hashing algorithm, that is accepted as part of good industry practice;",
      "(d) otherwise guessable in a manner unacceptable as part of good industry practice.",
      "(4) In this paragraph, passwords do not include—",
      "(a) cryptographic keys;",
      "(b) personal identification numbers used for pairing in communication protocols which do not form part of the internet protocol suite; or",
      "(c) application programming interface keys.",
    ].join("\n"),
    parent: "sch-1",
    props: {
      assessable: true,
      appliesFrom: APPLIES,
      deemedCompliance: ["etsi-en-303-645:5.1-1", "etsi-en-303-645:5.1-2"],
    },
    verification: "to-verify",
    notes: `Sub-paragraphs (1) to (4) read on ${SRC.sch1} and ${SRC.sch1p1} (the same publisher and page source: not independent copies; a secondary summary, ukrise.org, paraphrases (2) and (3)). Sub-paragraph (5) (definitions of application programming interface key and other terms) was not read and is not reproduced.`,
  },
  {
    ref: "sch-1.2",
    label: "Schedule 1, paragraph 2",
    kind: "requirement",
    title: "Information on how to report security issues",
    parent: "sch-1",
    props: { assessable: true, appliesFrom: APPLIES, deemedCompliance: ["etsi-en-303-645:5.2-1"] },
    verification: "to-verify",
    notes: `The text of this paragraph was not read: transcribe it from ${SRC.sch1}. Public summaries (ukrise.org, dlapiper.com, technologylawdispatch.com) describe it as information on how to report security issues to the manufacturer, at least one point of contact, and the timescales for acknowledgement and status updates.`,
  },
  {
    ref: "sch-1.3",
    label: "Schedule 1, paragraph 3",
    kind: "requirement",
    title: "Information on minimum security update periods",
    parent: "sch-1",
    props: { assessable: true, appliesFrom: APPLIES, deemedCompliance: ["etsi-en-303-645:5.3-13"] },
    verification: "to-verify",
    notes: `The text of this paragraph was not read: transcribe it from ${SRC.sch1}. It requires the defined support period (regulation 2(1)) to be published; the heading is as public summaries (ukrise.org) give it. The Amendment Regulations 2025 are reported to clarify this paragraph (legislationtracker.co.uk): check the current version.`,
  },
  {
    ref: "sch-2",
    label: "Schedule 2",
    kind: "part",
    title: "Conditions for Deemed Compliance with Security Requirements",
    verification: "to-verify",
    notes: `Heading as printed on ${SRC.sch2} (regulation 4).`,
  },
  {
    ref: "sch-2.1",
    label: "Schedule 2, paragraph 1",
    kind: "paragraph",
    title: "Passwords: deemed compliance through EN 303 645 5.1-1 and 5.1-2",
    text: [
      "(1) A manufacturer is to be treated as complying with the security requirement at paragraph 1 of Schedule 1 where the condition in sub-paragraph (2) is met.",
      "(2) The condition is that the manufacturer complies with provision 5.1-1 of ETSI EN 303 645 and, where relevant, provision 5.1-2 of ETSI EN 303 645 as if those provisions apply to the categories of hardware and software specified in paragraph 1(1) of Schedule 1.",
    ].join("\n"),
    parent: "sch-2",
    props: { deemed: "uk-psti:sch-1.1", via: ["etsi-en-303-645:5.1-1", "etsi-en-303-645:5.1-2"] },
    verification: "to-verify",
    notes: `Read on ${SRC.sch2} (current version: 'no known outstanding effects').`,
  },
  {
    ref: "sch-2.2",
    label: "Schedule 2, paragraph 2",
    kind: "paragraph",
    title: "Reporting security issues: deemed compliance through EN 303 645 5.2-1 or ISO/IEC 29147",
    text: [
      "(1) A manufacturer is to be treated as complying with the security requirement at paragraph 2 of Schedule 1 where the condition in sub-paragraph (2) is met.",
      "(2) The condition is that the manufacturer complies with—",
      "(a) provision 5.2-1 of ETSI EN 303 645; or",
      "(b) subject to sub-paragraphs (3) and (4), the following paragraphs of ISO/IEC 29147—",
      "(i) paragraph 6.2.2;",
      "(ii) paragraph 6.2.5; and",
      "(iii) paragraph 6.5",
      "as if the provision of ETSI EN 303 645 or the paragraphs of ISO/IEC29147 apply to the categories of hardware and software specified in paragraph 2(1) of Schedule 1.",
    ].join("\n"),
    parent: "sch-2",
    props: {
      deemed: "uk-psti:sch-1.2",
      via: ["etsi-en-303-645:5.2-1", "ISO/IEC 29147:2018 6.2.2, 6.2.5, 6.5"],
    },
    verification: "to-verify",
    notes: `Sub-paragraphs (1) and (2) read on ${SRC.sch2}; sub-paragraphs (3) and (4), on which the ISO/IEC 29147 route depends, were not read.`,
  },
  {
    ref: "sch-2.3",
    label: "Schedule 2, paragraph 3",
    kind: "paragraph",
    title: "Minimum security update periods: deemed compliance (to transcribe)",
    parent: "sch-2",
    props: { deemed: "uk-psti:sch-1.3" },
    verification: "to-verify",
    notes: `Not read. Public summaries report a deemed-compliance route through EN 303 645 provision 5.3-13 (publishing the defined support period); transcribe from ${SRC.sch2} before relying on it.`,
  },
];

const catalog = {
  format: "cairn-catalog/1",
  catalog: {
    id: "uk-psti",
    title:
      "The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations 2023",
    shortTitle: "UK PSTI Regulations 2023",
    publisher: "UK Government (Department for Science, Innovation and Technology); legislation.gov.uk",
    version: "2023-1007",
    published: "2023-09",
    status: "final",
    description:
      "The security requirements for manufacturers of relevant connectable products made available to consumers in the United Kingdom (Schedule 1: passwords, information on how to report security issues, information on minimum security update periods) and the conditions for deemed compliance (Schedule 2: EN 303 645 provisions 5.1-1, 5.1-2, 5.2-1 and, reportedly, 5.3-13; ISO/IEC 29147), made under Part 1 of the Product Security and Telecommunications Infrastructure Act 2022. In force from 29 April 2024.",
    source: {
      reference:
        "SI 2023/1007, The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations 2023 (made under the Product Security and Telecommunications Infrastructure Act 2022, c. 46)",
      url: "https://www.legislation.gov.uk/uksi/2023/1007/contents/made",
      basis:
        "Transcribed by hand from legislation.gov.uk pages (the made version and the current Schedule 2) as read through the project's search tool, with their URLs in each item's notes; generated by scripts/catalogs/uk-psti.ts. Paragraphs that were not read carry no text.",
      retrieved: "2026-12-01",
    },
    terms: "full-text",
    license:
      "Contains public sector information licensed under the Open Government Licence v3.0 (Crown copyright; source: legislation.gov.uk).",
    verification: "to-verify",
    kinds: ["part", "paragraph", "requirement"],
    completeness: {
      status: "partial",
      gaps: [
        {
          kind: "missing",
          description:
            "The text of Schedule 1 paragraphs 2 and 3, Schedule 1 paragraph 1(5), Schedule 2 paragraph 2(3)-(4) and paragraph 3, regulations 3 to 6 and Schedules 3 (excepted products) and 4 (statement of compliance).",
        },
        {
          kind: "reported",
          description:
            "The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) (Amendment) Regulations 2025 reportedly clarify the information on minimum security update periods and add vehicle exceptions; not applied here.",
        },
      ],
    },
    notes: [
      "Contains public sector information licensed under the Open Government Licence v3.0. Source: legislation.gov.uk. Only the legislation as published there is authoritative.",
      "Version 2023-1007 is the SI as made; published is the month of making as reported (September 2023), to verify. props.appliesFrom is the commencement date, 29 April 2024 (regulation 1(2)).",
      "Schedule 1 paragraphs are the assessable requirements (kind requirement); props.deemedCompliance names the EN 303 645 provisions Schedule 2 treats as compliance. Crosswalk etsi-en-303-645--uk-psti records those routes.",
      "The duties to comply, the statement of compliance and enforcement are in the Act (Part 1) and regulations 5-6 and Schedule 4, which are not catalogued.",
    ],
  },
  items,
};

writeOrCheckCatalogs("scripts/catalogs/uk-psti.ts", [["catalogs/uk-psti.json", catalog]]);
