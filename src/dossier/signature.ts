/**
 * Who issued a dossier: a detached CMS (RFC 5652) signature over manifest.json, with the signer's
 * X.509 certificate (and its chain) inside, as `manifest.json.p7s` (DER). Anyone can check it
 * without Cairn: `openssl cms -verify -binary -inform DER -in manifest.json.p7s -content
 * manifest.json -CAfile <issuer.pem>`. Why CMS and not a JWS: docs/decisions/0006-dossier-signature.md.
 *
 * Signed attributes: content type, message digest and the ESS signing-certificate-v2 (RFC 5035),
 * which binds the certificate to the signature (the CAdES baseline asks for it); no signing time,
 * so that the same manifest signed with the same Ed25519 or RSA key gives the same bytes. ECDSA in
 * Node is randomised: its signatures differ at every build.
 *
 * Pure apart from CPU: no clock (unless the caller passes none for the check date), no files.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  id_data,
  id_signedData,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from "@peculiar/asn1-cms";
import { AsnConvert, AsnParser, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import type { Problem } from "../core/problem.js";
import { DOSSIER_FILES } from "./model.js";

const SOURCE = DOSSIER_FILES.signature;

const OID = {
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  sha512WithRSA: "1.2.840.113549.1.1.13",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  ecdsaSha384: "1.2.840.10045.4.3.3",
  ecdsaSha512: "1.2.840.10045.4.3.4",
  ed25519: "1.3.101.112",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  commonName: "2.5.4.3",
} as const;

const HASH_OF_OID: Record<string, "sha256" | "sha384" | "sha512"> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

/** What signs: a private key and, optionally, its certificate and the chain above it (DER, signer first). */
export interface ManifestSigner {
  key: KeyObject;
  certificates: Uint8Array[];
}

/** The signer as a verifier names it. */
export interface SignerIdentity {
  /** The certificate's subject, e.g. `CN=Dossier signing, O=Northwind Controls`. */
  subject: string;
  issuer: string;
  /** SHA-256 of the certificate (hex, colon-separated as openssl prints it). */
  certificateSha256: string;
  /** SHA-256 of the public key (SubjectPublicKeyInfo DER, hex): what `--key` is compared by. */
  keySha256: string;
  /** The certificate is one Cairn issued for a bare key (`--sign-key` without `--sign-cert`). */
  selfIssued: boolean;
  validFrom: string;
  validTo: string;
}

export interface SignatureCheck {
  /** The signature is sound over these manifest bytes, with the certificate it carries. */
  valid: boolean;
  /** The signer is the key given, or its certificate chains to a certificate given. */
  trusted: boolean;
  signer?: SignerIdentity;
  problems: Problem[];
}

export interface TrustOptions {
  /** Public keys the signer may hold (`--key`). */
  keys?: KeyObject[];
  /** Certificates the signer's chain may end in (`--cert`): roots, intermediates or the signer's own. */
  anchors?: X509Certificate[];
  /** When certificates must be valid (default: now). */
  at?: Date;
}

/** The subject a self-issued certificate for a bare key gets. */
export const SELF_ISSUED_CN = "Cairn dossier signer (self-issued for its key)";

