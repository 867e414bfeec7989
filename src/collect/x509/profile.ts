/**
 * What a certificate is and says, in the terms the device-identity profiles use: key, signature
 * algorithm, role (CA or end entity), Matter vendor and product ids, 802.1AR fields.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export const OID = {
  matterVid: "1.3.6.1.4.1.37244.2.1",
  matterPid: "1.3.6.1.4.1.37244.2.2",
  serialNumber: "2.5.4.5",
  commonName: "2.5.4.3",
  hardwareModuleName: "1.3.6.1.5.5.7.8.4",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  subjectAltName: "2.5.29.17",
  extendedKeyUsage: "2.5.29.37",
} as const;

const SIG_ALGS: Record<string, { name: string; weak: boolean }> = {
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", weak: false },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", weak: false },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", weak: false },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", weak: true },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", weak: false },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", weak: false },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", weak: false },
  "1.2.840.113549.1.1.10": { name: "RSASSA-PSS", weak: false },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", weak: true },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", weak: true },
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", weak: true },
  "1.3.101.112": { name: "Ed25519", weak: false },
  "1.3.101.113": { name: "Ed448", weak: false },
};

const CURVES: Record<string, string> = {
  "1.2.840.10045.3.1.7": "P-256",
  "1.3.132.0.34": "P-384",
  "1.3.132.0.35": "P-521",
  "1.3.132.0.10": "secp256k1",
  "1.2.840.10045.3.1.1": "P-192",
  "1.3.132.0.33": "P-224",
};

export interface KeyInfo {
  /** rsa, ec, ed25519, ed448, or the algorithm OID when unknown. */
  type: string;
  bits?: number;
  curve?: string;
  /** Too weak for a device identity: RSA under 2048 bits, curves under 256 bits, unknown types. */
  weak: boolean;
  /** SHA-256 of the SubjectPublicKeyInfo, hex: the key's identity across certificates. */
  spkiSha256: string;
}

/** Reads the key type and size from the SubjectPublicKeyInfo DER without importing the key. */
export function keyInfo(spki: Uint8Array, spkiSha256: string): KeyInfo {
  const oidAlg = spkiAlgorithm(spki);
  if (oidAlg.oid === "1.2.840.113549.1.1.1" || oidAlg.oid === "1.2.840.113549.1.1.10") {
    const bits = rsaModulusBits(spki);
    return { type: "rsa", bits, weak: bits < 2048, spkiSha256 };
  }
  if (oidAlg.oid === "1.2.840.10045.2.1") {
    const curve = (oidAlg.param && CURVES[oidAlg.param]) ?? oidAlg.param ?? "unknown";
    const bits =
      curve === "P-256" || curve === "secp256k1"
        ? 256
        : curve === "P-384"
          ? 384
          : curve === "P-521"
            ? 521
            : curve === "P-224"
              ? 224
              : curve === "P-192"
                ? 192
                : 0;
    return { type: "ec", curve, bits, weak: bits < 256 || curve === "unknown", spkiSha256 };
  }
  if (oidAlg.oid === "1.3.101.112") return { type: "ed25519", bits: 256, weak: false, spkiSha256 };
  if (oidAlg.oid === "1.3.101.113") return { type: "ed448", bits: 456, weak: false, spkiSha256 };
  return { type: oidAlg.oid || "unknown", weak: true, spkiSha256 };
}

export function signatureAlgorithm(certDer: Uint8Array): { oid: string; name: string; weak: boolean } {
  const oid = signatureOid(certDer);
  const known = SIG_ALGS[oid];
  return { oid, name: known?.name ?? oid, weak: known?.weak ?? true };
}

// Minimal DER reading for the two fields @peculiar/x509 exposes only through WebCrypto objects.
function readTlv(b: Uint8Array, at: number): { tag: number; start: number; end: number } {
  const tag = b[at] as number;
  let len = b[at + 1] as number;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new Error("DER length too long");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[start + i] as number);
    start += n;
  }
  const end = start + len;
  if (end > b.length) throw new Error("DER truncated");
  return { tag, start, end };
}

