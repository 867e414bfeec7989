/**
 * The device-identity collector: X.509 certificates of a device or a batch of units, checked
 * against the generic rules (version, key, signature algorithm, validity, chain to a trust anchor
 * the user supplies), the Matter device attestation profile (DAC -> PAI -> PAA, Matter Core
 * section 6.2) or the IEEE 802.1AR IDevID profile, and for uniqueness across the batch (serial
 * numbers per issuer, public keys, subjects).
 */

import { createHash, X509Certificate as NodeX509 } from "node:crypto";
import { CairnError } from "../../core/problem.js";
import type {
  Collector,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
  CollectorReport,
} from "../contract.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  dayStart,
  optionBytes,
  optionString,
} from "../support/report.js";
import { X509_CHECKS, x509Collector as x509Descriptor } from "./collector.js";
import {
  attribute,
  KU,
  keyInfo,
  matterId,
  OID,
  type Roles,
  rolesOf,
  signatureAlgorithm,
  tbsFields,
} from "./profile.js";
import { quickRead } from "./quick-read.js";
import { parseCertificate, type ReadCertificate, splitCertificates } from "./read.js";

export { X509_CHECKS };

const TOOL = { name: "cairn x509 collector (@peculiar/x509 2.2.0)", version: CAIRN_COLLECTOR_VERSION };
const MAX_REPORTED = 200;

/** Subject key identifiers of the Matter test PAAs (as published with the Matter SDK and matter.js). */
export const MATTER_TEST_PAA_SKIDS: Readonly<Record<string, string>> = {
  "785ce705b86b8f4e6fc793aa60cb43ea696882d5": "Matter Test PAA (no vendor id)",
  "6afd22771f511fecbf1641976710dcdc31a1717e": "Matter Test PAA (vendor id FFF1)",
};
const TEST_VIDS = new Set(["FFF1", "FFF2", "FFF3", "FFF4"]);
const FOREVER = Date.UTC(9999, 11, 31, 23, 59, 59);

interface Entry {
  index: number;
  der: Uint8Array;
  error?: string;
  /** As OpenSSL prints them (multi-line subject and issuer, serial in hex). */
  subject: string;
  issuer: string;
  serialNumber: string;
  version: number;
  key?: ReturnType<typeof keyInfo>;
  notBefore: number;
  notAfter: number;
  /** OpenSSL's X509_check_ca; undefined until asked when quickRead left it open. */
  ca?: boolean;
  issuerEntry?: Entry;
  anchor: boolean;
  role: "dac" | "pai" | "paa" | "device" | "ca";
  /** OpenSSL's reading (node:crypto), made when a check needs it (chains, CA flags). */
  openssl?: NodeX509;
  /** @peculiar/x509's reading, for the profile checks (extensions, attributes): made on demand. */
  detail?: ReadCertificate;
  roles?: Roles;
}

function hex(b: Uint8Array | ArrayBuffer): string {
  return Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString("hex");
}

/**
 * Each certificate read once: the common shape by quickRead (a few microseconds), the rest by
 * OpenSSL (about 170 us each), which also gives the parse errors their wording.
 */
function entriesOf(bytes: Uint8Array, anchor: boolean): Entry[] {
  return splitCertificates(bytes).map((der, index) => {
    const e: Entry = {
      index,
      der,
      anchor,
      role: "device",
      version: 0,
      notBefore: 0,
      notAfter: 0,
      subject: "",
      issuer: "",
      serialNumber: "",
    };
    const quick = quickRead(der);
    if (quick) {
      e.version = quick.version;
      e.key = keyInfo(quick.spki, createHash("sha256").update(quick.spki).digest("hex"));
      e.notBefore = quick.notBefore;
      e.notAfter = quick.notAfter;
      e.subject = quick.subject;
      e.issuer = quick.issuer;
      e.serialNumber = quick.serialNumber;
      if (quick.ca === false) e.ca = false;
      return e;
    }
    try {
      const node = new NodeX509(der);
      const fields = tbsFields(der);
      if (!fields) throw new Error("unreadable TBSCertificate");
      e.version = fields.version;
      e.key = keyInfo(fields.spki, createHash("sha256").update(fields.spki).digest("hex"));
      e.notBefore = Date.parse(node.validFrom);
      e.notAfter = Date.parse(node.validTo);
      if (Number.isNaN(e.notBefore) || Number.isNaN(e.notAfter))
        throw new Error(`unreadable validity (${node.validFrom} - ${node.validTo})`);
      e.subject = node.subject;
      e.issuer = node.issuer;
      e.serialNumber = node.serialNumber;
      e.openssl = node;
    } catch (err) {
      e.error = (err as Error).message || String(err);
    }
    return e;
  });
}

