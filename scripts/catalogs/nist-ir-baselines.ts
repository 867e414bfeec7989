// Generates the bundled catalogs of the NIST IoT baselines: NISTIR 8259A, NISTIR 8259B and NISTIR 8425.
//
// Usage: npx tsx scripts/catalogs/nist-ir-baselines.ts          (writes catalogs/nist-ir-*.json)
//        npx tsx scripts/catalogs/nist-ir-baselines.ts --check  (fails if a file is not up to date)
//
// The wording below is NIST's (public domain), transcribed from the publications and compared, item by
// item, with second copies found in public sources. Every item carries `verification` and, when checked,
// `props.checkedAgainst` naming the second copies (keys defined in SOURCES). See docs/catalogs/nist-ir-baselines.md.
// Typographic apostrophes are written as ASCII "'"; everything else is verbatim, including NIST's
// missing final periods on most list items.
import { readFileSync } from "node:fs";
import type { CatalogFile, CatalogItemRecord, Verification } from "../../src/catalog/model.js";
import { writeOrCheckCatalogs } from "./output.js";

const RETRIEVED = "2026-11-27";
const LICENSE = "Public domain (work of the US Government, NIST)";

/** Second copies the wording was compared with. */
const SOURCES = {
  "olir-8259a":
    "NIST OLIR (NIST IR 8204) focal-document text IoTDescription.txt, as served by nist.gov: 8259A definitions 1-4 and elements 1.1-4.2 (the stored copy stops inside element 4.3)",
  "olir-8259b":
    "NIST OLIR (NIST IR 8204) focal-document text 8259BDescription.txt, as served by nist.gov: the Documentation capability up to action 4.a (the stored copy stops inside 4.b)",
  "olir-8425":
    "NIST OLIR (NIST IR 8204) focal-document text ConIoTDesc.txt, as served by nist.gov: 8425 outcomes of Asset Identification to Interface Access Control and their sub-outcomes up to Data Protection 3 (the stored copy stops inside Interface Access Control 1)",
  "ietf-iotops-summary":
    "IETF Internet-Draft draft-ietf-iotops-security-summary-01 (B. Moran), which quotes the 8259A common elements of Device Configuration, Data Protection, Logical Access to Interfaces, Software Update and Cybersecurity State Awareness",
  "mcdermott-2021":
    "McDermott Will & Emery, 'NIST Guidance on Internet of Things (IoT)' (Feb. 2021, comparemela.com mirror), quoting the 8259A definitions of the first five capabilities",
  "hackmd-8259a":
    "hackmd.io/@mabubaker/SkGu0-ePO, a reader's transcription of NISTIR 8259A (Device Identification)",
  "summary-8259a-md":
    "A public Markdown summary of NISTIR 8259A (found through code search) quoting the capability definition of Cybersecurity State Awareness",
  "clarke-2022":
    "Peter A. Clarke, blog post of 19 Oct. 2022 on NIST IR 8425, quoting the Data Protection outcome and sub-outcomes 1-2",
} as const;
type SourceKey = keyof typeof SOURCES;

interface Spec {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  checked?: readonly SourceKey[];
  /** Props beyond checkedAgainst (e.g. where an item's structure or partial wording comes from). */
  props?: Record<string, string | boolean>;
  notes?: string;
}

function item(spec: Spec): CatalogItemRecord {
  const verification: Verification = spec.checked && spec.checked.length > 0 ? "checked" : "to-verify";
  const record: CatalogItemRecord = { ref: spec.ref, label: spec.label, kind: spec.kind, title: spec.title };
  if (spec.text !== undefined) record.text = spec.text;
  if (spec.parent !== undefined) record.parent = spec.parent;
  if (spec.checked && spec.checked.length > 0) record.props = { checkedAgainst: [...spec.checked] };
  if (spec.props) record.props = { ...record.props, ...spec.props };
  record.verification = verification;
  if (spec.notes !== undefined) record.notes = spec.notes;
  return record;
}

/** A list entry printed without a title: the title repeats NIST's text. */
function listEntry(
  ref: string,
  kind: string,
  parent: string,
  text: string,
  checked?: readonly SourceKey[],
  notes?: string,
): Spec {
  const spec: Spec = { ref, label: ref, kind, title: text, text, parent };
  if (checked) spec.checked = checked;
  if (notes) spec.notes = notes;
  return spec;
}

function sourceNotes(keys: readonly SourceKey[]): string[] {
  return keys.map((k) => `Second copy '${k}': ${SOURCES[k]}.`);
}

// --- NISTIR 8259A ---------------------------------------------------------------------------------