function oidString(b: Uint8Array): string {
  if (b.length === 0) return "";
  const parts = [Math.floor((b[0] as number) / 40), (b[0] as number) % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + ((b[i] as number) & 0x7f);
    if (!((b[i] as number) & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

function spkiAlgorithm(spki: Uint8Array): { oid: string; param?: string } {
  try {
    const outer = readTlv(spki, 0);
    const algSeq = readTlv(spki, outer.start);
    const oid = readTlv(spki, algSeq.start);
    const result: { oid: string; param?: string } = { oid: oidString(spki.subarray(oid.start, oid.end)) };
    if (oid.end < algSeq.end) {
      const p = readTlv(spki, oid.end);
      if (p.tag === 0x06) result.param = oidString(spki.subarray(p.start, p.end));
    }
    return result;
  } catch {
    return { oid: "" };
  }
}

function rsaModulusBits(spki: Uint8Array): number {
  try {
    const outer = readTlv(spki, 0);
    const algSeq = readTlv(spki, outer.start);
    const bitString = readTlv(spki, algSeq.end);
    const rsaKey = readTlv(spki, bitString.start + 1);
    const modulus = readTlv(spki, rsaKey.start);
    let start = modulus.start;
    while (start < modulus.end && spki[start] === 0) start++;
    const bytes = modulus.end - start;
    if (bytes <= 0) return 0;
    return (bytes - 1) * 8 + Math.floor(Math.log2(spki[start] as number)) + 1;
  } catch {
    return 0;
  }
}

/**
 * Offsets of the TBSCertificate fields the batch checks need (version, SubjectPublicKeyInfo), for
 * certificates OpenSSL has already parsed: a walk over lengths, not a second parser.
 */
export function tbsFields(certDer: Uint8Array): { version: number; spki: Uint8Array } | undefined {
  try {
    const outer = readTlv(certDer, 0);
    const tbs = readTlv(certDer, outer.start);
    let at = tbs.start;
    let version = 1;
    let f = readTlv(certDer, at);
    if (f.tag === 0xa0) {
      const v = readTlv(certDer, f.start);
      version = (certDer[v.end - 1] as number) + 1;
      at = f.end;
    }
    // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
    for (let i = 0; i < 5; i++) {
      f = readTlv(certDer, at);
      at = f.end;
    }
    const spki = readTlv(certDer, at);
    return { version, spki: certDer.subarray(at, spki.end) };
  } catch {
    return undefined;
  }
}

function signatureOid(certDer: Uint8Array): string {
  try {
    const outer = readTlv(certDer, 0);
    const tbs = readTlv(certDer, outer.start);
    const alg = readTlv(certDer, tbs.end);
    const oid = readTlv(certDer, alg.start);
    return oidString(certDer.subarray(oid.start, oid.end));
  } catch {
    return "";
  }
}

export function attribute(name: x509.Name, oid: string): string | undefined {
  for (const rdn of name.toJSON())
    for (const [k, v] of Object.entries(rdn)) if (k === oid && v[0] !== undefined) return v[0];
  return undefined;
}

export interface Roles {
  ca: boolean;
  pathLength?: number;
  basicConstraintsCritical?: boolean;
  keyUsage?: number;
  keyUsageCritical?: boolean;
  skid?: string;
  akid?: string;
  selfIssued: boolean;
}

export function rolesOf(cert: x509.X509Certificate): Roles {
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const r: Roles = { ca: bc?.ca ?? false, selfIssued: cert.subject === cert.issuer };
  if (bc) {
    r.basicConstraintsCritical = bc.critical;
    if (bc.pathLength !== undefined) r.pathLength = bc.pathLength;
  }
  if (ku) {
    r.keyUsage = ku.usages;
    r.keyUsageCritical = ku.critical;
  }
  if (ski) r.skid = ski.keyId.toLowerCase();
  if (aki?.keyId) r.akid = aki.keyId.toLowerCase();
  return r;
}

export const KU = x509.KeyUsageFlags;

/** A Matter id attribute: four upper-case hex digits (Matter Core 6.2.2). */
export function matterId(
  cert: x509.X509Certificate,
  which: "vid" | "pid",
  subject = true,
): { value?: string; wellFormed: boolean } {
  const name = subject ? cert.subjectName : cert.issuerName;
  const v = attribute(name, which === "vid" ? OID.matterVid : OID.matterPid);
  if (v !== undefined) return { value: v, wellFormed: /^[0-9A-F]{4}$/.test(v) };
  // The legacy form in the common name: "Mvid:FFF1 Mpid:8000".
  const cn = attribute(name, OID.commonName);
  const m = cn ? new RegExp(`M${which}:([0-9A-F]{4})`).exec(cn) : null;
  return m ? { value: m[1] as string, wellFormed: true } : { wellFormed: true };
}
