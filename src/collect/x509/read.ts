/**
 * Reading certificates: PEM bundles (any number of CERTIFICATE blocks) or one DER certificate.
 * Parsing is @peculiar/x509's (which needs reflect-metadata loaded first).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { splitCertificates } from "./pem.js";

export { looksLikePem, splitCertificates } from "./pem.js";

export interface ReadCertificate {
  index: number;
  der: Uint8Array;
  cert?: x509.X509Certificate;
  error?: string;
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
