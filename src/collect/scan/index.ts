/**
 * Scanner results imported: nmap XML (open ports and services against the interfaces the
 * manufacturer declares), ssh-audit JSON and testssl.sh JSON/CSV (weak algorithms, protocols and
 * known TLS vulnerabilities). A scan sees only what it probed: its findings prove failures, its
 * silence proves nothing, so every proposal has strength proves-only-when-failing.
 */
import { CairnError } from "../../core/problem.js";
import type {
  CheckDefinition,
  Collector,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
} from "../contract.js";
import { listOption } from "../support/option-files.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  decodeUtf8,
  head,
  isRecord,
  optionStrings,
  parseJson,
} from "../support/report.js";
// The readers pull in fast-xml-parser: loaded by `collect`, so detection and `--help` stay light.
import type { NmapPort, TestsslFinding } from "./readers.js";

type Readers = typeof import("./readers.js");

export const SCAN_CHECKS: readonly CheckDefinition[] = [
  { id: "scan.format", description: "The input is nmap XML, ssh-audit JSON, or testssl.sh JSON or CSV." },
  {
    id: "scan.nmap.open-ports",
    description: "Open ports and services found (info), for comparison with the declared interfaces.",
  },
  {
    id: "scan.nmap.undeclared-port",
    description: "Every open port is among the declared interfaces (option declared: tcp/22,udp/5683...).",
  },
  {
    id: "scan.nmap.cleartext-service",
    description:
      "No cleartext remote-access or file service is open (telnet, ftp, tftp, rlogin/rsh/rexec, VNC without TLS).",
  },
  {
    id: "scan.ssh.algorithms",
    description:
      "No weak key exchange, host key, cipher or MAC (ssh-audit's own notes when present, else Cairn's list).",
  },
  { id: "scan.ssh.cves", description: "ssh-audit lists no CVE for the server software." },
  { id: "scan.tls.protocols", description: "SSLv2, SSLv3, TLS 1.0 and TLS 1.1 are not offered." },
  {
    id: "scan.tls.vulnerabilities",
    description:
      "testssl.sh finds none of the TLS vulnerabilities it tests (Heartbleed, ROBOT, POODLE, SWEET32, LUCKY13...) at LOW or above.",
  },
  { id: "scan.tls.ciphers", description: "No cipher or cipher-order finding at MEDIUM or above." },
  {
    id: "scan.tls.certificate",
    description:
      "Certificate findings at HIGH or CRITICAL (chain of trust, expiry, names) are listed (warn: devices often use private CAs).",
  },
];

const TOOL = { name: "cairn scan collector (fast-xml-parser 5.12.1)", version: CAIRN_COLLECTOR_VERSION };
const MAX_LISTED = 200;

const CLEARTEXT: Record<string, string> = {
  telnet: "telnet",
  ftp: "FTP",
  tftp: "TFTP",
  login: "rlogin",
  shell: "rsh",
  exec: "rexec",
  vnc: "VNC",
};
const CLEARTEXT_PORTS: Record<string, string> = {
  "tcp/23": "telnet",
  "tcp/21": "FTP",
  "udp/69": "TFTP",
  "tcp/513": "rlogin",
  "tcp/514": "rsh",
  "tcp/512": "rexec",
};

/** Weak SSH algorithms when ssh-audit gives no notes (2.x): broken hashes, short groups, broken ciphers. */
const SSH_FAIL = [
  /^diffie-hellman-group1-sha1$/,
  /^diffie-hellman-group-exchange-sha1$/,
  /^gss-.*-sha1-/,
  /^rsa1024-sha1$/,
  /^ssh-dss/,
  /^ssh-rsa(-cert-v01@openssh\.com)?$/,
  /^(3des|des|blowfish|cast128)-cbc$/,
  /^arcfour/,
  /^none$/,
  /^hmac-md5/,
  /^hmac-sha1-96/,
  /^hmac-ripemd160/,
];
const SSH_WARN = [
  /^diffie-hellman-group14-sha1$/,
  /-cbc(@.*)?$/,
  /^hmac-sha1(-etm@openssh\.com)?$/,
  /^umac-64/,
];