/** OpenSSL's reading of a certificate that parsed (quickRead's contract: OpenSSL parses it too). */
function openssl(e: Entry): NodeX509 {
  if (!e.openssl) e.openssl = new NodeX509(e.der);
  return e.openssl;
}

function isCa(e: Entry): boolean {
  if (e.ca === undefined) e.ca = openssl(e).ca;
  return e.ca;
}

/** The @peculiar/x509 reading of a certificate, parsed once when a profile check needs it. */
function detail(e: Entry): ReadCertificate {
  if (!e.detail) {
    e.detail = parseCertificate(e.der, e.index);
    if (e.detail.cert) e.roles = rolesOf(e.detail.cert);
  }
  return e.detail;
}

function label(e: Entry): string {
  return `${e.anchor ? "trust anchor" : "certificate"} ${e.index}`;
}

function isMatter(e: Entry): boolean {
  const subject = e.subject;
  return subject.includes(`${OID.matterVid}=`) || /Mvid:[0-9A-F]{4}/.test(subject);
}

/** Finds each certificate's issuer among the bundle and the anchors (OpenSSL's issuer check: name and key identifiers). */
function link(all: Entry[]): void {
  const bySubject = new Map<string, Entry[]>();
  for (const e of all) {
    const list = bySubject.get(e.subject) ?? [];
    list.push(e);
    bySubject.set(e.subject, list);
  }
  for (const e of all) {
    if (e.subject === e.issuer) continue;
    const candidates = bySubject.get(e.issuer);
    if (!candidates) continue;
    const match = candidates.find((i) => i !== e && isCa(i) && openssl(e).checkIssued(openssl(i)));
    if (match) e.issuerEntry = match;
  }
}

function verifySignature(e: Entry, issuer: Entry): boolean {
  try {
    return openssl(e).verify(openssl(issuer).publicKey);
  } catch {
    return false;
  }
}

