/**
 * MCUboot image format (docs/design.md of MCUboot, scripts/imgtool/image.py): a 32-byte little-endian
 * header, the image body, an optional protected TLV area (magic 0x6908) and the TLV area (0x6907).
 * The hash covers header, body and protected TLVs; the signature covers the same bytes (RSA-PSS,
 * ECDSA) or their digest (Ed25519, unless a SIG_PURE TLV says the whole payload).
 */
import { constants, createHash, createPublicKey, type KeyObject, verify } from "node:crypto";

export const IMAGE_MAGIC = 0x96f3b83d;
const TLV_INFO_MAGIC = 0x6907;
const TLV_PROT_INFO_MAGIC = 0x6908;

export const TLV_NAMES: Record<number, string> = {
  1: "KEYHASH",
  2: "PUBKEY",
  16: "SHA256",
  17: "SHA384",
  18: "SHA512",
  32: "RSA2048_PSS",
  34: "ECDSA_SIG",
  35: "RSA3072_PSS",
  36: "ED25519",
  37: "SIG_PURE",
  48: "ENC_RSA2048",
  49: "ENC_KW",
  50: "ENC_EC256",
  51: "ENC_X25519",
  52: "ENC_X25519_SHA512",
  64: "DEPENDENCY",
  80: "SEC_CNT",
  96: "BOOT_RECORD",
  112: "DECOMP_SIZE",
  113: "DECOMP_SHA",
  114: "DECOMP_SIGNATURE",
  115: "COMP_DEC_SIZE",
  116: "UUID_VID",
  117: "UUID_CID",
};
const HASHES: Record<number, string> = { 16: "sha256", 17: "sha384", 18: "sha512" };
const SIGNATURES = new Set([0x20, 0x22, 0x23, 0x24]);

export const FLAGS: Record<number, string> = {
  1: "PIC",
  4: "ENCRYPTED_AES128",
  8: "ENCRYPTED_AES256",
  16: "NON_BOOTABLE",
  32: "RAM_LOAD",
  256: "ROM_FIXED",
  512: "COMPRESSED_LZMA1",
  1024: "COMPRESSED_LZMA2",
  2048: "COMPRESSED_ARM_THUMB",
};

export interface McubootTlv {
  type: number;
  name: string;
  offset: number;
  value: Uint8Array;
  protected: boolean;
}

export interface McubootImage {
  loadAddress: number;
  headerSize: number;
  protectedTlvSize: number;
  imageSize: number;
  flags: string[];
  version: string;
  tlvs: McubootTlv[];
  /** Header + body + protected TLVs: what the hash and the signature cover. */
  signedRegion: Uint8Array;
  problems: string[];
}

export function looksLikeMcuboot(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === IMAGE_MAGIC;
}

function readTlvArea(
  b: Buffer,
  at: number,
  magic: number,
  isProtected: boolean,
  out: McubootTlv[],
  problems: string[],
): number {
  if (at + 4 > b.length) {
    problems.push(`no TLV area at offset ${at} (the file ends at ${b.length})`);
    return -1;
  }
  const found = b.readUInt16LE(at);
  if (found !== magic) {
    problems.push(
      `expected TLV magic 0x${magic.toString(16)} at offset ${at}, found 0x${found.toString(16)}`,
    );
    return -1;
  }
  const total = b.readUInt16LE(at + 2);
  const end = at + total;
  if (end > b.length) {
    problems.push(`the TLV area at ${at} claims ${total} bytes, past the end of the file`);
    return -1;
  }
  let p = at + 4;
  while (p < end) {
    if (p + 4 > end) {
      problems.push(`a TLV header at ${p} crosses the end of its area`);
      return -1;
    }
    const type = b.readUInt16LE(p);
    const len = b.readUInt16LE(p + 2);
    if (p + 4 + len > end) {
      problems.push(`TLV 0x${type.toString(16)} at ${p} (${len} bytes) crosses the end of its area`);
      return -1;
    }
    out.push({
      type,
      name: TLV_NAMES[type] ?? `0x${type.toString(16)}`,
      offset: p,
      value: b.subarray(p + 4, p + 4 + len),
      protected: isProtected,
    });
    p += 4 + len;
  }
  return end;
}