function nistIr8259a(): CatalogFile {
  const el = (ref: string, parent: string, text: string, checked: readonly SourceKey[]) =>
    listEntry(ref, "element", parent, text, checked);
  const sub = (ref: string, parent: string, text: string, checked: readonly SourceKey[]) =>
    listEntry(ref, "sub-element", parent, text, checked);
  const cap = (ref: string, name: string, definition: string, checked: readonly SourceKey[]): Spec => ({
    ref,
    label: name,
    kind: "capability",
    title: name,
    text: definition,
    checked,
  });
  const specs: Spec[] = [
    cap("1", "Device Identification", "The IoT device can be uniquely identified logically and physically.", [
      "olir-8259a",
      "mcdermott-2021",
    ]),
    el("1.1", "1", "A unique logical identifier", ["olir-8259a", "hackmd-8259a"]),
    el(
      "1.2",
      "1",
      "A unique physical identifier at an external or internal location on the device authorized entities can access",
      ["olir-8259a", "hackmd-8259a"],
    ),
    cap(
      "2",
      "Device Configuration",
      "The configuration of the IoT device's software can be changed, and such changes can be performed by authorized entities only.",
      ["olir-8259a", "mcdermott-2021"],
    ),
    el("2.1", "2", "The ability to change the device's software configuration settings", [
      "olir-8259a",
      "ietf-iotops-summary",
    ]),
    el("2.2", "2", "The ability to restrict configuration changes to authorized entities only", [
      "olir-8259a",
      "ietf-iotops-summary",
    ]),
    el(
      "2.3",
      "2",
      "The ability for authorized entities to restore the device to a secure configuration defined by an authorized entity",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    cap(
      "3",
      "Data Protection",
      "The IoT device can protect the data it stores and transmits from unauthorized access and modification.",
      ["olir-8259a", "mcdermott-2021"],
    ),
    el(
      "3.1",
      "3",
      "The ability to use demonstrably secure cryptographic modules for standardized cryptographic algorithms (e.g., encryption with authentication, cryptographic hashes, digital signature validation) to prevent the confidentiality and integrity of the device's stored and transmitted data from being compromised",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    el(
      "3.2",
      "3",
      "The ability for authorized entities to render all data on the device inaccessible by all entities, whether previously authorized or not (e.g., through a wipe of internal storage, destruction of cryptographic keys for encrypted data)",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    el(
      "3.3",
      "3",
      "Configuration settings for use with the Device Configuration capability including, but not limited to, the ability for authorized entities to configure the cryptography use itself, such as choosing a key length",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    cap(
      "4",
      "Logical Access to Interfaces",
      "The IoT device can restrict logical access to its local and network interfaces, and the protocols and services used by those interfaces, to authorized entities only.",
      ["olir-8259a", "mcdermott-2021"],
    ),
    el(
      "4.1",
      "4",
      "The ability to logically or physically disable any local and network interfaces that are not necessary for the core functionality of the device",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    el(
      "4.2",
      "4",
      "The ability to logically restrict access to each network interface to only authorized entities (e.g., device authentication, user authentication)",
      ["olir-8259a", "ietf-iotops-summary"],
    ),
    el(
      "4.3",
      "4",
      "Configuration settings for use with the Device Configuration capability including, but not limited to, the ability to enable, disable, and adjust thresholds for any ability the device might have to lock or disable an account or to delay additional authentication attempts after too many failed authentication attempts",
      ["ietf-iotops-summary"],
    ),
    cap(
      "5",
      "Software Update",
      "The IoT device's software can be updated by authorized entities only using a secure and configurable mechanism.",
      ["mcdermott-2021"],
    ),
    el(
      "5.1",
      "5",
      "The ability to update the device's software through remote (e.g., network download) and/or local means (e.g., removable media)",
      ["ietf-iotops-summary"],
    ),
    el("5.2", "5", "The ability to verify and authenticate any update before installing it", [
      "ietf-iotops-summary",
    ]),
    el(
      "5.3",
      "5",
      "The ability for authorized entities to roll back updated software to a previous version",
      ["ietf-iotops-summary"],
    ),
    el("5.4", "5", "The ability to restrict updating actions to authorized entities only", [
      "ietf-iotops-summary",
    ]),
    el("5.5", "5", "The ability to enable or disable updating", ["ietf-iotops-summary"]),
    el(
      "5.6",
      "5",
      "Configuration settings for use with the Device Configuration capability including, but not limited to:",
      ["ietf-iotops-summary"],
    ),
    sub(
      "5.6.a",
      "5.6",
      "The ability to configure any remote update mechanisms to be either automatically or manually initiated for update downloads and installations",
      ["ietf-iotops-summary"],
    ),
    sub(
      "5.6.b",
      "5.6",
      "The ability to enable or disable notification when an update is available and specify who or what is to be notified",
      ["ietf-iotops-summary"],
    ),
    cap(
      "6",
      "Cybersecurity State Awareness",
      "The IoT device can report on its cybersecurity state and make that information accessible to authorized entities only.",
      ["summary-8259a-md"],
    ),
    el("6.1", "6", "The ability to report the device's cybersecurity state", ["ietf-iotops-summary"]),
    el(
      "6.2",
      "6",
      "The ability to differentiate between when a device will likely operate as expected from when it may be in a degraded cybersecurity state",
      ["ietf-iotops-summary"],
    ),
    el(
      "6.3",
      "6",
      "The ability to restrict access to the state indicator so only authorized entities can view it",
      ["ietf-iotops-summary"],
    ),
    el(
      "6.4",
      "6",
      "The ability to prevent any entities (authorized or unauthorized) from editing the state except for those entities that are responsible for maintaining the device's state information",
      ["ietf-iotops-summary"],
    ),
    el(
      "6.5",
      "6",
      "The ability to make the state information available to a service on another device, such as an event/state log server",
      ["ietf-iotops-summary"],
    ),
  ];
  return {
    format: "cairn-catalog/1",
    catalog: {
      id: "nist-ir-8259a",
      title: "IoT Device Cybersecurity Capability Core Baseline",
      shortTitle: "NISTIR 8259A",
      publisher: "NIST",
      version: "2020-05",
      published: "2020-05",
      status: "final",
      description:
        "The six device cybersecurity capabilities of the IoT device cybersecurity capability core baseline, each with its one-sentence definition and its common elements (Table 1).",
      source: {
        reference:
          "Fagan M, Megas KN, Scarfone K, Smith M (2020) IoT Device Cybersecurity Capability Core Baseline. NIST Interagency or Internal Report (IR) 8259A, May 2020",
        url: "https://csrc.nist.gov/pubs/ir/8259/a/final",
        doi: "10.6028/NIST.IR.8259A",
        basis:
          "Generated by scripts/catalogs/nist-ir-baselines.ts from the working transcription shared/reference/nist/nistir-8259a-8259b-8425-transcription.md (Table 1 of NISTIR 8259A), every item compared with at least one second public copy (props.checkedAgainst; keys in the notes).",
        retrieved: RETRIEVED,
      },
      terms: "full-text",
      license: LICENSE,
      verification: "to-verify",
      completeness: { status: "complete" },
      kinds: ["capability", "element", "sub-element"],
      notes: [
        "Refs: capabilities are numbered 1-6 in NIST's order (label = the capability name as printed); element refs are '<capability>.<element number>' and sub-elements add NIST's letter (5.6.a).",
        "Element and sub-element entries have no printed title: their title repeats NIST's text.",
        "Typographic apostrophes are written as ASCII; the element texts have no final period, as NIST prints them.",
        "Publication month May 2020 (the exact day is not recorded here).",
        ...sourceNotes([
          "olir-8259a",
          "ietf-iotops-summary",
          "mcdermott-2021",
          "hackmd-8259a",
          "summary-8259a-md",
        ]),
      ],
    },
    items: specs.map(item),
  };
}

// --- NISTIR 8259B ---------------------------------------------------------------------------------

function nistIr8259b(): CatalogFile {
  const act = (ref: string, parent: string, text: string, checked?: readonly SourceKey[], notes?: string) =>
    listEntry(ref, "action", parent, text, checked, notes);
  const sub = (ref: string, parent: string, text: string, checked?: readonly SourceKey[]) =>
    listEntry(ref, "sub-action", parent, text, checked);
  const olir: readonly SourceKey[] = ["olir-8259b"];
  const specs: Spec[] = [
    {
      ref: "1",
      label: "Documentation",
      kind: "capability",
      title: "Documentation",
      text: "The ability for the manufacturer and/or the manufacturer's supporting entity, to create, gather, and store information relevant to cybersecurity of the IoT device prior to customer purchase, and throughout the development of a device and its subsequent lifecycle.",
      checked: olir,
    },
    act(
      "1.1",
      "1",
      "Document assumptions made during the development process and other expectations related to the IoT device, such as:",
      olir,
    ),
    sub("1.1.a", "1.1", "Expected customers and use cases", olir),
    sub("1.1.b", "1.1", "Physical use and characteristics", olir),
    sub("1.1.c", "1.1", "Network access and requirements (e.g., bandwidth requirements)", olir),
    sub("1.1.d", "1.1", "Data created and handled by the device", olir),
    sub(
      "1.1.e",
      "1.1",
      "Expected data inputs and outputs (including error codes, frequency, type/form, range of acceptable values, etc.)",
      olir,
    ),
    sub("1.1.f", "1.1", "Assumed cybersecurity requirements for the IoT device", olir),
    sub(
      "1.1.g",
      "1.1",
      "Laws and regulations with which the IoT device and related support activities comply",
      olir,
    ),
    sub(
      "1.1.h",
      "1.1",
      "Expected lifespan, anticipated cybersecurity costs related to the IoT device (e.g., price of maintenance), and term of support",
      olir,
    ),
    act(
      "1.2",
      "1",
      "Document the device cybersecurity capabilities, such as those detailed within NISTIR 8259A, that are implemented within the IoT device and how to configure and use them.",
      olir,
    ),
    act(
      "1.3",
      "1",
      "Document device design and support considerations related to the IoT device, such as:",
      olir,
      "NIST attaches footnote 4 (on Software Bills of Materials) to this action; footnotes are not transcribed.",
    ),
    sub(
      "1.3.a",
      "1.3",
      "IoT platform used in the development and operation of the IoT device and related documentation",
      olir,
    ),
    sub(
      "1.3.b",
      "1.3",
      "Protection of software and hardware components of the IoT device (e.g., secure boot, hardware root of trust, and secure enclave)",
      olir,
    ),
    sub(
      "1.3.c",
      "1.3",
      "Consideration of the known risks related to the IoT device and known potential misuses",
      olir,
    ),
    sub("1.3.d", "1.3", "Secure software development and supply chain practices used", olir),
    sub(
      "1.3.e",
      "1.3",
      "Accreditation, certification, and/or evaluation results for cybersecurity-related practices",
      olir,
    ),
    act("1.4", "1", "Document maintenance requirements for the IoT device, such as:", olir),
    sub(
      "1.4.a",
      "1.4",
      "Cybersecurity maintenance expectations and associated instructions or procedures for the customer (e.g., account management, local and/or remote maintenance activities, and vulnerability/patch management plan)",
      olir,
    ),
    sub(
      "1.4.b",
      "1.4",
      "When maintenance will be performed by supporting parties that will need access (remote or onsite) to customer's IoT devices and their information security contract requirements",
    ),
    sub(
      "1.4.c",
      "1.4",
      "Cybersecurity considerations of the maintenance process (e.g., how does customer data unrelated to the maintenance process remain confidential even to maintainers)",
    ),
    {
      ref: "2",
      label: "Information and Query Reception",
      kind: "capability",
      title: "Information and Query Reception",
      text: "The ability for the manufacturer and/or supporting entity to receive information and queries from the customer and others related to cybersecurity of the IoT device.",
    },
    act(
      "2.1",
      "2",
      "The ability for the manufacturer and/or supporting entity to receive maintenance and vulnerability information (e.g., bug reporting capabilities and bug bounty programs) from their customers and others in the IoT device ecosystem",
    ),
    act(
      "2.2",
      "2",
      "The ability for the manufacturer and/or supporting entity to respond to customer and third-party queries about cybersecurity of the IoT device (e.g., customer support).",
    ),
    {
      ref: "3",
      label: "Information Dissemination",
      kind: "capability",
      title: "Information Dissemination",
      text: "The ability for the manufacturer and/or supporting entity to broadcast and distribute (e.g., to the customer or others in the IoT device ecosystem) information related to cybersecurity of the IoT device.",
    },
    act(
      "3.1",
      "3",
      "The procedures to support the ability for the manufacturer and/or supporting entity to alert customers of the IoT device and others about cybersecurity relevant information such as:",
    ),
    sub(
      "3.1.a",
      "3.1",
      "Applicable documentation captured during the design and development of the IoT device",
    ),
    sub(
      "3.1.b",
      "3.1",
      "Software update terms of support (e.g., frequency of updates and mechanism(s) of application) and notice of availability and/or application of software updates",
    ),
    sub("3.1.c", "3.1", "End of term of support or functionality for the IoT device"),
    sub("3.1.d", "3.1", "Needed maintenance operations"),
    sub(
      "3.1.e",
      "3.1",
      "Cybersecurity and vulnerability alerts and information about resolution of any vulnerability",
    ),
    sub(
      "3.1.f",
      "3.1",
      "An overview of the information security practices and safeguards used by the manufacturer and/or supporting entity",
    ),
    sub(
      "3.1.g",
      "3.1",
      "Accreditation, certification, and/or evaluation results for the manufacturer and/or supporting entity's cybersecurity-related practices",
    ),
    sub(
      "3.1.h",
      "3.1",
      "A risk assessment report or summary for the manufacturer's business environment risk posture",
    ),
    act(
      "3.2",
      "3",
      "The procedures to support the ability for the manufacturer and/or supporting entity to notify customers of cybersecurity-related events and information related to an IoT device throughout the support lifecycle, such as:",
    ),
    sub("3.2.a", "3.2", "New IoT device vulnerabilities, associated details, and mitigation actions"),
    sub(
      "3.2.b",
      "3.2",
      "Breach discovery related to an IoT device used by the customers and explanations of how to make any associated fixes or actions to prevent similar breaches of other devices.",
    ),
    {
      ref: "4",
      label: "Education and Awareness",
      kind: "capability",
      title: "Education and Awareness",
      text: "The ability for the manufacturer and/or supporting entity to create awareness of and educate customers and others in the IoT device ecosystem about cybersecurity-related information, considerations, features, etc. of the IoT device.",
    },
    act(
      "4.1",
      "4",
      "Educate customers of the IoT device and others in the ecosystem about the presence and use of device cybersecurity capabilities. For example, it may be important to educate customers and others about:",
    ),
    sub("4.1.a", "4.1", "How to use device identifiers"),
    sub("4.1.b", "4.1", "How to change configuration settings"),
    sub("4.1.c", "4.1", "How to configure and use access control functionality"),
    sub(
      "4.1.d",
      "4.1",
      "How to use software update functionality, including aspects such as update validation and/or rollback that may be part of the device cybersecurity capability.",
    ),
    act(
      "4.2",
      "4",
      "Educate customers and others about how an IoT device can be securely reprovisioned or disposed of.",
    ),
    act(
      "4.3",
      "4",
      "Make customers and others aware of their cybersecurity responsibilities related to the IoT device and how responsibilities may be shared between them and others, such as the IoT device manufacturer. (e.g., related to maintenance of the IoT device)",
    ),
    act(
      "4.4",
      "4",
      "Make customers and others aware of key assumptions and expectations related to the cybersecurity of the IoT device that were documented, throughout the full lifecycle of use of the IoT devices, taking into consideration the purpose of the IoT device and the intended uses. Such assumptions should include key dependencies of the IoT device that impact cybersecurity (e.g., connectivity requirements and use of third-party services when in operation).",
    ),
    act(
      "4.5",
      "4",
      "Educate customers and others about how to back-up the data collected from or derived by the IoT device and how to access such data that is stored in cloud storage or other repositories.",
    ),
    act(
      "4.6",
      "4",
      "Educate customers and others about vulnerability management options (e.g., configuration and patch management and anti-malware) available for the IoT device or associated system that could be used by customers.",
    ),
  ];
  return {
    format: "cairn-catalog/1",
    catalog: {
      id: "nist-ir-8259b",
      title: "IoT Non-Technical Supporting Capability Core Baseline",
      shortTitle: "NISTIR 8259B",
      publisher: "NIST",
      version: "2021-08",
      published: "2021-08",
      status: "final",
      description:
        "The four non-technical supporting capabilities of the IoT non-technical supporting capability core baseline, each with its definition and its numbered common actions (Table 1).",
      source: {
        reference:
          "Fagan M, Marron J, Brady KG Jr, Cuthill BB, Megas KN, Herold R (2021) IoT Non-Technical Supporting Capability Core Baseline. NIST Interagency or Internal Report (IR) 8259B, August 2021",
        url: "https://csrc.nist.gov/pubs/ir/8259/b/final",
        doi: "10.6028/NIST.IR.8259B",
        basis:
          "Generated by scripts/catalogs/nist-ir-baselines.ts. Transcribed from Table 1 ('Non-Technical Supporting Capabilities') of the NISTIR 8259B PDF, read as a public text conversion of the PDF found through code search (shared/reference only has the capability definitions, worded differently from Table 1); the Documentation capability is compared with NIST's OLIR text (props.checkedAgainst). The Rationale and IoT Reference Examples columns and the footnotes are not transcribed.",
        retrieved: RETRIEVED,
      },
      terms: "full-text",
      license: LICENSE,
      verification: "to-verify",
      completeness: { status: "complete" },
      kinds: ["capability", "action", "sub-action"],
      notes: [
        "NISTIR 8259B calls the entries of Table 1 'common actions': kinds are capability / action / sub-action.",
        "Refs: capabilities 1-4 in NIST's order (label = the capability name); actions '<capability>.<number>', sub-actions add NIST's letter (1.1.a).",
        "Capability text is the definition printed in the first column of Table 1. The shorter definitions in shared/reference/nist/nistir-8259a-8259b-8425-transcription.md do not match Table 1 and were not used.",
        "Action entries have no printed title: their title repeats NIST's text. Emphasis (bold, italics) and footnote markers are dropped; final periods are kept or omitted as printed.",
        "Checked: the Documentation capability up to action 1.4.a. To verify against the PDF: 1.4.b, 1.4.c and the capabilities 2-4 with their actions.",
        ...sourceNotes(["olir-8259b"]),
      ],
    },
    items: specs.map(item),
  };
}

// --- NISTIR 8425 ----------------------------------------------------------------------------------

function nistIr8425(): CatalogFile {
  const cap = (
    ref: string,
    parent: string,
    name: string,
    outcome: string | undefined,
    checked?: readonly SourceKey[],
    notes?: string,
  ): Spec => {
    const spec: Spec = { ref, label: name, kind: "capability", title: name, parent };
    if (outcome !== undefined) spec.text = outcome;
    if (checked) spec.checked = checked;
    if (notes) spec.notes = notes;
    return spec;
  };
  const out = (
    ref: string,
    parent: string,
    capName: string,
    n: number,
    text: string,
    checked?: readonly SourceKey[],
    notes?: string,
  ): Spec => {
    const spec: Spec = { ref, label: `${capName} ${n}`, kind: "outcome", title: text, text, parent };
    if (checked) spec.checked = checked;
    if (notes) spec.notes = notes;
    return spec;
  };
  const noSubOutcomes =
    "8425 lists numbered sub-outcomes for this capability; no reliable second copy of their wording was found, so they are not transcribed yet.";
  // NIST CSWP 33 ipd lists the non-technical sub-outcomes "from NISTIR 8425", but in revised wording
  // ("IoT product manufacturer" where 8425 says "IoT product developer"): its structure is adopted,
  // its wording is kept in props.cswp33Wording and never used as 8425 text (review 2026-12).
  const CSWP33 =
    "NIST CSWP 33 ipd (2024-04-03), https://doi.org/10.6028/NIST.CSWP.33.ipd, section 'Non-technical Cybersecurity Outcome Considerations', which lists this sub-outcome from NIST IR 8425 (shared/reference/nist/found/nistir-8425-nontechnical-suboutcomes.as-quoted-in-nist-cswp-33-ipd.md)";
  const cswpNote =
    "Existence and numbering from NIST CSWP 33 ipd; the NIST IR 8425 wording is not transcribed (CSWP 33 ipd revises it, e.g. 'manufacturer' for 'developer'). props.cswp33Wording is CSWP 33's wording, for orientation only. Transcribe from the PDF.";
  const lead =
    "Existence from NIST CSWP 33 ipd, which gives only the lettered items under it; the lead-in wording of this sub-outcome is not in any copy found. Transcribe from the PDF.";
  const sub = (ref: string, parent: string, label: string, wording?: string, notes = cswpNote): Spec => ({
    ref,
    label,
    kind: "outcome",
    title: label,
    parent,
    props: { structureFrom: CSWP33, ...(wording ? { cswp33Wording: wording } : {}) },
    notes,
  });
  const lettered = (capRef: string, capName: string, n: number, lines: string[]): Spec[] => [
    sub(`${capRef}.${n}`, capRef, `${capName} ${n}`, undefined, lead),
    ...lines.map((w, i) => {
      const letter = String.fromCharCode(97 + i);
      return {
        ...sub(`${capRef}.${n}.${letter}`, `${capRef}.${n}`, `${capName} ${n}${letter}`, w),
        kind: "sub-outcome",
      };
    }),
  ];
  const D: Record<string, Spec[]> = {
    D1: lettered("D1", "Documentation", 1, [
      "Assumptions made during the development process and other expectations related to the IoT product.",
      "All IoT components, including but not limited to the IoT device, that are part of the IoT product.",
      "How the baseline product outcomes are met by the IoT product across its product components, including which baseline product outcomes are not met by IoT product components and why (e.g., the capability is not needed based on risk assessment).",
      "Product design and support considerations related to the IoT product.",
      "Maintenance requirements for the IoT product.",
      "The secure system lifecycle policies and processes associated with the IoT product.",
      "The vulnerability management policies and processes associated with the IoT product.",
    ]),
    D2: lettered("D2", "Information and Query Reception", 1, [
      "The ability of the IoT product manufacturer to identify a point of contact to receive maintenance and vulnerability information (e.g., bug reporting capabilities and bug bounty programs) from customers and others in the IoT product ecosystem (e.g., repair technician acting on behalf of the customer).",
      "The ability of the IoT product manufacturer to receive queries from and respond to customers and others in the IoT product ecosystem about the cybersecurity of the IoT product and/or its components.",
    ]),
    D3: [
      ...lettered("D3", "Information Dissemination", 1, [
        "Updated terms of support (e.g., frequency of updates and mechanism(s) of application) and notice of availability and/or application of software updates.",
        "End of term of support or functionality for the IoT product.",
        "Needed maintenance operations.",
        "New IoT device vulnerabilities, associated details, and mitigation actions needed from the customer.",
        "Breach discovery related to an IoT product and its product components used by the customers, associated details, and mitigation actions needed from the customer (if any).",
      ]),
      sub(
        "D3.2",
        "D3",
        "Information Dissemination 2",
        "The IoT product manufacturer can distribute information relevant to cybersecurity of the IoT product and its product components to alert appropriate ecosystem entities (e.g., IoT product component manufactures or supporting entities, common vulnerability tracking authorities, accreditors and certifiers, third-party support and maintenance organizations) about cybersecurity relevant information.",
      ),
    ],
    D4: [
      sub(
        "D4.1",
        "D4",
        "Product Education and Awareness 1",
        "The IoT product manufacturer creates awareness and provides education targeted at customers about information relevant to cybersecurity of the IoT product and its product components.",
        `${cswpNote} CSWP 33 ipd says this capability has one sub-outcome, further defined by five minimum criteria (the items below).`,
      ),
      ...[
        "The presence and use of IoT product cybersecurity capabilities.",
        "How to maintain the IoT product and its product components during its lifetime, including after the period of security support (e.g., delivery of software updates and patches) from the IoT product manufacturer.",
        "How an IoT product and its product components can be securely reprovisioned or disposed of.",
        "Vulnerability management options (e.g., configuration and patch management and anti-malware) available for the IoT product or its product components that could be used by customers.",
        "Additional information customers can use to make informed purchasing decisions about the security of the IoT product (e.g., the duration and scope of product support via software upgrades and patches).",
      ].map((w, i) => ({
        ...sub(`D4.1.${i + 1}`, "D4.1", `Product Education and Awareness 1, criterion ${i + 1}`, w),
        kind: "sub-outcome",
      })),
    ],
  };
  const specs: Spec[] = [
    {
      ref: "product",
      label: "IoT Product Capabilities",
      kind: "part",
      title: "IoT Product Capabilities",
      notes: "Part name to verify against the publication (NIST IR 8425, section 2).",
    },
    cap(
      "P1",
      "product",
      "Asset Identification",
      "The IoT product is uniquely identifiable and inventories all of the IoT product's components.",
      ["olir-8425"],
    ),
    out(
      "P1.1",
      "P1",
      "Asset Identification",
      1,
      "The IoT product can be uniquely identified by the customer and other authorized entities (e.g., the IoT product developer).",
    ),
    out(
      "P1.2",
      "P1",
      "Asset Identification",
      2,
      "The IoT product uniquely identifies each IoT product component and maintains an up-to-date inventory of connected product components.",
    ),
    cap(
      "P2",
      "product",
      "Product Configuration",
      "The configuration of the IoT product is changeable, there is the ability to restore a secure default setting, and any and all changes can only be performed by authorized individuals, services, and other IoT product components.",
      ["olir-8425"],
    ),
    out(
      "P2.1",
      "P2",
      "Product Configuration",
      1,
      "Authorized individuals (i.e., customer), services, and other IoT product components can change the configuration settings of the IoT product via one or more IoT product components.",
    ),
    out(
      "P2.2",
      "P2",
      "Product Configuration",
      2,
      "Authorized individuals (i.e., customer), services, and other IoT product components have the ability to restore the IoT product to a secure default (i.e., uninitialized) configuration.",
    ),
    out(
      "P2.3",
      "P2",
      "Product Configuration",
      3,
      "The IoT product applies configuration settings to applicable IoT components.",
    ),
    cap(
      "P3",
      "product",
      "Data Protection",
      "The IoT product protects data stored across all IoT product components and transmitted both between IoT product components and outside the IoT product from unauthorized access, disclosure, and modification.",
      ["olir-8425", "clarke-2022"],
    ),
    out(
      "P3.1",
      "P3",
      "Data Protection",
      1,
      "Each IoT product component protects data it stores via secure means.",
      ["olir-8425", "clarke-2022"],
    ),
    out(
      "P3.2",
      "P3",
      "Data Protection",
      2,
      "The IoT product has the ability to delete or render inaccessible stored data that are either collected from or about the customer, home, family, etc.",
      ["olir-8425", "clarke-2022"],
    ),
    out(
      "P3.3",
      "P3",
      "Data Protection",
      3,
      "When data are sent between IoT product components or outside the product, protections are used for the data transmission.",
      undefined,
      "Wording from NIST's OLIR text; the shared transcription ends '...for the data transmitted.' Verify the last word against the PDF.",
    ),
    cap(
      "P4",
      "product",
      "Interface Access Control",
      "The IoT product restricts logical access to local and network interfaces – and to protocols and services used by those interfaces – to only authorized individuals, services, and IoT product components.",
      undefined,
      `Wording (with en dashes) from NIST's OLIR text; the shared transcription uses commas instead of the dashes. Only the opening words of its first sub-outcome were found (P4.1); the others are not transcribed.`,
    ),
    {
      ref: "P4.1",
      label: "Interface Access Control 1",
      kind: "outcome",
      title: "Interface Access Control 1",
      parent: "P4",
      props: {
        truncated: true,
        sourceWording:
          "Each IoT product component controls access to and from all interfaces (e.g., local interfaces, whether externally accessible or not, network interfaces, protocols, and services) in order to limit access to only authorized",
        structureFrom:
          "NIST OLIR (NIST IR 8204) focal-document text ConIoTDesc.txt (shared/reference/nist/found/nistir-8425-olir-ConIoTDesc-partial.txt), truncated inside this sub-outcome",
      },
      notes:
        "The only copy found (NIST's OLIR text) stops inside this sub-outcome: props.sourceWording holds its opening words up to the last whole word, and the item has no text. Transcribe from the PDF.",
    },
    cap(
      "P5",
      "product",
      "Software Update",
      "The software of all IoT product components can be updated by authorized individuals, services, and other IoT product components only by using a secure and configurable mechanism, as appropriate for each IoT product component.",
      undefined,
      `Outcome from the shared transcription only. ${noSubOutcomes}`,
    ),
    cap(
      "P6",
      "product",
      "Cybersecurity State Awareness",
      "The IoT product supports detection of cybersecurity incidents affecting or affected by IoT product components and the data they store and transmit.",
      undefined,
      `Outcome from the shared transcription; a public secondary quotation agrees from 'supports detection' to the end. ${noSubOutcomes}`,
    ),
    {
      ref: "developer",
      label: "IoT Product Non-Technical Supporting Capabilities",
      kind: "part",
      title: "IoT Product Non-Technical Supporting Capabilities",
      notes: "Part name to verify against the publication (NIST IR 8425, section 2).",
    },
    ...(
      [
        ["D1", "Documentation"],
        ["D2", "Information and Query Reception"],
        ["D3", "Information Dissemination"],
        ["D4", "Product Education and Awareness"],
      ] as const
    ).flatMap(([ref, name]) => [
      cap(
        ref,
        "developer",
        name,
        undefined,
        undefined,
        "Capability name only: the outcome statement is not in any copy found. Its sub-outcomes below exist as NIST CSWP 33 ipd lists them; their 8425 wording is not transcribed.",
      ),
      ...(D[ref] ?? []),
    ]),
  ];
  return {
    format: "cairn-catalog/1",
    catalog: {
      id: "nist-ir-8425",
      title: "Profile of the IoT Core Baseline for Consumer IoT Products",
      shortTitle: "NIST IR 8425",
      publisher: "NIST",
      version: "2022-09",
      published: "2022-09",
      status: "final",
      description:
        "The consumer profile of NIST's IoT core baseline: six IoT product capabilities and four non-technical supporting capabilities, phrased as cybersecurity outcomes for the whole IoT product. PARTIAL: see the notes.",
      source: {
        reference:
          "Fagan M, Megas KN, Watrobski P, Marron J, Cuthill B (2022) Profile of the IoT Core Baseline for Consumer IoT Products. NIST Interagency or Internal Report (IR) 8425, September 2022",
        url: "https://csrc.nist.gov/pubs/ir/8425/final",
        doi: "10.6028/NIST.IR.8425",
        basis:
          "Generated by scripts/catalogs/nist-ir-baselines.ts from the shared transcription (capability names, outcomes) and NIST's OLIR text of the consumer profile (ConIoTDesc.txt, sub-outcomes of Asset Identification, Product Configuration and Data Protection); compared where a second copy exists (props.checkedAgainst).",
        retrieved: RETRIEVED,
      },
      terms: "full-text",
      license: LICENSE,
      verification: "to-verify",
      kinds: ["part", "capability", "outcome", "sub-outcome"],
      completeness: {
        status: "partial",
        gaps: [
          {
            kind: "missing",
            description:
              "The sub-outcomes of Interface Access Control (only the opening words of the first, P4.1, were found), Software Update and Cybersecurity State Awareness.",
          },
          {
            kind: "missing",
            description:
              "The outcome statements of the four non-technical capabilities (D1-D4), and the lead-in wording of Documentation 1, Information and Query Reception 1 and Information Dissemination 1.",
          },
          {
            kind: "missing",
            description:
              "The NIST IR 8425 wording of the 24 non-technical sub-outcome items: they are listed (from NIST CSWP 33 ipd, which revises the wording), without text.",
            source:
              "shared/reference/nist/found/nistir-8425-nontechnical-suboutcomes.as-quoted-in-nist-cswp-33-ipd.md",
          },
        ],
      },
      notes: [
        "PARTIAL CATALOG (see completeness). Missing: the sub-outcomes of Interface Access Control beyond the opening words of the first, those of Software Update and Cybersecurity State Awareness, the outcome statements of the four non-technical capabilities, and the 8425 wording of their sub-outcomes, which are listed from NIST CSWP 33 ipd without text. It must be transcribed from the PDF (https://doi.org/10.6028/NIST.IR.8425).",
        "Refs: product capabilities P1-P6 and non-technical capabilities D1-D4 in NIST's order; sub-outcomes '<capability>.<number>' (P3.2), labelled '<capability name> <number>' (e.g. 'Data Protection 2').",
        "Capability text is the outcome statement. Sub-outcome entries have no printed title: their title repeats NIST's text. Typographic apostrophes are written as ASCII.",
        ...sourceNotes(["olir-8425", "clarke-2022"]),
      ],
    },
    items: specs.map(item),
  };
}

// --- output ---------------------------------------------------------------------------------------

const builders: Record<string, () => CatalogFile> = {
  "catalogs/nist-ir-8259a.json": nistIr8259a,
  "catalogs/nist-ir-8259b.json": nistIr8259b,
  "catalogs/nist-ir-8425.json": nistIr8425,
};

writeOrCheckCatalogs(
  "scripts/catalogs/nist-ir-baselines.ts",
  Object.entries(builders).map(([file, build]) => [file, build()] as const),
);