/** The checks, imported here (with @peculiar/x509): the registry loads the light ./collector.js. */
export function collectX509(input: CollectorInput, context: CollectorContext): CollectorReport {
  const checks = new CheckList(X509_CHECKS);
  const profileOption = optionString(context.options, "profile") ?? "auto";
  if (!["auto", "matter", "idevid", "generic"].includes(profileOption))
    throw new CairnError(`--profile: "${profileOption}" is not one of auto, matter, idevid, generic`);
  const given = entriesOf(input.bytes, false);
  const anchors = optionBytes(context.options, "trust").flatMap((b) => entriesOf(b, true));
  anchors.forEach((a, i) => {
    a.index = i;
  });
  if (given.length === 0) {
    checks.fail(
      "x509.parse",
      "no certificate found (expected PEM CERTIFICATE blocks or one DER certificate)",
    );
    return buildReport("x509", "x509", false, checks, [], input, TOOL);
  }
  const tally: Tally = (id, bad, good) => {
    for (const m of bad.slice(0, MAX_REPORTED)) checks.fail(id, m);
    if (bad.length > MAX_REPORTED) checks.fail(id, `${bad.length - MAX_REPORTED} more not listed`);
    if (bad.length === 0) checks.pass(id, good);
  };
  const broken = [...given, ...anchors].filter((e) => e.error);
  tally(
    "x509.parse",
    broken.map((e) => `${label(e)} does not parse: ${e.error}`),
    `${given.length} certificates${anchors.length ? `, ${anchors.length} trust anchors` : ""}`,
  );
  const ok = given.filter((e) => !e.error);
  const okAnchors = anchors.filter((e) => !e.error);
  const all = [...ok, ...okAnchors];
  link(all);

  const matter = profileOption === "matter" || (profileOption === "auto" && ok.some(isMatter));
  const idevid = profileOption === "idevid";
  for (const e of all) {
    if (!isCa(e)) e.role = matter ? "dac" : "device";
    else if (matter) e.role = e.subject === e.issuer || e.anchor ? "paa" : "pai";
    else e.role = "ca";
  }
  const devices = ok.filter((e) => e.role === "dac" || e.role === "device");
  const date = dayStart(context.date).getTime();

  tally(
    "x509.version",
    all.filter((e) => e.version !== 3).map((e) => `${label(e)} is version ${e.version}`),
    "version 3",
  );
  tally(
    "x509.key",
    all.filter((e) => e.key?.weak).map((e) => `${label(e)}: ${keyText(e)} is too weak for a device identity`),
    [...new Set(all.map(keyText))].join(", "),
  );
  const sigs = all.map((e) => ({ e, s: signatureAlgorithm(e.der) }));
  tally(
    "x509.signature-algorithm",
    sigs.filter((x) => x.s.weak).map((x) => `${label(x.e)} is signed with ${x.s.name}`),
    [...new Set(sigs.map((x) => x.s.name))].join(", "),
  );
  // Matter judges a DAC at its issuance (matter.validity), not on the assessment date.
  const outOfDate = ok.filter(
    (e) => !(matter && e.role === "dac") && (e.notBefore > date || e.notAfter < date),
  );
  tally(
    "x509.validity",
    outOfDate.map((e) =>
      e.notAfter < date
        ? `${label(e)} expired on ${new Date(e.notAfter).toISOString()}, before ${context.date}`
        : `${label(e)} is not valid before ${new Date(e.notBefore).toISOString()}`,
    ),
    `every certificate is valid on ${context.date}`,
  );

  // Chains: each device certificate up to a supplied trust anchor, signatures verified.
  const chainProblems: string[] = [];
  let anchored = 0;
  const anchorDer = new Set(okAnchors.map((a) => hex(a.der)));
  // Without a trust anchor the outcome is a warning whatever the chains: no walk, no signature checks.
  for (const d of okAnchors.length > 0 ? devices : []) {
    let cur: Entry = d;
    const seen = new Set<Entry>();
    let problem: string | undefined;
    while (!cur.anchor) {
      if (seen.has(cur) || seen.size > 16) {
        problem = `${label(d)}: the chain loops`;
        break;
      }
      seen.add(cur);
      if (cur.subject === cur.issuer) {
        // A root that came in the bundle counts only if the same certificate is a supplied anchor.
        if (!anchorDer.has(hex(cur.der)))
          problem = `${label(d)}: its chain ends at ${label(cur)}, which is not a supplied trust anchor`;
        break;
      }
      const issuer = cur.issuerEntry;
      if (!issuer) {
        problem = `${label(d)}: no issuer found for ${label(cur)} (${cur.issuer.replaceAll("\n", ", ")})`;
        break;
      }
      if (!verifySignature(cur, issuer)) {
        problem = `${label(d)}: the signature of ${label(cur)} does not verify with ${label(issuer)}`;
        break;
      }
      cur = issuer;
    }
    if (problem) chainProblems.push(problem);
    else anchored++;
  }
  if (okAnchors.length === 0)
    checks.warn("x509.chain", "no trust anchor supplied (option trust): chains were not verified to a root");
  else tally("x509.chain", chainProblems, `${anchored} device certificates chain to a supplied trust anchor`);

  // Uniqueness across the batch: one Map pass per property.
  const dup = (items: { key: string; e: Entry }[], what: string): string[] => {
    const seen = new Map<string, Entry>();
    const out: string[] = [];
    for (const { key, e } of items) {
      const first = seen.get(key);
      if (first) out.push(`${label(e)} has the same ${what} as ${label(first)}`);
      else seen.set(key, e);
    }
    return out;
  };
  tally(
    "x509.uniqueness.serial",
    dup(
      ok.map((e) => ({ key: `${e.issuer}\u0000${e.serialNumber}`, e })),
      "issuer and serial number",
    ),
    `${ok.length} distinct serial numbers per issuer`,
  );
  tally(
    "x509.uniqueness.key",
    dup(
      devices.map((e) => ({ key: e.key?.spkiSha256 ?? "", e })),
      "public key",
    ),
    `${devices.length} device certificates, ${devices.length} distinct public keys`,
  );
  const subjects = dup(
    devices.map((e) => ({ key: e.subject, e })),
    "subject",
  );
  for (const m of subjects.slice(0, MAX_REPORTED)) checks.warn("x509.uniqueness.subject", m);
  if (subjects.length === 0) checks.pass("x509.uniqueness.subject", `${devices.length} distinct subjects`);

  if (matter) checkMatter(all, devices, tally);
  if (idevid) checkIdevid(devices, checks, tally);

  const format = matter ? "x509-matter-attestation" : idevid ? "x509-ieee-802.1ar-idevid" : "x509";
  return buildReport(
    "x509",
    format,
    broken.length === 0,
    checks,
    propose(checks, devices.length),
    input,
    TOOL,
    {
      certificates: [...given, ...anchors].slice(0, 1000).map(describe),
      count: given.length,
      devices: devices.length,
    },
  );
}

