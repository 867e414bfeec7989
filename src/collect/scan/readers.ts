/**
 * Thin readers of scanner outputs into one shape per tool. nmap XML goes through fast-xml-parser
 * (entities are not expanded: an nmap file has none, and expansion is a memory bomb); ssh-audit and
 * testssl.sh JSON through JSON.parse; testssl.sh CSV through a small RFC 4180 reader.
 */
import { XMLParser } from "fast-xml-parser";
import { isRecord } from "../support/report.js";

export interface NmapPort {
  host: string;
  protocol: string;
  port: number;
  state: string;
  service?: string;
  product?: string;
  version?: string;
  tunnel?: string;
}

export interface NmapRun {
  scanner: string;
  version?: string;
  args?: string;
  start?: string;
  hosts: string[];
  ports: NmapPort[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const attr = (o: unknown, k: string): string | undefined => {
  if (!isRecord(o)) return undefined;
  const v = o[`@_${k}`];
  return v === undefined ? undefined : String(v);
};

export function readNmap(text: string): NmapRun {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    processEntities: false,
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  const doc = parser.parse(text) as Record<string, unknown>;
  const run = doc.nmaprun;
  if (!isRecord(run)) throw new Error("no <nmaprun> element");
  const out: NmapRun = { scanner: attr(run, "scanner") ?? "nmap", hosts: [], ports: [] };
  const v = attr(run, "version");
  if (v) out.version = v;
  const args = attr(run, "args");
  if (args) out.args = args;
  const start = attr(run, "startstr");
  if (start) out.start = start;
  for (const host of list(run.host as unknown)) {
    if (!isRecord(host)) continue;
    const addresses = list(host.address as unknown)
      .map((a) => attr(a, "addr"))
      .filter((a): a is string => !!a);
    const name = addresses[0] ?? "unknown";
    out.hosts.push(name);
    const ports = isRecord(host.ports) ? list(host.ports.port as unknown) : [];
    for (const p of ports) {
      if (!isRecord(p)) continue;
      const port: NmapPort = {
        host: name,
        protocol: attr(p, "protocol") ?? "tcp",
        port: Number(attr(p, "portid")),
        state: attr(p.state, "state") ?? "unknown",
      };
      if (!Number.isInteger(port.port) || port.port < 0 || port.port > 65535) continue;
      const s = p.service;
      for (const k of ["name", "product", "version", "tunnel"] as const) {
        const val = attr(s, k);
        if (val) port[k === "name" ? "service" : k] = val;
      }
      out.ports.push(port);
    }
  }
  return out;
}

export interface SshAudit {
  banner?: string;
  software?: string;
  /** Algorithm lists as ssh-audit reports them, with its notes when it gives them (3.x). */
  algorithms: { kind: "kex" | "key" | "enc" | "mac"; name: string; fail: string[]; warn: string[] }[];
  cves: { name: string; cvssv2?: number; description?: string }[];
  target?: string;
}

export function isSshAudit(doc: unknown): doc is Record<string, unknown> {
  return isRecord(doc) && isRecord(doc.banner) && Array.isArray(doc.kex) && Array.isArray(doc.enc);
}

export function readSshAudit(doc: Record<string, unknown>): SshAudit {
  const banner = isRecord(doc.banner) ? doc.banner : {};
  const out: SshAudit = { algorithms: [], cves: [] };
  if (typeof banner.raw === "string") out.banner = banner.raw;
  if (typeof banner.software === "string") out.software = banner.software;
  if (typeof doc.target === "string") out.target = doc.target;
  for (const kind of ["kex", "key", "enc", "mac"] as const)
    for (const a of list(doc[kind] as unknown)) {
      const name =
        typeof a === "string" ? a : isRecord(a) && typeof a.algorithm === "string" ? a.algorithm : undefined;
      if (!name) continue;
      const notes = isRecord(a) && isRecord(a.notes) ? a.notes : {};
      const strs = (v: unknown) => list(v).filter((x): x is string => typeof x === "string");
      out.algorithms.push({ kind, name, fail: strs(notes.fail), warn: strs(notes.warn) });
    }
  for (const c of list(doc.cves as unknown))
    if (isRecord(c) && typeof c.name === "string") {
      const cve: SshAudit["cves"][number] = { name: c.name };
      if (typeof c.cvssv2 === "number") cve.cvssv2 = c.cvssv2;
      if (typeof c.description === "string") cve.description = c.description;
      out.cves.push(cve);
    }
  return out;
}

export interface TestsslFinding {
  id: string;
  target: string;
  severity: string;
  finding: string;
  cve?: string;
}

export function isTestsslJson(doc: unknown): doc is unknown[] {
  const first = Array.isArray(doc)
    ? doc[0]
    : isRecord(doc) && Array.isArray(doc.scanResult)
      ? doc.scanResult
      : undefined;
  return isRecord(first) ? "severity" in first && "finding" in first && "id" in first : Array.isArray(first);
}

export function readTestsslJson(doc: unknown): TestsslFinding[] {
  // Flat JSON (--jsonfile) is a list of findings; pretty JSON (--jsonfile-pretty) nests them by section.
  const flat: unknown[] = [];
  if (Array.isArray(doc)) flat.push(...doc);
  else if (isRecord(doc) && Array.isArray(doc.scanResult))
    for (const target of doc.scanResult)
      if (isRecord(target))
        for (const v of Object.values(target))
          if (Array.isArray(v))
            flat.push(
              ...v.map((f) =>
                isRecord(f) ? { ...f, ip: target.targetHost ?? target.ip, port: target.port } : f,
              ),
            );
  const out: TestsslFinding[] = [];
  for (const f of flat) {
    if (!isRecord(f) || typeof f.id !== "string" || typeof f.severity !== "string") continue;
    const item: TestsslFinding = {
      id: f.id,
      target: `${String(f.ip ?? "")}:${String(f.port ?? "")}`,
      severity: f.severity.toUpperCase(),
      finding: typeof f.finding === "string" ? f.finding : "",
    };
    if (typeof f.cve === "string" && f.cve) item.cve = f.cve;
    out.push(item);
  }
  return out;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
export function readCsv(text: string, maxRows = 1_000_000): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      if (rows.length >= maxRows) return rows;
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function readTestsslCsv(text: string): TestsslFinding[] {
  const rows = readCsv(text);
  const header = rows[0]?.map((h) => h.toLowerCase());
  if (!header) return [];
  const col = (name: string) => header.indexOf(name);
  const [id, ip, port, sev, finding, cve] = ["id", "fqdn/ip", "port", "severity", "finding", "cve"].map(col);
  if (id === undefined || sev === undefined || id < 0 || (sev as number) < 0)
    throw new Error("not a testssl.sh CSV: no id and severity columns");
  return rows.slice(1).flatMap((r) => {
    const get = (k: number | undefined) => (k === undefined || k < 0 ? "" : (r[k] ?? ""));
    if (!get(id)) return [];
    const f: TestsslFinding = {
      id: get(id),
      target: `${get(ip)}:${get(port)}`,
      severity: get(sev).toUpperCase(),
      finding: get(finding),
    };
    if (get(cve)) f.cve = get(cve);
    return [f];
  });
}