export function parseMcuboot(bytes: Uint8Array): McubootImage | { error: string } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 32) return { error: `the file is ${b.length} bytes, shorter than the 32-byte header` };
  if (b.readUInt32LE(0) !== IMAGE_MAGIC) return { error: "no MCUboot image magic (0x96f3b83d)" };
  const headerSize = b.readUInt16LE(8);
  const protectedTlvSize = b.readUInt16LE(10);
  const imageSize = b.readUInt32LE(12);
  const flagBits = b.readUInt32LE(16);
  const version = `${b[20]}.${b[21]}.${b.readUInt16LE(22)}+${b.readUInt32LE(24)}`;
  const problems: string[] = [];
  if (headerSize < 32) return { error: `header size ${headerSize} is under 32 bytes` };
  const bodyEnd = headerSize + imageSize;
  if (bodyEnd > b.length)
    return {
      error: `header ${headerSize} + image ${imageSize} bytes run past the end of the file (${b.length})`,
    };
  const tlvs: McubootTlv[] = [];
  let at = bodyEnd;
  if (protectedTlvSize > 0) {
    const end = readTlvArea(b, at, TLV_PROT_INFO_MAGIC, true, tlvs, problems);
    if (end >= 0 && end - at !== protectedTlvSize)
      problems.push(`the protected TLV area is ${end - at} bytes, the header says ${protectedTlvSize}`);
    at = end < 0 ? -1 : end;
  }
  if (at >= 0) readTlvArea(b, at, TLV_INFO_MAGIC, false, tlvs, problems);
  const flags = Object.entries(FLAGS)
    .filter(([bit]) => flagBits & Number(bit))
    .map(([, name]) => name);
  return {
    loadAddress: b.readUInt32LE(4),
    headerSize,
    protectedTlvSize,
    imageSize,
    flags,
    version,
    tlvs,
    signedRegion: b.subarray(0, bodyEnd + protectedTlvSize),
    problems,
  };
}

export function hashOf(image: McubootImage): { tlv?: McubootTlv; algorithm?: string; matches?: boolean } {
  const tlv = image.tlvs.find((t) => !t.protected && t.type in HASHES);
  if (!tlv) return {};
  const algorithm = HASHES[tlv.type] as string;
  const digest = createHash(algorithm).update(image.signedRegion).digest();
  return { tlv, algorithm, matches: Buffer.compare(digest, Buffer.from(tlv.value)) === 0 };
}

export function signatureTlvs(image: McubootImage): McubootTlv[] {
  return image.tlvs.filter((t) => !t.protected && SIGNATURES.has(t.type));
}

/** The bytes MCUboot hashes for KEYHASH: PKCS#1 RSAPublicKey for RSA, SubjectPublicKeyInfo otherwise. */
export function mcubootPublicBytes(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType === "rsa") return key.export({ type: "pkcs1", format: "der" });
  return key.export({ type: "spki", format: "der" });
}

export function verifyImageSignature(
  image: McubootImage,
  sig: McubootTlv,
  key: KeyObject,
  digest: Uint8Array | undefined,
): boolean {
  const pure = image.tlvs.some((t) => t.type === 0x25);
  try {
    switch (sig.type) {
      case 0x20:
      case 0x23:
        if (key.asymmetricKeyType !== "rsa") return false;
        return verify(
          "sha256",
          image.signedRegion,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          sig.value,
        );
      case 0x22: {
        if (key.asymmetricKeyType !== "ec") return false;
        const curve = key.asymmetricKeyDetails?.namedCurve;
        return verify(curve === "secp384r1" ? "sha384" : "sha256", image.signedRegion, key, sig.value);
      }
      case 0x24:
        if (key.asymmetricKeyType !== "ed25519") return false;
        if (pure) return verify(null, image.signedRegion, key, sig.value);
        return digest !== undefined && verify(null, digest, key, sig.value);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

export function readKey(material: Uint8Array): KeyObject {
  const text = Buffer.from(material).toString("latin1");
  if (text.includes("-----BEGIN")) return createPublicKey(text);
  try {
    return createPublicKey({ key: Buffer.from(material), format: "der", type: "spki" });
  } catch {
    return createPublicKey({ key: Buffer.from(material), format: "der", type: "pkcs1" });
  }
}
