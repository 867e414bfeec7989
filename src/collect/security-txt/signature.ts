/** OpenPGP cleartext signature verification (OpenPGP.js), with the signer reported. */
import * as openpgp from "openpgp";

export interface SignatureResult {
  verified: boolean;
  /** Fingerprint of the (sub)key that made the signature, when a supplied key matches it. */
  fingerprint?: string;
  keyId?: string;
  userIds: string[];
  created?: string;
  error?: string;
}

async function readKeys(material: Uint8Array[]): Promise<openpgp.Key[]> {
  const keys: openpgp.Key[] = [];
  for (const m of material) {
    const text = new TextDecoder().decode(m);
    if (text.includes("-----BEGIN PGP")) keys.push(...(await openpgp.readKeys({ armoredKeys: text })));
    else keys.push(...(await openpgp.readKeys({ binaryKeys: m })));
  }
  return keys;
}

/**
 * Verifies the armored cleartext message with the supplied keys. `expectedText` is the text the
 * collector parsed: if the library recovers a different text, the parse and the signature would
 * be about two different files, so that is reported as a failure.
 */
export async function verifyCleartext(
  armored: string,
  keyMaterial: Uint8Array[],
  expectedText: string,
): Promise<SignatureResult> {
  let keys: openpgp.Key[];
  try {
    keys = await readKeys(keyMaterial);
  } catch (e) {
    return {
      verified: false,
      userIds: [],
      error: `the supplied key could not be read: ${(e as Error).message}`,
    };
  }
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: armored });
  } catch (e) {
    return {
      verified: false,
      userIds: [],
      error: `the signed message could not be read: ${(e as Error).message}`,
    };
  }
  const normalise = (t: string) =>
    t
      .replace(/\r\n/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .replace(/\n+$/, "");
  if (normalise(message.getText()) !== normalise(expectedText))
    return {
      verified: false,
      userIds: [],
      error: "the OpenPGP library reads a different signed text than the parser",
    };
  const result = await openpgp.verify({ message, verificationKeys: keys, expectSigned: false });
  const sig = result.signatures[0];
  if (!sig) return { verified: false, userIds: [], error: "the message holds no signature" };
  const keyId = sig.keyID.toHex();
  const key = keys.find((k) => k.getKeys(sig.keyID).length > 0);
  const base: SignatureResult = { verified: false, keyId, userIds: key ? key.getUserIDs() : [] };
  if (key)
    base.fingerprint = (key.getKeys(sig.keyID)[0] as { getFingerprint(): string })
      .getFingerprint()
      .toUpperCase();
  try {
    await sig.verified;
    const s = await sig.signature;
    const created = s.packets[0]?.created;
    return { ...base, verified: true, ...(created ? { created: created.toISOString() } : {}) };
  } catch (e) {
    const msg = (e as Error).message;
    return {
      ...base,
      error: key
        ? `bad signature: ${msg}`
        : `signed by key ${keyId.toUpperCase()}, which is not among the supplied keys`,
    };
  }
}