const TLS_PROTOCOL_IDS = new Set(["SSLv2", "SSLv3", "TLS1", "TLS1_1"]);
const TLS_VULN_IDS = new Set([
  "heartbleed",
  "CCS",
  "ticketbleed",
  "opossum",
  "ROBOT",
  "secure_renego",
  "secure_client_renego",
  "CRIME_TLS",
  "BREACH",
  "POODLE_SSL",
  "fallback_SCSV",
  "SWEET32",
  "FREAK",
  "DROWN",
  "DROWN_hint",
  "LOGJAM",
  "LOGJAM-common_primes",
  "BEAST",
  "BEAST_CBC_TLS1",
  "LUCKY13",
  "winshock",
  "RC4",
]);
/** testssl.sh severities in order; findings at LOW (2), MEDIUM (3), HIGH (4) and above are counted. */
const RANK: Record<string, number> = { OK: 0, INFO: 0, WARN: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

const key = (p: { protocol: string; port: number }) => `${p.protocol}/${p.port}`;

function collectNmap(
  readers: Readers,
  text: string,
  input: CollectorInput,
  context: CollectorContext,
  checks: CheckList,
) {
  let run: ReturnType<Readers["readNmap"]>;
  try {
    run = readers.readNmap(text);
  } catch (e) {
    checks.fail("scan.format", `not nmap XML: ${(e as Error).message}`);
    return buildReport("scan", "nmap-xml", false, checks, [], input, TOOL);
  }
  checks.pass("scan.format", `nmap ${run.version ?? ""} XML, ${run.hosts.length} hosts`);
  const open = run.ports.filter((p) => p.state === "open" || p.state === "open|filtered");
  const describe = (p: NmapPort) =>
    `${p.host} ${key(p)} ${p.state} ${[p.tunnel === "ssl" ? "ssl/" : "", p.service ?? "unknown", p.product ? ` (${p.product}${p.version ? ` ${p.version}` : ""})` : ""].join("")}`;
  checks.info(
    "scan.nmap.open-ports",
    open.length ? open.slice(0, MAX_LISTED).map(describe).join("; ") : "no open port found",
  );
  const declared = optionStrings(context.options, "declared").map((d) =>
    d.includes("/") ? d.toLowerCase() : `tcp/${d}`,
  );
  if (declared.length > 0) {
    const extra = open.filter((p) => !declared.includes(key(p)));
    for (const p of extra.slice(0, MAX_LISTED))
      checks.fail("scan.nmap.undeclared-port", `${describe(p)} is open but not declared`, key(p));
    if (extra.length === 0)
      checks.pass("scan.nmap.undeclared-port", `every open port is declared (${declared.join(", ")})`);
  } else
    checks.info(
      "scan.nmap.undeclared-port",
      "no declared interfaces given (option declared): open ports not compared",
    );
  const clear = open.filter(
    (p) =>
      (p.service && p.service in CLEARTEXT && p.tunnel !== "ssl") ||
      (!p.service && key(p) in CLEARTEXT_PORTS),
  );
  for (const p of clear)
    checks.fail(
      "scan.nmap.cleartext-service",
      `${describe(p)}: ${CLEARTEXT[p.service ?? ""] ?? CLEARTEXT_PORTS[key(p)]} sends credentials in clear`,
      key(p),
    );
  if (clear.length === 0)
    checks.pass("scan.nmap.cleartext-service", "no cleartext remote-access or file service open");

  const proposals: CollectorProposal[] = [];
  const strength = "proves-only-when-failing" as const;
  if (declared.length > 0) {
    const bad = checks.failed("scan.nmap.undeclared-port");
    for (const item of [
      "etsi-en-303-645:5.6-1",
      "nist-ir-8259a:4.1",
      "nist-sp-800-213a:T4.9.3",
      "eu-cra:annex-i.part-i.2.j",
    ])
      proposals.push({
        item,
        verdict: bad ? "fail" : "pass",
        strength,
        reason: bad
          ? "the scan found open ports that are not declared interfaces"
          : "the scan found no open port beyond the declared interfaces (a scan sees only what it probed)",
        checks: ["scan.nmap.undeclared-port"],
      });
  }
  if (clear.length > 0)
    for (const item of ["etsi-en-303-645:5.5-1", "eu-cra:annex-i.part-i.2.e"])
      proposals.push({
        item,
        verdict: "fail",
        strength,
        reason: "a cleartext remote-access or file service is open",
        checks: ["scan.nmap.cleartext-service"],
      });
  return buildReport("scan", "nmap-xml", true, checks, proposals, input, TOOL, {
    scanner: { name: run.scanner, version: run.version, args: run.args, start: run.start },
    ports: run.ports.slice(0, 10_000),
  });
}

function cryptoProposals(failed: boolean, what: string, ids: string[]): CollectorProposal[] {
  return [
    "etsi-en-303-645:5.5-1",
    "nist-ir-8259a:3.1",
    "nist-sp-800-213a:T3.4.1.1",
    "eu-cra:annex-i.part-i.2.e",
  ].map((item) => ({
    item,
    verdict: failed ? "fail" : "pass",
    strength: "proves-only-when-failing",
    reason: failed ? `${what} offers weak cryptography` : `${what}: no weak algorithm found by the scan`,
    checks: ids,
  }));
}

function collectSshAudit(
  readers: Readers,
  doc: Record<string, unknown>,
  input: CollectorInput,
  checks: CheckList,
) {
  const a = readers.readSshAudit(doc);
  checks.pass("scan.format", `ssh-audit JSON${a.banner ? ` (${a.banner})` : ""}`);
  const withNotes = a.algorithms.some((x) => x.fail.length || x.warn.length);
  let fails = 0;
  for (const alg of a.algorithms) {
    const fail = withNotes ? alg.fail.length > 0 : SSH_FAIL.some((r) => r.test(alg.name));
    const warn = withNotes ? alg.warn.length > 0 : SSH_WARN.some((r) => r.test(alg.name));
    const why = withNotes
      ? [...alg.fail, ...alg.warn].join("; ")
      : fail
        ? "weak (Cairn's list)"
        : "discouraged (Cairn's list)";
    if (fail) {
      fails++;
      checks.fail("scan.ssh.algorithms", `${alg.kind} ${alg.name}: ${why}`, alg.kind);
    } else if (warn) checks.warn("scan.ssh.algorithms", `${alg.kind} ${alg.name}: ${why}`, alg.kind);
  }
  if (fails === 0) checks.pass("scan.ssh.algorithms", `${a.algorithms.length} algorithms, none weak`);
  for (const c of a.cves.slice(0, MAX_LISTED))
    checks.fail(
      "scan.ssh.cves",
      `${c.name}${c.cvssv2 !== undefined ? ` (CVSSv2 ${c.cvssv2})` : ""}${c.description ? `: ${c.description}` : ""}`,
    );
  if (a.cves.length === 0) checks.pass("scan.ssh.cves", "no CVE listed");
  const proposals = cryptoProposals(fails > 0, "the SSH server", ["scan.ssh.algorithms"]);
  if (a.cves.length > 0)
    proposals.push({
      item: "eu-cra:annex-i.part-i.2.a",
      verdict: "fail",
      strength: "proves-only-when-failing",
      reason: `ssh-audit lists known vulnerabilities of ${a.software ?? "the SSH server"}: ${a.cves.map((c) => c.name).join(", ")}`,
      checks: ["scan.ssh.cves"],
    });
  return buildReport("scan", "ssh-audit-json", true, checks, proposals, input, TOOL, { ssh: a });
}

function collectTestssl(
  findings: TestsslFinding[],
  format: string,
  input: CollectorInput,
  checks: CheckList,
) {
  checks.pass(
    "scan.format",
    `testssl.sh ${format.endsWith("csv") ? "CSV" : "JSON"}, ${findings.length} findings`,
  );
  const at = (f: TestsslFinding) => `${f.target} ${f.id}`;
  const protocols = findings.filter(
    (f) => TLS_PROTOCOL_IDS.has(f.id) && /offered/i.test(f.finding) && !/not offered/i.test(f.finding),
  );
  for (const f of protocols) checks.fail("scan.tls.protocols", `${f.id}: ${f.finding}`, at(f));
  if (protocols.length === 0) checks.pass("scan.tls.protocols", "no SSL, TLS 1.0 or TLS 1.1 offered");
  const vulns = findings.filter((f) => (TLS_VULN_IDS.has(f.id) || f.cve) && (RANK[f.severity] ?? 0) >= 2);
  for (const f of vulns.slice(0, MAX_LISTED))
    checks.fail(
      "scan.tls.vulnerabilities",
      `${f.id} (${f.severity}): ${f.finding}${f.cve ? ` ${f.cve}` : ""}`,
      at(f),
    );
  if (vulns.length === 0) checks.pass("scan.tls.vulnerabilities", "none found");
  const ciphers = findings.filter(
    (f) => /^(cipher|cipherlist_|cipher_order|PFS|FS)/.test(f.id) && (RANK[f.severity] ?? 0) >= 3,
  );
  for (const f of ciphers.slice(0, MAX_LISTED))
    checks.fail("scan.tls.ciphers", `${f.id} (${f.severity}): ${f.finding}`, at(f));
  if (ciphers.length === 0) checks.pass("scan.tls.ciphers", "no cipher finding at MEDIUM or above");
  const certs = findings.filter((f) => f.id.startsWith("cert") && (RANK[f.severity] ?? 0) >= 4);
  for (const f of certs.slice(0, MAX_LISTED))
    checks.warn("scan.tls.certificate", `${f.id} (${f.severity}): ${f.finding}`, at(f));
  if (certs.length === 0) checks.pass("scan.tls.certificate", "no HIGH or CRITICAL certificate finding");
  const weak = protocols.length > 0 || vulns.length > 0 || ciphers.length > 0;
  return buildReport(
    "scan",
    format,
    true,
    checks,
    cryptoProposals(weak, "the TLS service", [
      "scan.tls.protocols",
      "scan.tls.vulnerabilities",
      "scan.tls.ciphers",
    ]),
    input,
    TOOL,
    {
      findings: findings.filter((f) => (RANK[f.severity] ?? 0) > 0).slice(0, 10_000),
    },
  );
}

export const scanCollector: Collector = {
  kind: "scan",
  title: "Scanner results (nmap XML, ssh-audit JSON, testssl.sh JSON/CSV)",
  checks: SCAN_CHECKS,
  options: [
    {
      name: "declared",
      arg: "<ports>",
      description:
        "the interfaces the manufacturer declares, compared with an nmap scan's open ports: tcp/22,udp/5683 (a bare number is tcp; repeatable or comma-separated)",
      repeatable: true,
    },
  ],

  async prepare(options) {
    const declared = listOption(options, "declared");
    for (const d of declared)
      if (!/^((tcp|udp|sctp)\/)?\d{1,5}$/i.test(d) || Number(d.replace(/^\D+\//, "")) > 65535)
        throw new CairnError(
          `--declared: "${d}" is not a port (write tcp/22, udp/5683 or a bare number for tcp, 0-65535)`,
        );
    return declared.length > 0 ? { ...options, declared } : options;
  },

  detect(bytes) {
    const start = head(bytes, 2048);
    if (/<nmaprun[\s>]/.test(start)) return 0.95;
    if (/^\s*\{/.test(start) && /"banner"\s*:/.test(start) && /"kex"|"compression"/.test(start)) return 0.9;
    if (/^\s*\[/.test(start) && /"severity"\s*:/.test(start) && /"finding"\s*:/.test(start)) return 0.9;
    if (/"scanResult"\s*:/.test(start) && /"Invocation"|"version"/.test(start)) return 0.85;
    if (/^"id","fqdn\/ip","port","severity","finding"/.test(start)) return 0.95;
    return 0;
  },

  async collect(input, context) {
    const readers = await import("./readers.js");
    const checks = new CheckList(SCAN_CHECKS);
    const text = decodeUtf8(input.bytes);
    if (text === undefined) {
      checks.fail("scan.format", "not UTF-8 text");
      return buildReport("scan", "unknown", false, checks, [], input, TOOL);
    }
    const start = text.slice(0, 2048);
    if (/<nmaprun[\s>]/.test(start)) return collectNmap(readers, text, input, context, checks);
    if (/^"id","fqdn\/ip","port","severity","finding"/.test(start)) {
      try {
        return collectTestssl(readers.readTestsslCsv(text), "testssl-csv", input, checks);
      } catch (e) {
        checks.fail("scan.format", (e as Error).message);
        return buildReport("scan", "testssl-csv", false, checks, [], input, TOOL);
      }
    }
    const parsed = parseJson(text);
    if (parsed.ok && readers.isSshAudit(parsed.value))
      return collectSshAudit(readers, parsed.value, input, checks);
    if (
      parsed.ok &&
      (readers.isTestsslJson(parsed.value) ||
        (isRecord(parsed.value) && Array.isArray(parsed.value.scanResult)))
    )
      return collectTestssl(readers.readTestsslJson(parsed.value), "testssl-json", input, checks);
    checks.fail(
      "scan.format",
      parsed.ok ? "JSON of no supported scanner" : "neither nmap XML, ssh-audit JSON nor testssl.sh output",
    );
    return buildReport("scan", "unknown", false, checks, [], input, TOOL);
  },
};

export default scanCollector;
