/**
 * The fields the batch-wide checks need (names, serial, validity, key, whether the certificate can
 * be a CA), read straight from strict DER, for certificates of the common shape only.
 *
 * Why: OpenSSL 3.0 (node:crypto's X509Certificate) spends about 170 microseconds parsing one
 * certificate, most of it decoding the public key through its provider machinery; a batch of 10,000
 * device certificates spent 1.7 s there for uniqueness checks that need none of it.
 *
 * The contract with the OpenSSL reading it stands in for: when this returns fields, OpenSSL parses
 * the certificate too and gives the same subject and issuer strings (its multi-line form, short
 * attribute names), serial number (hex) and validity; `ca` is given only when it is certainly false.
 * Anything outside the shape accepted here (BER, version 1 or 2, multi-valued or exotic name
 * attributes, characters OpenSSL escapes, unusual times, negative serials, explicit defaults) returns
 * undefined, and the caller reads the certificate with OpenSSL as before. quick-read.test.ts holds
 * this against OpenSSL on generated and mutated certificates.
 */

export interface QuickFields {
  version: number;
  subject: string;
  issuer: string;
  /** As OpenSSL prints it: upper-case hex, two digits a byte. */
  serialNumber: string;
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  /** false when basicConstraints is absent or says cA FALSE; undefined when OpenSSL must decide. */
  ca?: false;
}

class Reject extends Error {}
const reject = (): never => {
  throw new Reject();
};

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER TLV: single-byte tag, definite minimal length. */
function tlv(b: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) reject();
  const tag = b[at] as number;
  if ((tag & 0x1f) === 0x1f) reject();
  let len = b[at + 1] as number;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > limit) reject();
    if (b[start] === 0) reject();
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[start + i] as number);
    if (len < 0x80) reject();
    start += n;
  }
  const end = start + len;
  if (end > limit) reject();
  return { tag, start, end };
}

function expectTag(b: Uint8Array, at: number, limit: number, tag: number): Tlv {
  const t = tlv(b, at, limit);
  if (t.tag !== tag) reject();
  return t;
}

