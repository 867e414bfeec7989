import type { CheckDefinition } from "../contract.js";

/** Every check the SBOM collector emits: stable ids (docs/collectors.md lists them from here). */
export const SBOM_CHECKS: readonly CheckDefinition[] = [
  { id: "sbom.json", description: "The input is UTF-8 JSON." },
  {
    id: "sbom.format",
    description: "The input is CycloneDX 1.4-1.7, SPDX 2.x or SPDX 3.x, in a version Cairn reads.",
  },
  {
    id: "sbom.schema",
    description:
      "The document is valid against its format's official JSON schema: CycloneDX 1.4-1.7, SPDX 2.2, 2.3, 3.0.1 (warn: another SPDX version, no official schema bundled).",
  },
  {
    id: "spdx.required",
    description:
      "SPDX 2.x: the mandatory document fields (spdxVersion, dataLicense CC0-1.0, SPDXID SPDXRef-DOCUMENT, name, documentNamespace, creationInfo.created, creators), non-empty. The 2.2 and 2.3 schemas check neither these values nor documentNamespace (nor, in 2.2, creators).",
  },
  { id: "sbom.components", description: "The SBOM lists at least one component." },
  {
    id: "sbom.primary",
    description:
      "The SBOM names the component it describes (CycloneDX metadata.component, SPDX documentDescribes / DESCRIBES / rootElement).",
  },
  {
    id: "sbom.product",
    description:
      "The described component is the product (model) and release (version) under assessment, when the context names them.",
  },
  {
    id: "sbom.manufacturer",
    description: "The described component's supplier is the product's manufacturer (warn).",
  },
  {
    id: "sbom.vex",
    description: "The SBOM carries vulnerability statements (CycloneDX vulnerabilities; info).",
  },
  { id: "ntia.supplier", description: "NTIA minimum elements: every component has a supplier name." },
  { id: "ntia.name", description: "NTIA minimum elements: every component has a name." },
  { id: "ntia.version", description: "NTIA minimum elements: every component has a version." },
  {
    id: "ntia.identifiers",
    description: "NTIA minimum elements: every component has another unique identifier (purl, CPE or SWID).",
  },
  {
    id: "ntia.dependencies",
    description:
      "NTIA minimum elements: dependency relationships are recorded, at least the described component's direct ones (warn when some components appear in none).",
  },
  {
    id: "ntia.author",
    description: "NTIA minimum elements: the SBOM names its author (person, organisation or tool).",
  },
  { id: "ntia.timestamp", description: "NTIA minimum elements: the SBOM has an ISO 8601 timestamp." },
  { id: "ref.duplicates", description: "No element id (bom-ref, SPDXID, spdxId) is declared twice." },
  {
    id: "ref.dependencies",
    description: "Every dependency reference (dependencies, relationships) names an element of the document.",
  },
  {
    id: "ref.references",
    description:
      "Every other reference (compositions, vulnerabilities.affects, documentDescribes, rootElement, suppliedBy) resolves.",
  },
  { id: "hash.present", description: "Every component has a hash (warn)." },
  { id: "hash.format", description: "Every hash value has its algorithm's length in hexadecimal." },
  { id: "hash.strength", description: "No component relies on MD5/SHA-1-class hashes alone (warn)." },
  { id: "licence.present", description: "Every component has licence information (warn)." },
  {
    id: "licence.ids",
    description: "Licence ids (alone or in expressions) are on the SPDX licence list or LicenseRef-s (warn).",
  },
  { id: "lifecycle.phase", description: "CycloneDX 1.5+ lifecycle phases of the SBOM (info)." },
  {
    id: "lifecycle.support-end",
    description:
      "The described component's declared support end (a property named end-of-support, end-of-life, support-end or eol) is not past, and agrees with the release's.",
  },
  {
    id: "lifecycle.component-support",
    description: "Components whose declared support ends before the product's (warn).",
  },
  { id: "cbom.assets", description: "Cryptographic assets (CycloneDX 1.6 CBOM) by asset type (info)." },
  {
    id: "cbom.weak-algorithms",
    description:
      "No cryptographic asset is a broken algorithm (MD5, SHA-1, DES, 3DES, RC4...) or below 112-bit classical security (warn).",
  },
  {
    id: "cbom.fips140-3",
    description:
      "FIPS 140-3 certification claims each name a CMVP certificate (externalReferences type certification-report).",
  },
  { id: "cbom.fips140-2", description: "Assets claiming FIPS 140-1/140-2 only (warn)." },
  { id: "bsi.format", description: "BSI TR-03183-2 v2.1.0 section 4: CycloneDX 1.6+ or SPDX 3.0.1+ (warn)." },
  {
    id: "bsi.sbom-creator",
    description: "TR-03183-2 5.2.1: the SBOM creator's e-mail address or URL (warn).",
  },
  { id: "bsi.timestamp", description: "TR-03183-2 5.2.1: timestamp (warn)." },
  {
    id: "bsi.sbom-uri",
    description: "TR-03183-2 5.2.1: SBOM URI (CycloneDX serialNumber, SPDX document id) (warn).",
  },
  {
    id: "bsi.component-creator",
    description: "TR-03183-2 5.2.2: each component creator's e-mail address or URL (warn).",
  },
  { id: "bsi.component-name", description: "TR-03183-2 5.2.2: component name (warn)." },
  { id: "bsi.component-version", description: "TR-03183-2 5.2.2: component version (warn)." },
  {
    id: "bsi.filename",
    description: "TR-03183-2 5.2.2: file name (CycloneDX property bsi:component:filename) (warn).",
  },
  { id: "bsi.dependencies", description: "TR-03183-2 5.2.2: dependencies are recorded (warn)." },
  {
    id: "bsi.distribution-licences",
    description: "TR-03183-2 5.2.2: distribution licences (CycloneDX acknowledgement concluded) (warn).",
  },
  {
    id: "bsi.original-licences",
    description: "TR-03183-2 5.2.2: original licences (CycloneDX acknowledgement declared) (warn).",
  },
  {
    id: "bsi.deployable-hash",
    description:
      "TR-03183-2 5.2.2: SHA-512 of the deployable form (CycloneDX distribution reference hashes) (warn).",
  },
  {
    id: "bsi.executable",
    description: "TR-03183-2 5.2.2: executable property (bsi:component:executable) (warn).",
  },
  { id: "bsi.archive", description: "TR-03183-2 5.2.2: archive property (bsi:component:archive) (warn)." },
  {
    id: "bsi.structured",
    description: "TR-03183-2 5.2.2: structured property (bsi:component:structured) (warn).",
  },
  { id: "bsi.source-uri", description: "TR-03183-2 5.2.2: source code URI (warn)." },
  { id: "bsi.deployable-uri", description: "TR-03183-2 5.2.2: URI of the deployable form (warn)." },
  {
    id: "bsi.identifiers",
    description: "TR-03183-2 5.2.2: other unique identifiers (CPE, SWID, purl) (warn).",
  },
  {
    id: "bsi.no-vulnerabilities",
    description: "TR-03183-2: the SBOM carries no vulnerability information (warn).",
  },
];
