import type { SbomComponent, SbomDocument, SbomHash } from "./model.js";

/**
 * What the coverage checks (NTIA, BSI TR-03183-2, hashes, licences) ask of each component, read in
 * one pass and kept as bits: a model component reads its members from the parsed document when
 * asked, so twenty checks each asking every component would read a 100,000-component SBOM twenty
 * times over.
 */
export const Has = {
  supplier: 1 << 0,
  /** A non-empty name (NTIA) ... */
  name: 1 << 1,
  /** ... and any name at all (BSI: the field is there). */
  nameField: 1 << 2,
  version: 1 << 3,
  versionField: 1 << 4,
  /** purl, CPE or SWID. */
  identifier: 1 << 5,
  hash: 1 << 6,
  licence: 1 << 7,
  creatorContact: 1 << 8,
  fileName: 1 << 9,
  concludedLicence: 1 << 10,
  declaredLicence: 1 << 11,
  sha512Deployable: 1 << 12,
  executable: 1 << 13,
  archive: 1 << 14,
  structured: 1 << 15,
  sourceUri: 1 << 16,
  deployableUri: 1 << 17,
} as const;

export interface ComponentFacts {
  /**
   * The software and hardware components the minimum elements speak of: CBOM cryptographic assets
   * (algorithms, keys, protocols) have no supplier or version of their own and are checked apart.
   */
  components: SbomComponent[];
  /** `Has` bits per component, in the order of `components`. */
  has: Uint32Array;
  /** Hash values whose length or alphabet does not fit their algorithm. */
  malformedHashes: { c: SbomComponent; alg: string }[];
  /** Components whose hashes are all of MD5/SHA-1 strength. */
  weakHashOnly: SbomComponent[];
  /**
   * Each licence id or expression the components use (not free names): how many times, and the
   * first use (component, and the use's rank among all, to tell which of two values came first).
   */
  licenceValues: Map<string, { uses: number; first: SbomComponent; rank: number }>;
}

export const isContact = (s: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s) || /^(https?|mailto):/i.test(s);

const HASH_HEX: Record<string, number> = {
  MD5: 32,
  SHA1: 40,
  SHA224: 56,
  SHA256: 64,
  SHA384: 96,
  SHA512: 128,
  SHA3256: 64,
  SHA3384: 96,
  SHA3512: 128,
  BLAKE2B256: 64,
  BLAKE2B384: 96,
  BLAKE2B512: 128,
  BLAKE3: 64,
  ADLER32: 8,
  MD2: 32,
  MD4: 32,
};
const WEAK_HASHES = new Set(["MD2", "MD4", "MD5", "MD6", "SHA1", "ADLER32"]);

const cache = new WeakMap<SbomDocument, ComponentFacts>();

/** The facts of a document's components, read once per document (the model is never changed). */
export function componentFacts(doc: SbomDocument): ComponentFacts {
  let facts = cache.get(doc);
  if (facts === undefined) {
    facts = readFacts(doc);
    cache.set(doc, facts);
  }
  return facts;
}

function readFacts(doc: SbomDocument): ComponentFacts {
  const components: SbomComponent[] = [];
  if (doc.primary && doc.primary.type !== "cryptographic-asset") components.push(doc.primary);
  for (const c of doc.components) if (c.type !== "cryptographic-asset") components.push(c);
  const cdx = doc.family === "cyclonedx";
  const has = new Uint32Array(components.length);
  const malformedHashes: ComponentFacts["malformedHashes"] = [];
  const weakHashOnly: SbomComponent[] = [];
  const licenceValues: ComponentFacts["licenceValues"] = new Map();
  let licenceRank = 0;
  // A document names a handful of algorithms, each spelt its own way: normalised once per spelling.
  const normalised = new Map<string, string>();
  const normalise = (alg: string) => {
    let n = normalised.get(alg);
    if (n === undefined) {
      n = alg.replace(/[-_]/g, "").toUpperCase();
      normalised.set(alg, n);
    }
    return n;
  };
  const isSha512 = (h: SbomHash) => h.alg.replace(/-/g, "").toUpperCase() === "SHA512";

  for (let i = 0; i < components.length; i++) {
    const c = components[i] as SbomComponent;
    let b = 0;
    if (c.supplier) b |= Has.supplier;
    const name = c.name;
    if (name !== undefined) b |= name ? Has.name | Has.nameField : Has.nameField;
    const version = c.version;
    if (version !== undefined) b |= version ? Has.version | Has.versionField : Has.versionField;
    if (c.purl || c.cpe || c.swid) b |= Has.identifier;

    const hashes = c.hashes;
    if (hashes.length > 0) {
      b |= Has.hash;
      let weak = true;
      for (const h of hashes) {
        const alg = normalise(h.alg);
        const len = HASH_HEX[alg];
        if (len !== undefined && !(h.content.length === len && /^[0-9a-fA-F]+$/.test(h.content)))
          malformedHashes.push({ c, alg: h.alg });
        if (!WEAK_HASHES.has(alg)) weak = false;
      }
      if (weak) weakHashOnly.push(c);
      if (!cdx && hashes.some(isSha512)) b |= Has.sha512Deployable;
    }

    const licences = c.licences;
    if (licences.length > 0) {
      b |= Has.licence;
      for (const l of licences) {
        // SPDX's concluded licence is the plain one; CycloneDX says which with `acknowledgement`.
        if (l.acknowledgement === "concluded" || (l.acknowledgement === undefined && !cdx))
          b |= Has.concludedLicence;
        if (l.acknowledgement === "declared") b |= Has.declaredLicence;
        if (l.kind === "name") continue;
        const use = licenceValues.get(l.value);
        if (use === undefined) licenceValues.set(l.value, { uses: 1, first: c, rank: licenceRank++ });
        else use.uses++;
      }
    }

    if (c.creatorContacts.some(isContact)) b |= Has.creatorContact;

    const properties = c.properties;
    if (cdx) {
      if (properties.size > 0) {
        if (properties.get("bsi:component:filename")?.[0] !== undefined) b |= Has.fileName;
        if (properties.get("bsi:component:executable")?.[0] !== undefined) b |= Has.executable;
        if (properties.get("bsi:component:archive")?.[0] !== undefined) b |= Has.archive;
        if (properties.get("bsi:component:structured")?.[0] !== undefined) b |= Has.structured;
      }
    } else {
      if (properties.has("spdx:fileName") || properties.has("spdx:packageFileName")) b |= Has.fileName;
      // SPDX 3 says what a file or package is with its purposes.
      if ((properties.get("spdx:purpose") ?? []).length > 0)
        b |= Has.executable | Has.archive | Has.structured;
    }

    const refs = c.externalRefs;
    for (const r of refs) {
      const type = r.type.toLowerCase();
      if (type === "vcs" || type === (cdx ? "source-distribution" : "sourceartifact")) b |= Has.sourceUri;
      if (type === "distribution" || (!cdx && type === "binaryartifact")) b |= Has.deployableUri;
      if (cdx && type === "distribution" && r.hashes.some(isSha512)) b |= Has.sha512Deployable;
    }
    has[i] = b;
  }
  return { components, has, malformedHashes, weakHashOnly, licenceValues };
}
