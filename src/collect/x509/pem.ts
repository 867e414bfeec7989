/** Finding certificates in a PEM bundle or a DER file, without parsing them (cheap: used by detection). */

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