function keyText(e: Entry): string {
  const k = e.key;
  if (!k) return "unknown key";
  return `${k.type}${k.curve ? ` ${k.curve}` : k.bits ? ` ${k.bits} bits` : ""}`;
}

function describe(e: Entry): Record<string, unknown> {
  if (e.error) return { index: e.index, anchor: e.anchor || undefined, error: e.error };
  return {
    index: e.index,
    role: e.role,
    anchor: e.anchor || undefined,
    subject: e.subject.replaceAll("\n", ", "),
    issuer: e.issuer.replaceAll("\n", ", "),
    serialNumber: e.serialNumber,
    notBefore: new Date(e.notBefore).toISOString(),
    notAfter: new Date(e.notAfter).toISOString(),
    key: e.key && { type: e.key.type, bits: e.key.bits, curve: e.key.curve },
    spkiSha256: e.key?.spkiSha256,
  };
}

type Tally = (id: string, bad: string[], good: string) => void;

function checkMatter(all: Entry[], devices: Entry[], tally: Tally): void {
  const idProblems: string[] = [];
  const extProblems: Record<"dac" | "pai" | "paa", string[]> = { dac: [], pai: [], paa: [] };
  const algProblems: string[] = [];
  const validity: string[] = [];
  const testRoot: string[] = [];
  const certOf = (e: Entry | undefined) => (e ? detail(e).cert : undefined);
  for (const e of all) {
    if (e.role !== "dac" && e.role !== "pai" && e.role !== "paa") continue;
    const c = certOf(e);
    const r = e.roles;
    if (!c || !r) {
      extProblems[e.role].push(`${label(e)}: extensions unreadable (${e.detail?.error})`);
      continue;
    }
    const vid = matterId(c, "vid");
    const pid = matterId(c, "pid");
    if (!vid.wellFormed || !pid.wellFormed)
      idProblems.push(`${label(e)}: a vendor or product id is not four upper-case hex digits`);
    if (e.role === "dac" && (!vid.value || !pid.value))
      idProblems.push(`${label(e)}: a DAC carries both a vendor id and a product id`);
    if (e.role === "pai" && !vid.value) idProblems.push(`${label(e)}: a PAI carries a vendor id`);
    const sig = signatureAlgorithm(e.der);
    if (e.key?.type !== "ec" || e.key.curve !== "P-256" || sig.name !== "ecdsa-with-SHA256")
      algProblems.push(`${label(e)}: ${keyText(e)} with ${sig.name}`);
    const p = extProblems[e.role];
    if (r.basicConstraintsCritical !== true)
      p.push(`${label(e)}: basicConstraints is missing or not critical`);
    if (r.keyUsageCritical !== true) p.push(`${label(e)}: keyUsage is missing or not critical`);
    if (!r.skid) p.push(`${label(e)}: no subjectKeyIdentifier`);
    if (e.role !== "paa" && !r.akid) p.push(`${label(e)}: no authorityKeyIdentifier`);
    if (e.role === "dac") {
      if (r.ca) p.push(`${label(e)}: a DAC is not a CA`);
      if (r.keyUsage !== undefined && r.keyUsage !== KU.digitalSignature)
        p.push(`${label(e)}: keyUsage is not digitalSignature alone`);
    } else {
      if (!r.ca) p.push(`${label(e)}: not a CA`);
      if (e.role === "pai" && r.pathLength !== 0) p.push(`${label(e)}: pathLen is not 0`);
      if (e.role === "paa" && r.pathLength !== undefined && r.pathLength > 1)
        p.push(`${label(e)}: pathLen is over 1`);
      if (r.keyUsage !== undefined && r.keyUsage !== (KU.keyCertSign | KU.cRLSign))
        p.push(`${label(e)}: keyUsage is not keyCertSign and cRLSign alone`);
    }
    if (e.role === "paa" && r.skid && r.skid in MATTER_TEST_PAA_SKIDS)
      testRoot.push(`${label(e)} is the ${MATTER_TEST_PAA_SKIDS[r.skid]}`);
  }
  for (const d of devices) {
    const c = certOf(d);
    if (!c) continue;
    const vid = matterId(c, "vid").value;
    if (vid && TEST_VIDS.has(vid)) testRoot.push(`${label(d)} uses the test vendor id ${vid}`);
    const pai = d.issuerEntry;
    const paiCert = certOf(pai);
    if (!pai || !paiCert) continue;
    const paiVid = matterId(paiCert, "vid").value;
    const paiPid = matterId(paiCert, "pid").value;
    if (paiVid && vid && paiVid !== vid)
      idProblems.push(`${label(d)}: vendor id ${vid} differs from its PAI's ${paiVid}`);
    if (paiPid && paiPid !== matterId(c, "pid").value)
      idProblems.push(`${label(d)}: product id differs from its PAI's ${paiPid}`);
    const paa = pai.issuerEntry;
    for (const ca of [pai, paa])
      if (ca && (d.notBefore < ca.notBefore || d.notBefore > ca.notAfter))
        validity.push(
          `${label(d)}: issued ${new Date(d.notBefore).toISOString()}, outside ${label(ca)}'s validity`,
        );
    const paaCert = certOf(paa);
    const paaVid = paaCert ? matterId(paaCert, "vid").value : undefined;
    if (paaVid && paiVid && paaVid !== paiVid)
      idProblems.push(`${label(pai)}: vendor id ${paiVid} differs from its PAA's ${paaVid}`);
  }
  tally("matter.ids", [...new Set(idProblems)], "vendor and product ids present, well-formed and consistent");
  tally("matter.algorithms", algProblems, "ECDSA P-256 with SHA-256 throughout");
  if (all.some((e) => e.role === "dac"))
    tally("matter.dac.extensions", extProblems.dac, "DAC extensions as the profile requires");
  if (all.some((e) => e.role === "pai"))
    tally("matter.pai.extensions", extProblems.pai, "PAI extensions as the profile requires");
  if (all.some((e) => e.role === "paa"))
    tally("matter.paa.extensions", extProblems.paa, "PAA extensions as the profile requires");
  if (devices.length)
    tally("matter.validity", validity, "every DAC was issued within its PAI's and PAA's validity");
  tally("matter.test-root", [...new Set(testRoot)], "no Matter test PAA or test vendor id");
}