// --- DER helpers for the few values built by hand ---------------------------------------------

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const len = derLength(body.length);
  const out = new Uint8Array(1 + len.length + body.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A fresh ArrayBuffer of exactly these bytes (a Buffer's `.buffer` may be a shared pool). */
function ab(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function u8(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** DER SET OF: elements sorted by their encodings (X.690 11.6), as verifiers re-encode them. */
function derSetOf(elements: Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  return tlv(0x31, concat(sorted));
}

/** The DER of the OID id-data (1.2.840.113549.1.7.1), the value of the content-type attribute. */
const ID_DATA_DER = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01);

// --- algorithms -------------------------------------------------------------------------------

interface Algorithms {
  hash: "sha256" | "sha384" | "sha512";
  digest: AlgorithmIdentifier;
  signature: AlgorithmIdentifier;
  sign(data: Uint8Array): Uint8Array;
}

/** The CMS algorithms for a key: Ed25519 (RFC 8419), RSA PKCS#1 v1.5 with SHA-256, ECDSA with the curve's hash. */
function algorithmsFor(key: KeyObject): Algorithms {
  const type = key.asymmetricKeyType;
  const digest = (hash: "sha256" | "sha384" | "sha512") => new AlgorithmIdentifier({ algorithm: OID[hash] });
  if (type === "ed25519") {
    return {
      hash: "sha512",
      digest: digest("sha512"),
      signature: new AlgorithmIdentifier({ algorithm: OID.ed25519 }),
      sign: (data) => u8(cryptoSign(null, data, key)),
    };
  }
  if (type === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`an RSA key of ${bits} bits is too weak to sign with (2048 at least)`);
    return {
      hash: "sha256",
      digest: digest("sha256"),
      signature: new AlgorithmIdentifier({ algorithm: OID.sha256WithRSA, parameters: null }),
      sign: (data) => u8(cryptoSign("sha256", data, key)),
    };
  }
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const hash =
      curve === "prime256v1"
        ? "sha256"
        : curve === "secp384r1"
          ? "sha384"
          : curve === "secp521r1"
            ? "sha512"
            : undefined;
    if (!hash) throw new Error(`EC curve ${curve ?? "?"} is not supported (P-256, P-384, P-521)`);
    const oid = hash === "sha256" ? OID.ecdsaSha256 : hash === "sha384" ? OID.ecdsaSha384 : OID.ecdsaSha512;
    return {
      hash,
      digest: digest(hash),
      signature: new AlgorithmIdentifier({ algorithm: oid }),
      sign: (data) => u8(cryptoSign(hash, data, key)),
    };
  }
  throw new Error(`a ${type ?? "?"} key cannot sign dossiers (Ed25519, RSA or ECDSA P-256/384/521)`);
}

// --- the signer's certificate -----------------------------------------------------------------

function spkiOf(key: KeyObject): Uint8Array {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return u8(pub.export({ type: "spki", format: "der" }));
}

function hex(bytes: Uint8Array, colons = false): string {
  const h = Buffer.from(bytes).toString("hex").toUpperCase();
  return colons ? (h.match(/../g) ?? []).join(":") : h.toLowerCase();
}

/**
 * A certificate for a bare key, so that every signature carries one and `openssl cms -verify`
 * can check it: self-signed, subject `SELF_ISSUED_CN`, serial and key identifier from the key,
 * valid from `notBefore` to 9999-12-31 (RFC 5280's "no expiry"). The same key and date give the
 * same certificate (with Ed25519 and RSA).
 */
export function selfIssuedCertificate(key: KeyObject, notBefore: Date): Uint8Array {
  const alg = algorithmsFor(key);
  const spki = spkiOf(key);
  const keyId = createHash("sha1")
    .update(u8(AsnParser.parse(spki, SubjectPublicKeyInfo).subjectPublicKey))
    .digest();
  const serial = createHash("sha256").update(spki).digest().subarray(0, 16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40; // positive, sixteen bytes
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: OID.commonName,
        value: new AttributeValue({ utf8String: SELF_ISSUED_CN }),
      }),
    ]),
  ]);
  const ext = (extnID: string, critical: boolean, value: ArrayBuffer) =>
    new Extension({ extnID, critical, extnValue: new OctetString(value) });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: ab(serial),
    signature: alg.signature,
    issuer: name,
    subject: name,
    validity: new Validity({ notBefore, notAfter: new Date("9999-12-31T23:59:59Z") }),
    subjectPublicKeyInfo: AsnParser.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      ext(id_ce_basicConstraints, true, AsnConvert.serialize(new BasicConstraints({ cA: false }))),
      ext(
        id_ce_keyUsage,
        true,
        AsnConvert.serialize(new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)),
      ),
      ext(id_ce_subjectKeyIdentifier, false, AsnConvert.serialize(new SubjectKeyIdentifier(ab(keyId)))),
    ]),
  });
  const tbsDer = u8(AsnConvert.serialize(tbs));
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: alg.signature,
    signatureValue: ab(alg.sign(tbsDer)),
  });
  return u8(AsnConvert.serialize(cert));
}

