/**
 * The MUD file's CMS signature (RFC 8520 section 13: a detached CMS SignedData over the file's
 * bytes), verified with PKI.js against the CA the user supplies. An expired signer is reported as
 * such, with what still verifies when time is set aside.
 */
import { webcrypto } from "node:crypto";
import * as pkijs from "pkijs";

let engineSet = false;
function engine(): void {
  if (engineSet) return;
  pkijs.setEngine(
    "node",
    new pkijs.CryptoEngine({
      name: "node",
      crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]["crypto"],
    }),
  );
  engineSet = true;
}

function der(material: Uint8Array, label: RegExp): Uint8Array[] {
  const text = Buffer.from(material).toString("latin1");
  if (!text.includes("-----BEGIN")) return [material];
  return [...text.matchAll(new RegExp(`-----BEGIN (?:${label.source})-----([\\s\\S]*?)-----END`, "g"))].map(
    (m) => new Uint8Array(Buffer.from((m[1] as string).replace(/[^A-Za-z0-9+/=]/g, ""), "base64")),
  );
}

const ab = (u: Uint8Array): ArrayBuffer =>
  u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

export interface MudSignatureResult {
  /** Signature and chain verify on the assessment date. */
  verified: boolean;
  /** The signature over the file verifies with the signer's certificate (time set aside). */
  signatureVerified?: boolean;
  /** The chain to the supplied CA verifies when judged inside the signer's validity (time set aside). */
  chainVerifiedIgnoringTime?: boolean;
  signer?: { subject: string; notBefore: string; notAfter: string };
  expired?: boolean;
  error?: string;
}

function subjectOf(cert: pkijs.Certificate): string {
  return cert.subject.typesAndValues.map((tv) => `${tv.type}=${tv.value.valueBlock.value}`).join(", ");
}

export async function verifyMudSignature(
  file: Uint8Array,
  signature: Uint8Array,
  caMaterial: Uint8Array[],
  date: Date,
): Promise<MudSignatureResult> {
  engine();
  let signed: pkijs.SignedData;
  try {
    const [sigDer] = der(signature, /PKCS7|CMS/);
    if (!sigDer) throw new Error("no PKCS7 or CMS block");
    const content = pkijs.ContentInfo.fromBER(ab(sigDer));
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA)
      throw new Error(`content type ${content.contentType} is not SignedData`);
    signed = new pkijs.SignedData({ schema: content.content });
  } catch (e) {
    return { verified: false, error: `the signature file cannot be read: ${(e as Error).message}` };
  }
  let trusted: pkijs.Certificate[];
  try {
    trusted = caMaterial.flatMap((m) => der(m, /CERTIFICATE/)).map((d) => pkijs.Certificate.fromBER(ab(d)));
  } catch (e) {
    return { verified: false, error: `the CA certificate cannot be read: ${(e as Error).message}` };
  }
  const run = async (checkDate: Date, checkChain: boolean) => {
    try {
      return await signed.verify({
        signer: 0,
        data: ab(file),
        trustedCerts: trusted,
        checkDate,
        checkChain,
        extendedMode: true,
      });
    } catch (e) {
      const err = e as pkijs.SignedDataVerifyError;
      return {
        message: err.message,
        signatureVerified: err.signatureVerified ?? null,
        signerCertificate: err.signerCertificate ?? null,
        signerCertificateVerified: err.signerCertificateVerified ?? null,
      };
    }
  };
  const sigOnly = await run(date, false);
  const signerCert = sigOnly.signerCertificate ?? undefined;
  const result: MudSignatureResult = {
    verified: false,
    signatureVerified: sigOnly.signatureVerified === true,
  };
  if (signerCert) {
    const na = signerCert.notAfter.value;
    result.signer = {
      subject: subjectOf(signerCert),
      notBefore: signerCert.notBefore.value.toISOString(),
      notAfter: na.toISOString(),
    };
    result.expired = na.getTime() < date.getTime();
  }
  if (trusted.length === 0) {
    result.error = "no CA supplied (option trust)";
    return result;
  }
  const now = await run(date, true);
  result.verified = now.signatureVerified === true && now.signerCertificateVerified === true;
  if (result.verified) {
    result.chainVerifiedIgnoringTime = true;
    return result;
  }
  result.error = now.message;
  if (signerCert) {
    // Set time aside: judge the chain at the latest start of validity among the signer and the CAs,
    // if that instant lies inside all of them.
    const certs = [signerCert, ...trusted];
    const instant = Math.max(...certs.map((c) => c.notBefore.value.getTime()));
    const inside = certs.every((c) => c.notAfter.value.getTime() >= instant);
    result.chainVerifiedIgnoringTime = inside
      ? (await run(new Date(instant + 1000), true)).signerCertificateVerified === true
      : false;
  }
  return result;
}