function checkIdevid(devices: Entry[], checks: CheckList, tally: Tally): void {
  const subject: string[] = [];
  const ext: string[] = [];
  const alg: string[] = [];
  let hmn = 0;
  let forever = 0;
  for (const d of devices) {
    const c = detail(d).cert;
    const r = d.roles;
    if (!c || !r) {
      ext.push(`${label(d)}: extensions unreadable (${d.detail?.error})`);
      continue;
    }
    if (c.subjectName.toJSON().length === 0) subject.push(`${label(d)}: empty subject`);
    else if (attribute(c.subjectName, OID.serialNumber) === undefined)
      subject.push(`${label(d)}: no serialNumber attribute in the subject`);
    if (!r.akid) ext.push(`${label(d)}: no authorityKeyIdentifier`);
    if (r.ca) ext.push(`${label(d)}: an IDevID is not a CA`);
    if (r.keyUsage !== undefined && !(r.keyUsage & KU.digitalSignature))
      ext.push(`${label(d)}: keyUsage lacks digitalSignature`);
    const k = d.key;
    const s = signatureAlgorithm(d.der).name;
    const suite =
      (k?.type === "rsa" && (k.bits ?? 0) >= 2048 && s === "sha256WithRSAEncryption") ||
      (k?.type === "ec" && k.curve === "P-256" && s === "ecdsa-with-SHA256") ||
      (k?.type === "ec" && k.curve === "P-384" && s === "ecdsa-with-SHA384");
    if (!suite) alg.push(`${label(d)}: ${keyText(d)} signed with ${s} is not an 802.1AR suite`);
    const san = c.extensions.find((x) => x.type === OID.subjectAltName);
    if (san && hex(san.value).includes("06082b06010505070804")) hmn++;
    if (d.notAfter >= FOREVER) forever++;
  }
  tally("idevid.subject", subject, "subjects carry a serialNumber");
  tally("idevid.extensions", ext, "authorityKeyIdentifier present, end-entity certificates");
  tally("idevid.algorithms", alg, "802.1AR suites");
  checks.info("idevid.hardware-module-name", `${hmn} of ${devices.length} carry a hardwareModuleName`);
  checks.info("idevid.validity", `${forever} of ${devices.length} have notAfter 99991231235959Z`);
}