function pemBlocks(pem: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+?)-----END ${label}-----`, "g");
  for (const m of pem.matchAll(re)) out.push(u8(Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64")));
  return out;
}

/** Certificates in a PEM text (one or more `CERTIFICATE` blocks). */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const blocks = pemBlocks(pem, "CERTIFICATE");
  if (blocks.length === 0) throw new Error("no certificate (-----BEGIN CERTIFICATE-----) in it");
  return blocks.map((der) => new X509Certificate(Buffer.from(der)));
}

/**
 * A signer from PEM texts: a private key (PKCS#8, or the traditional RSA/EC forms; not
 * passphrase-protected) and, optionally, certificates: the key's own, in any position, and the
 * chain above it. Without certificates the signature carries a self-issued one. The server's
 * dossier route builds its organisation signer with this too.
 */
export function signerFromPem(keyPem: string, certificatePem?: string): ManifestSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new Error(`not a private key in PEM (or protected by a passphrase): ${(err as Error).message}`);
  }
  algorithmsFor(key);
  if (certificatePem === undefined) return { key, certificates: [] };
  const certs = certificatesFromPem(certificatePem);
  const own = certs.findIndex((c) => c.checkPrivateKey(key));
  if (own < 0) throw new Error("none of the certificates is for this key");
  const ordered = [certs[own] as X509Certificate, ...certs.filter((_, i) => i !== own)];
  return { key, certificates: ordered.map((c) => u8(c.raw)) };
}

/**
 * The detached CMS SignedData (DER) over `content` (manifest.json's bytes). `notBefore` dates a
 * self-issued certificate (the dossier's own date, so the bytes follow from the input).
 */
export function signManifest(
  content: Uint8Array,
  signer: ManifestSigner,
  notBefore = new Date(0),
): Uint8Array {
  const alg = algorithmsFor(signer.key);
  const certificates =
    signer.certificates.length > 0 ? signer.certificates : [selfIssuedCertificate(signer.key, notBefore)];
  const signerCert = AsnParser.parse(certificates[0] as Uint8Array, Certificate);

  const digest = u8(createHash(alg.hash).update(content).digest());
  const certHash = u8(
    createHash("sha256")
      .update(certificates[0] as Uint8Array)
      .digest(),
  );
  // SigningCertificateV2 { certs: [ ESSCertIDv2 { hashAlgorithm: sha256 (default, omitted), certHash } ] }
  const signingCertificate = tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, certHash))));
  const attribute = (type: string, value: Uint8Array) =>
    u8(AsnConvert.serialize(new Attribute({ attrType: type, attrValues: [ab(value)] })));
  const attributes = [
    attribute(OID.contentType, ID_DATA_DER),
    attribute(OID.messageDigest, tlv(0x04, digest)),
    attribute(OID.signingCertificateV2, signingCertificate),
  ];
  const signedAttrs = derSetOf(attributes);
  const signature = alg.sign(signedAttrs);
  const sortedAttributes = [...attributes]
    .sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
    .map((der) => AsnParser.parse(der, Attribute));

  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: signerCert.tbsCertificate.issuer,
        serialNumber: signerCert.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: alg.digest,
    signedAttrs: sortedAttributes,
    signatureAlgorithm: alg.signature,
    signature: new OctetString(ab(signature)),
  });
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([alg.digest]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet(
      certificates.map((der) => new CertificateChoices({ certificate: AsnParser.parse(der, Certificate) })),
    ),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const der = u8(
    AsnConvert.serialize(
      new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }),
    ),
  );
  // The signed attributes must sit in the output as signed, under their [0] IMPLICIT tag.
  if (!Buffer.from(der).includes(Buffer.from(Uint8Array.of(0xa0, ...signedAttrs.subarray(1)))))
    throw new Error("internal: the signed attributes do not round-trip");
  return der;
}

// --- verification -----------------------------------------------------------------------------

const MAX_SIGNATURE_BYTES = 1024 * 1024;
const MAX_CHAIN = 8;

function nameOf(text: string): string {
  return text.split("\n").filter(Boolean).join(", ");
}

function identityOf(cert: X509Certificate): SignerIdentity {
  return {
    subject: nameOf(cert.subject),
    issuer: nameOf(cert.issuer),
    certificateSha256: cert.fingerprint256,
    keySha256: hex(u8(createHash("sha256").update(spkiOf(cert.publicKey)).digest())),
    selfIssued: cert.subject === cert.issuer && nameOf(cert.subject) === `CN=${SELF_ISSUED_CN}`,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
  };
}

function validAt(cert: X509Certificate, at: Date): string | undefined {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (at < from) return `certificate ${nameOf(cert.subject)} is not valid before ${from.toISOString()}`;
  if (at > to) return `certificate ${nameOf(cert.subject)} expired on ${to.toISOString()}`;
  return undefined;
}

/** The signer's certificate chains (signatures checked, issuers CAs) to one of the anchors. */
function chainProblem(
  signer: X509Certificate,
  carried: X509Certificate[],
  anchors: X509Certificate[],
  at: Date,
): string | undefined {
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.raw.equals(c.raw));
  let current = signer;
  for (let depth = 0; depth <= MAX_CHAIN; depth++) {
    const invalid = validAt(current, at);
    if (invalid) return invalid;
    if (isAnchor(current)) return undefined;
    const issuer = [...anchors, ...carried].find(
      (c) => !c.raw.equals(current.raw) && c.ca && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return `the signer's certificate does not chain to the certificate(s) given`;
    current = issuer;
  }
  return "the certificate chain is too long";
}

