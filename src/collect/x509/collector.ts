/**
 * The device-identity collector as the registry sees it: kind, detection, check ids and options,
 * light to import. The checks (with @peculiar/x509) are in ./index.ts, loaded by `collect`.
 */
import type { CheckDefinition, Collector } from "../contract.js";
import { choiceOption, readOptionFiles } from "../support/option-files.js";
import { head } from "../support/report.js";
import { looksLikePem } from "./pem.js";

export const X509_CHECKS: readonly CheckDefinition[] = [
  { id: "x509.parse", description: "The input holds DER or PEM certificates that parse." },
  { id: "x509.version", description: "Every certificate is X.509 version 3." },
  {
    id: "x509.key",
    description: "Keys are RSA of at least 2048 bits, EC on P-256/P-384/P-521, Ed25519 or Ed448.",
  },
  { id: "x509.signature-algorithm", description: "Signatures use SHA-256 or stronger (no MD5, no SHA-1)." },
  {
    id: "x509.validity",
    description: "Each certificate is valid on the assessment date (Matter DACs: see matter.validity).",
  },
  {
    id: "x509.chain",
    description:
      "Each device certificate chains, with verified signatures, to a trust anchor the user supplied.",
  },
  { id: "x509.uniqueness.serial", description: "No two certificates of one issuer share a serial number." },
  { id: "x509.uniqueness.key", description: "No two device certificates share a public key." },
  { id: "x509.uniqueness.subject", description: "No two device certificates share a subject name." },
  {
    id: "matter.ids",
    description:
      "Matter vendor and product ids: present where the profile requires them, four upper-case hex digits, consistent along the chain.",
  },
  { id: "matter.algorithms", description: "Matter attestation certificates use ECDSA P-256 with SHA-256." },
  {
    id: "matter.dac.extensions",
    description:
      "DAC: basicConstraints critical CA false; keyUsage critical digitalSignature only; SKID and AKID present.",
  },
  {
    id: "matter.pai.extensions",
    description:
      "PAI: basicConstraints critical CA true pathLen 0; keyUsage critical keyCertSign and cRLSign only; SKID and AKID present.",
  },
  {
    id: "matter.paa.extensions",
    description:
      "PAA: basicConstraints critical CA true (pathLen at most 1); keyUsage critical keyCertSign and cRLSign only; SKID present.",
  },
  {
    id: "matter.validity",
    description:
      "The DAC's notBefore lies within the PAI's and PAA's validity (Matter judges the chain at the DAC's issuance).",
  },
  {
    id: "matter.test-root",
    description:
      "The chain does not end at a Matter test PAA nor use a test vendor id (0xFFF1-0xFFF4): such devices are not production devices.",
  },
  {
    id: "idevid.subject",
    description: "IDevID subject is non-empty and carries a serialNumber attribute (802.1AR 8.5).",
  },
  {
    id: "idevid.extensions",
    description:
      "IDevID: authorityKeyIdentifier present; not a CA; keyUsage, when present, allows digitalSignature.",
  },
  {
    id: "idevid.algorithms",
    description:
      "IDevID keys and signatures follow an 802.1AR suite: RSA-2048/SHA-256, ECDSA P-256/SHA-256 or P-384/SHA-384.",
  },
  {
    id: "idevid.hardware-module-name",
    description: "The subjectAltName carries a hardwareModuleName (info).",
  },
  {
    id: "idevid.validity",
    description: "notAfter is 99991231235959Z or later than the device's expected life (info).",
  },
];

export const x509Collector: Collector = {
  kind: "x509",
  title: "Device identity certificates (X.509: Matter DAC/PAI/PAA, IEEE 802.1AR IDevID)",
  checks: X509_CHECKS,
  options: [
    {
      name: "trust",
      arg: "<file>",
      description: "trust anchor certificates, PEM or DER (a Matter PAA, an IDevID root CA) (repeatable)",
      repeatable: true,
    },
    {
      name: "profile",
      arg: "<name>",
      description:
        "certificate profile: auto (default; Matter when a Matter vendor id is present), matter, idevid, generic",
    },
  ],

  async prepare(options) {
    choiceOption(options, "profile", ["auto", "matter", "idevid", "generic"]);
    return readOptionFiles(options, ["trust"]);
  },

  detect(bytes, name) {
    if (looksLikePem(bytes)) return 0.95;
    const start = head(bytes, 4);
    if (
      start.charCodeAt(0) === 0x30 &&
      start.charCodeAt(1) === 0x82 &&
      name &&
      /\.(der|crt|cer)$/i.test(name)
    )
      return 0.9;
    if (start.charCodeAt(0) === 0x30 && start.charCodeAt(1) === 0x82) return 0.3;
    return 0;
  },

  async collect(input, context) {
    const { collectX509 } = await import("./index.js");
    return collectX509(input, context);
  },
};