/** A well-formed OBJECT IDENTIFIER's dotted form (OpenSSL refuses the malformed ones). */
function oid(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06 || t.end === t.start || t.end - t.start > 64) reject();
  if (((b[t.end - 1] as number) & 0x80) !== 0) reject();
  const parts: number[] = [];
  let v = 0;
  let first = true;
  for (let i = t.start; i < t.end; i++) {
    const byte = b[i] as number;
    if (v === 0 && byte === 0x80) reject(); // non-minimal sub-identifier
    v = v * 128 + (byte & 0x7f);
    if (v > 0xffffffff) reject();
    if (!(byte & 0x80)) {
      if (first) {
        const top = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(top, v - top * 40);
        first = false;
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/** AlgorithmIdentifier with no parameters, NULL, or an OID (curves): the shapes certificates use. */
function algorithm(b: Uint8Array, at: number, limit: number): number {
  const seq = expectTag(b, at, limit, 0x30);
  const o = tlv(b, seq.start, seq.end);
  oid(b, o);
  if (o.end < seq.end) {
    const p = tlv(b, o.end, seq.end);
    if (p.tag === 0x05) {
      if (p.end !== p.start) reject();
    } else oid(b, p);
    if (p.end !== seq.end) reject();
  }
  return seq.end;
}

/** Attribute types with OpenSSL's short names (its objects table); others are read by OpenSSL. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.42": "GN",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};
/** Matter's attributes (Matter Core 6.1.1) are not in OpenSSL's table: it prints them dotted. */
const MATTER_ATTRIBUTE = /^1\.3\.6\.1\.4\.1\.37244\.[12]\.[1-9]$/;

/** Characters OpenSSL prints as they are in a name (RFC 2253 escaping, control characters escaped). */
const PLAIN = /^[A-Za-z0-9'()./:=?-](?:[A-Za-z0-9 '()./:=?_@*&!%~-]*[A-Za-z0-9'()./:=?_@*&!%~-])?$/;
const PRINTABLE = /^[A-Za-z0-9 '()./:=?-]*$/;

function name(b: Uint8Array, at: number, limit: number): { text: string; end: number } {
  const seq = expectTag(b, at, limit, 0x30);
  if (seq.end === seq.start) reject();
  const lines: string[] = [];
  let p = seq.start;
  while (p < seq.end) {
    const set = expectTag(b, p, seq.end, 0x31);
    const atv = expectTag(b, set.start, set.end, 0x30);
    if (atv.end !== set.end) reject(); // one attribute per RDN
    const type = oid(b, tlv(b, atv.start, atv.end));
    const typeEnd = tlv(b, atv.start, atv.end).end;
    const value = tlv(b, typeEnd, atv.end);
    if (value.end !== atv.end) reject();
    // UTF8String, PrintableString, IA5String with plain ASCII only: the same text in every reading.
    if (value.tag !== 0x0c && value.tag !== 0x13 && value.tag !== 0x16) reject();
    let text = "";
    for (let i = value.start; i < value.end; i++) text += String.fromCharCode(b[i] as number);
    if (!PLAIN.test(text) || (value.tag === 0x13 && !PRINTABLE.test(text))) reject();
    const short = SHORT_NAMES[type] ?? (MATTER_ATTRIBUTE.test(type) ? type : reject());
    lines.push(`${short}=${text}`);
    p = set.end;
  }
  return { text: lines.join("\n"), end: seq.end };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function time(b: Uint8Array, at: number, limit: number): { ms: number; end: number } {
  const t = tlv(b, at, limit);
  const len = t.end - t.start;
  if (!((t.tag === 0x17 && len === 13) || (t.tag === 0x18 && len === 15))) reject();
  if (b[t.end - 1] !== 0x5a) reject(); // Z
  const digits: number[] = [];
  for (let i = t.start; i < t.end - 1; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) reject();
    digits.push(d);
  }
  const n = (i: number, k: number) => digits.slice(i, i + k).reduce((a, d) => a * 10 + d, 0);
  let year: number;
  let i = 0;
  if (t.tag === 0x17) {
    const yy = n(0, 2);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    i = 2;
  } else {
    year = n(0, 4);
    // RFC 5280 uses GeneralizedTime from 2050 on; earlier years are left to OpenSSL.
    if (year < 2050) reject();
    i = 4;
  }
  const month = n(i, 2);
  const day = n(i + 2, 2);
  const hour = n(i + 4, 2);
  const minute = n(i + 6, 2);
  const second = n(i + 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  if (month < 1 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) reject();
  return { ms: Date.UTC(year, month - 1, day, hour, minute, second), end: t.end };
}

function serial(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x02 || t.end === t.start) reject();
  let s = t.start;
  const first = b[s] as number;
  if (first & 0x80) reject(); // negative
  if (first === 0) {
    if (t.end - s === 1 || ((b[s + 1] as number) & 0x80) === 0) reject(); // zero, or padded
    s++;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, t.end - s)
    .toString("hex")
    .toUpperCase();
}

function bitString(b: Uint8Array, t: Tlv): void {
  if (t.tag !== 0x03 || t.end === t.start || b[t.start] !== 0) reject();
}

/** basicConstraints absent or `SEQUENCE {}` (cA FALSE): certainly not a CA; other forms: ask OpenSSL. */
function extensions(b: Uint8Array, at: number, limit: number): { ca?: false; end: number } {
  const wrap = expectTag(b, at, limit, 0xa3);
  const seq = expectTag(b, wrap.start, wrap.end, 0x30);
  if (seq.end !== wrap.end || seq.end === seq.start) reject();
  const seen = new Set<string>();
  let notCa = true;
  let p = seq.start;
  while (p < seq.end) {
    const ext = expectTag(b, p, seq.end, 0x30);
    const idTlv = tlv(b, ext.start, ext.end);
    const id = oid(b, idTlv);
    if (seen.has(id)) reject();
    seen.add(id);
    let q = idTlv.end;
    let field = tlv(b, q, ext.end);
    if (field.tag === 0x01) {
      if (field.end - field.start !== 1 || b[field.start] !== 0xff) reject(); // DER TRUE only
      q = field.end;
      field = tlv(b, q, ext.end);
    }
    if (field.tag !== 0x04 || field.end !== ext.end) reject();
    if (
      id === "2.5.29.19" &&
      !(field.end - field.start === 2 && b[field.start] === 0x30 && b[field.start + 1] === 0)
    )
      notCa = false;
    p = ext.end;
  }
  return notCa ? { ca: false, end: wrap.end } : { end: wrap.end };
}

/** The fields, or undefined when the certificate is outside the shape read here (see above). */
export function quickRead(der: Uint8Array): QuickFields | undefined {
  try {
    const cert = expectTag(der, 0, der.length, 0x30);
    if (cert.end !== der.length) reject();
    const tbs = expectTag(der, cert.start, cert.end, 0x30);
    let p = tbs.start;
    // Version 3, as `[0] { INTEGER 2 }`.
    if (
      der[p] !== 0xa0 ||
      der[p + 1] !== 3 ||
      der[p + 2] !== 2 ||
      der[p + 3] !== 1 ||
      der[p + 4] !== 2 ||
      p + 5 > tbs.end
    )
      reject();
    p += 5;
    const serialTlv = tlv(der, p, tbs.end);
    const serialNumber = serial(der, serialTlv);
    p = algorithm(der, serialTlv.end, tbs.end);
    const issuer = name(der, p, tbs.end);
    const validity = expectTag(der, issuer.end, tbs.end, 0x30);
    const nb = time(der, validity.start, validity.end);
    const na = time(der, nb.end, validity.end);
    if (na.end !== validity.end) reject();
    const subject = name(der, validity.end, tbs.end);
    const spkiTlv = expectTag(der, subject.end, tbs.end, 0x30);
    const keyAlgEnd = algorithm(der, spkiTlv.start, spkiTlv.end);
    const key = tlv(der, keyAlgEnd, spkiTlv.end);
    bitString(der, key);
    if (key.end !== spkiTlv.end) reject();
    let ca: false | undefined = false;
    p = spkiTlv.end;
    if (p < tbs.end) {
      const ext = extensions(der, p, tbs.end);
      ca = ext.ca;
      p = ext.end;
    }
    if (p !== tbs.end) reject();
    const sigEnd = algorithm(der, tbs.end, cert.end);
    const sig = tlv(der, sigEnd, cert.end);
    bitString(der, sig);
    if (sig.end !== cert.end) reject();
    const fields: QuickFields = {
      version: 3,
      subject: subject.text,
      issuer: issuer.text,
      serialNumber,
      notBefore: nb.ms,
      notAfter: na.ms,
      spki: der.subarray(subject.end, spkiTlv.end),
    };
    if (ca === false) fields.ca = false;
    return fields;
  } catch (e) {
    if (e instanceof Reject) return undefined;
    throw e;
  }
}