/**
 * Checks a detached CMS signature over `content` (manifest.json's bytes): one signer, whose
 * certificate the signature carries; the message digest; the signature itself; the
 * signing-certificate attribute when present; then whether the signer is trusted (its key is one
 * of `keys`, or its certificate chains to one of `anchors`, valid at `at`). Every problem is named.
 */
export function verifyManifestSignature(
  content: Uint8Array,
  p7s: Uint8Array,
  trust: TrustOptions = {},
): SignatureCheck {
  const problems: Problem[] = [];
  const out: SignatureCheck = { valid: false, trusted: false, problems };
  const fail = (message: string): SignatureCheck => {
    problems.push({ source: SOURCE, message });
    return out;
  };
  if (p7s.length > MAX_SIGNATURE_BYTES)
    return fail(`${p7s.length} bytes; a signature is at most ${MAX_SIGNATURE_BYTES}`);
  let signed: SignedData;
  try {
    const info = AsnParser.parse(p7s, ContentInfo);
    if (info.contentType !== id_signedData)
      return fail(`not a CMS SignedData (content type ${info.contentType})`);
    signed = AsnParser.parse(info.content, SignedData);
  } catch (err) {
    return fail(`not a DER CMS signature: ${(err as Error).message}`);
  }
  if (signed.encapContentInfo.eContentType !== id_data) return fail("signs something other than data");
  if (signed.encapContentInfo.eContent) return fail("carries its content: a dossier signature is detached");
  if (signed.signerInfos.length !== 1)
    return fail(`${signed.signerInfos.length} signers; exactly one is expected`);
  const si = signed.signerInfos[0] as SignerInfo;

  const carried: X509Certificate[] = [];
  try {
    for (const choice of signed.certificates ?? []) {
      if (!choice.certificate) continue;
      if (carried.length >= MAX_CHAIN) return fail(`more than ${MAX_CHAIN} certificates`);
      carried.push(new X509Certificate(Buffer.from(AsnConvert.serialize(choice.certificate))));
    }
  } catch (err) {
    return fail(`a certificate in it cannot be read: ${(err as Error).message}`);
  }
  const signerCert = carried.find((c) => {
    const parsed = AsnParser.parse(c.raw, Certificate);
    if (si.sid.issuerAndSerialNumber) {
      const want = si.sid.issuerAndSerialNumber;
      return (
        equalBytes(
          u8(AsnConvert.serialize(parsed.tbsCertificate.issuer)),
          u8(AsnConvert.serialize(want.issuer)),
        ) && equalBytes(u8(parsed.tbsCertificate.serialNumber), u8(want.serialNumber))
      );
    }
    const ski = parsed.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
    return (
      si.sid.subjectKeyIdentifier !== undefined &&
      ski !== undefined &&
      equalBytes(u8(AsnParser.parse(ski.extnValue, SubjectKeyIdentifier)), u8(si.sid.subjectKeyIdentifier))
    );
  });
  if (!signerCert) return fail("carries no certificate for its signer");
  out.signer = identityOf(signerCert);

  const hash = HASH_OF_OID[si.digestAlgorithm.algorithm];
  if (!hash)
    return fail(`digest algorithm ${si.digestAlgorithm.algorithm} is not accepted (SHA-256, -384, -512)`);
  const digest = u8(createHash(hash).update(content).digest());
  let data: Uint8Array = content;
  if (si.signedAttrs) {
    // Signed as the DER SET OF the attributes (RFC 5652 5.4), which is how verifiers such as
    // OpenSSL re-encode them too.
    data = derSetOf(si.signedAttrs.map((a) => u8(AsnConvert.serialize(a))));
    const one = (type: string) => si.signedAttrs?.filter((a) => a.attrType === type) ?? [];
    const types = one(OID.contentType);
    const digests = one(OID.messageDigest);
    if (
      types.length !== 1 ||
      types[0]?.attrValues.length !== 1 ||
      !equalBytes(u8(types[0].attrValues[0] as ArrayBuffer), ID_DATA_DER)
    )
      return fail("its content-type attribute is missing or not data");
    if (digests.length !== 1 || digests[0]?.attrValues.length !== 1)
      return fail("its message-digest attribute is missing");
    if (!equalBytes(u8(digests[0].attrValues[0] as ArrayBuffer), tlv(0x04, digest)))
      return fail("it was made over other bytes: manifest.json changed since it was signed");
    const binding = one(OID.signingCertificateV2);
    if (binding.length > 0) {
      const value = Buffer.from(binding[0]?.attrValues[0] ?? new ArrayBuffer(0));
      // The first ESSCertIDv2 holds the signer certificate's hash (SHA-256 by default, or the one it names).
      const named = ["sha256", "sha384", "sha512"].map((h) => createHash(h).update(signerCert.raw).digest());
      if (!named.some((certHash) => value.includes(certHash)))
        return fail("its signing-certificate attribute names another certificate");
    }
  }

  const sigAlg = si.signatureAlgorithm.algorithm;
  const keyType = signerCert.publicKey.asymmetricKeyType;
  const signature = u8(si.signature.buffer);
  let ok: boolean;
  try {
    if (sigAlg === OID.ed25519 && keyType === "ed25519")
      ok = cryptoVerify(null, data, signerCert.publicKey, signature);
    else if (
      keyType === "rsa" &&
      [OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA].includes(sigAlg as never)
    ) {
      const h =
        sigAlg === OID.sha384WithRSA
          ? "sha384"
          : sigAlg === OID.sha512WithRSA
            ? "sha512"
            : sigAlg === OID.sha256WithRSA
              ? "sha256"
              : hash;
      ok = cryptoVerify(h, data, signerCert.publicKey, signature);
    } else if (
      keyType === "ec" &&
      [OID.ecdsaSha256, OID.ecdsaSha384, OID.ecdsaSha512].includes(sigAlg as never)
    ) {
      const h = sigAlg === OID.ecdsaSha256 ? "sha256" : sigAlg === OID.ecdsaSha384 ? "sha384" : "sha512";
      ok = cryptoVerify(h, data, signerCert.publicKey, signature);
    } else return fail(`signature algorithm ${sigAlg} with a ${keyType ?? "?"} key is not accepted`);
  } catch (err) {
    return fail(`the signature cannot be checked: ${(err as Error).message}`);
  }
  if (!ok) return fail("the signature does not match: manifest.json or the signature was changed");
  out.valid = true;

  const at = trust.at ?? new Date();
  const keys = trust.keys ?? [];
  const anchors = trust.anchors ?? [];
  if (keys.length === 0 && anchors.length === 0) return out;
  const spki = spkiOf(signerCert.publicKey);
  if (keys.some((k) => equalBytes(spkiOf(k), spki))) {
    out.trusted = true;
    return out;
  }
  if (anchors.length > 0) {
    const problem = chainProblem(signerCert, carried, anchors, at);
    if (!problem) {
      out.trusted = true;
      return out;
    }
    problems.push({ source: SOURCE, message: problem });
  }
  if (keys.length > 0)
    problems.push({
      source: SOURCE,
      message: `signed with key ${out.signer.keySha256}, not with the key given`,
    });
  return out;
}
