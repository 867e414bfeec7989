/**
 * Signing keys published with boot loaders and SDKs for development. An image signed with one of
 * them protects nothing: anyone can sign with the published private key. Identified by the SHA-256
 * of the SubjectPublicKeyInfo (DER) and by MCUboot's key hash (SHA-256 or SHA-384 of the public key
 * bytes imgtool embeds: PKCS#1 RSAPublicKey for RSA, SubjectPublicKeyInfo otherwise).
 *
 * Values computed from the key files at the root of github.com/mcu-tools/mcuboot (commit 2d4bacc3),
 * the keys `imgtool sign --key root-*.pem` and the sample boot loaders use by default; and from the
 * P-256 key the SUIT manifest draft signs its examples with (github.com/suit-wg/manifest-spec,
 * `examples/private_key.pem`, commit 3c9b790), which SUIT tooling samples reuse.
 */
export interface KnownKey {
  name: string;
  source: string;
  spkiSha256: string;
  keyHashes: string[];
}

const MCUBOOT = "MCUboot default signing key (mcu-tools/mcuboot";

export const PUBLISHED_DEVELOPMENT_KEYS: readonly KnownKey[] = [
  {
    name: "root-rsa-2048.pem",
    source: `${MCUBOOT}, root-rsa-2048.pem)`,
    spkiSha256: "a14bcb1bf9bb821146ba32838217e476f5412621320534ffe490a1890c994660",
    keyHashes: [
      "fc5701dc6135e1323847bdc40f04d2e5bee5833b23c29f93593d00018cfa9994",
      "c0cb44a5e5c876ec8087159b1e8f92a5489866733e9853fd4fb638bce9eb22faf3178ffeb25d2302ac89214df7de44b9",
    ],
  },
  {
    name: "root-rsa-3072.pem",
    source: `${MCUBOOT}, root-rsa-3072.pem)`,
    spkiSha256: "159d8b7930769d887f3ff0b4e9ec176b82313663f2ef76dc24f5e964da1bc482",
    keyHashes: [
      "449793fb65cd7698753d5b3f35fab15f1e3a45111ff24e1d46741de5ae12d59e",
      "ae18da5ca3df8b7bde3a1464a2959e62ac8e44169314f4dae4c47d42341950f5efa260f0a87773111a7f1d13a7bd6273",
    ],
  },
  {
    name: "root-ec-p256.pem",
    source: `${MCUBOOT}, root-ec-p256.pem)`,
    spkiSha256: "e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6",
    keyHashes: [
      "e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6",
      "26e692146c5c5e474adf6589ff4f8a05ad6adf2ecc5746af2d056d864494ec3189ec593edb65ff7a09bf59ebc559e343",
    ],
  },
  {
    name: "root-ec-p384.pem",
    source: `${MCUBOOT}, root-ec-p384.pem)`,
    spkiSha256: "6bcd1e16d80e5fe13a5307e6f1de8344c7e50e537d9962ce35ef6db5e642fae8",
    keyHashes: [
      "6bcd1e16d80e5fe13a5307e6f1de8344c7e50e537d9962ce35ef6db5e642fae8",
      "85b7bd5f5dff9a03a99927adaf6ca6febde822c1a480928324a8e60323715c5779461c496a95aee8c4f90b99779f848a",
    ],
  },
  {
    name: "root-ed25519.pem",
    source: `${MCUBOOT}, root-ed25519.pem)`,
    spkiSha256: "c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c",
    keyHashes: [
      "c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c",
      "a022fa8a5d6a4d4b091a96b53e214a93647e61c8a96ea4eecdddfad2bae2b2606123cfc5f5f56b663bd6b2d06ee3f192",
    ],
  },
  {
    name: "root-ed25519-2.pem",
    source: `${MCUBOOT}, root-ed25519-2.pem)`,
    spkiSha256: "6754edab1e29affef4a05935adecbeb1a7b8b62397b31e39a61b5bfcaafd63af",
    keyHashes: [
      "6754edab1e29affef4a05935adecbeb1a7b8b62397b31e39a61b5bfcaafd63af",
      "35004e718445817cb8390e263e19e697e9ab6a1fb4462d062b1db8ed43ed0e6f5b9b6312281d105aec423107770b0bcf",
    ],
  },
  {
    name: "suit-manifest-spec examples/private_key.pem",
    source: "the SUIT manifest draft's example signing key (suit-wg/manifest-spec, examples/private_key.pem)",
    spkiSha256: "ade2dad611717e910e295db3ba086fc40490b0daacfc23aace9348077b839b17",
    keyHashes: [],
  },
];

export function knownBySpki(spkiSha256: string): KnownKey | undefined {
  return PUBLISHED_DEVELOPMENT_KEYS.find((k) => k.spkiSha256 === spkiSha256);
}

export function knownByKeyHash(hash: string): KnownKey | undefined {
  return PUBLISHED_DEVELOPMENT_KEYS.find((k) => k.keyHashes.includes(hash));
}
