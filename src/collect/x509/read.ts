/**
 * Reading certificates: PEM bundles (any number of CERTIFICATE blocks) or one DER certificate.
 * Parsing is @peculiar/x509's (which needs reflect-metadata loaded first).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export interface ReadCertificate {
  index: number;
  der: Uint8Array;
  cert?: x509.X509Certificate;
  error?: string;
}

const PEM = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const MAX_CERTIFICATES = 1_000_000;

export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString(
    "latin1",
  );
  return head.includes("-----BEGIN CERTIFICATE-----");
}

/** DER blocks of a PEM bundle, or the input itself when it is DER (starts with a SEQUENCE). */
export function splitCertificates(bytes: Uint8Array): Uint8Array[] {
  if (looksLikePem(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    const out: Uint8Array[] = [];
    for (const m of text.matchAll(PEM)) {
      out.push(new Uint8Array(Buffer.from((m[1] as string).replace(/[^A-Za-z0-9+/=]/g, ""), "base64")));
      if (out.length >= MAX_CERTIFICATES) break;
    }
    return out;
  }
  return bytes.length > 0 && bytes[0] === 0x30 ? [bytes] : [];
}

export function parseCertificate(der: Uint8Array, index: number): ReadCertificate {
  try {
    const cert = new x509.X509Certificate(der);
    // Touch the fields every check reads, so a malformed certificate fails here, once.
    void cert.subject;
    void cert.issuer;
    void cert.notBefore;
    void cert.notAfter;
    void cert.publicKey.algorithm;
    void cert.publicKey.rawData;
    // Extensions are decoded lazily, each by its own class: decode them all now.
    for (const ext of cert.extensions) void ext.type;
    void cert.subjectName.toJSON();
    return { index, der, cert };
  } catch (e) {
    return { index, der, error: (e as Error).message || String(e) };
  }
}

export function readCertificates(bytes: Uint8Array): ReadCertificate[] {
  return splitCertificates(bytes).map((der, i) => parseCertificate(der, i));
}