/**
 * Certificates prove failures (a shared key, a test root, a weak key are facts) and only support
 * passes (a good batch is a sample; that identities are protected on the device is not visible).
 */
function propose(checks: CheckList, devices: number): CollectorProposal[] {
  if (devices === 0) return [];
  const out: CollectorProposal[] = [];
  const strength = "proves-only-when-failing" as const;
  const uniqueIds = ["x509.uniqueness.key", "x509.uniqueness.serial", "x509.chain", "x509.validity"];
  const dupKeys = checks.failed("x509.uniqueness.key");
  const identityBad =
    dupKeys ||
    checks.failed("x509.uniqueness.serial") ||
    checks.failed("x509.chain") ||
    checks.failed("matter.test-root");
  const identityReason = identityBad
    ? `device identities fail: ${[...new Set(checks.items.filter((c) => c.result === "fail").map((c) => c.id))].join(", ")}`
    : `${devices} device certificates: distinct keys and serials${checks.passed("x509.chain") ? ", chained to the supplied trust anchor" : ""}`;
  for (const item of ["nist-ir-8259a:1.1", "nist-sp-800-213a:T1.1.1", "nist-sp-800-213a:T1.3.1"])
    out.push({
      item,
      verdict: identityBad ? "fail" : "pass",
      strength,
      reason: identityReason,
      checks: [...uniqueIds, ...(checks.outcomes("matter.test-root").length ? ["matter.test-root"] : [])],
    });
  out.push({
    item: "etsi-en-303-645:5.4-4",
    verdict: dupKeys ? "fail" : "pass",
    strength,
    reason: dupKeys
      ? "units share a device key: identity keys are not unique per device"
      : `${devices} devices, no shared key`,
    checks: ["x509.uniqueness.key"],
  });
  const weak = checks.failed("x509.key") || checks.failed("x509.signature-algorithm");
  if (weak)
    for (const item of ["nist-ir-8259a:3.1", "etsi-en-303-645:5.5-1"])
      out.push({
        item,
        verdict: "fail",
        strength,
        reason: "a device certificate uses a weak key or signature algorithm",
        checks: ["x509.key", "x509.signature-algorithm"],
      });
  return out;
}

/** The collector with its checks loaded eagerly (tests, benchmarks); the registry loads ./collector.js. */
export const x509Collector: Collector = { ...x509Descriptor, collect: collectX509 };

export default x509Collector;
