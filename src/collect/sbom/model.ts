/**
 * One shape for the SBOM formats Cairn reads (CycloneDX 1.4-1.7 JSON, SPDX 2.2/2.3 JSON, SPDX 3.0.1
 * JSON-LD): what the checks and the vulnerability matching need, each value with where it came from.
 */

export interface SbomHash {
  alg: string;
  /** The hash value as the document writes it (CycloneDX `content`, SPDX `checksumValue` / `hashValue`). */
  content: string;
}

export interface SbomLicence {
  /** An SPDX licence id, an SPDX expression, or a free name. */
  value: string;
  kind: "id" | "expression" | "name";
  /** CycloneDX 1.6 `acknowledgement` / SPDX declared vs concluded. */
  acknowledgement?: "declared" | "concluded";
}

export interface SbomCryptoAsset {
  assetType?: string;
  primitive?: string;
  algorithmName?: string;
  certificationLevels: string[];
  classicalSecurityLevel?: number;
  oid?: string;
}

export interface SbomComponent {
  /** bom-ref, SPDXID or spdxId; undefined when the format allows leaving it out and it was. */
  ref?: string;
  /** Where `declaredIds` lists the component's id, when the reader says (saves a lookup per component). */
  declaration?: number;
  /** JSON pointer to the component in the input. */
  location: string;
  type?: string;
  name?: string;
  version?: string;
  group?: string;
  /** Supplier, manufacturer, or author names (whatever the format carries). */
  supplier?: string;
  /** Contacts of the creator (e-mail or URL), for BSI TR-03183-2. */
  creatorContacts: string[];
  purl?: string;
  cpe?: string;
  swid?: string;
  hashes: SbomHash[];
  licences: SbomLicence[];
  /** Property name -> values (CycloneDX properties; SPDX annotations are not read). */
  properties: Map<string, string[]>;
  externalRefs: { type: string; url: string; hashes: SbomHash[] }[];
  crypto?: SbomCryptoAsset;
  /** CycloneDX `scope`: required, optional, excluded. */
  scope?: string;
}

export interface SbomDependency {
  readonly ref: string;
  readonly dependsOn: readonly string[];
  /** CycloneDX 1.6 `provides`: what the element implements (a standard, an algorithm). */
  readonly provides?: readonly string[];
  readonly location: string;
  /** Where the j-th entry of `dependsOn` or `provides` sits, when not at `<location>/<key>/<j>`. */
  pointer?(key: "dependsOn" | "provides", j: number): string;
}

/** A reference from one place of the document to an element id, checked for resolution. */
export interface SbomReference {
  ref: string;
  location: string;
}

export interface SbomDocument {
  /** cyclonedx | spdx */
  family: "cyclonedx" | "spdx";
  specVersion: string;
  serialNumber?: string;
  timestamp?: string;
  /** Authors, tools and organisations that made the SBOM (names). */
  authors: string[];
  /** Contacts (e-mail or URL) of the SBOM's creator, for BSI TR-03183-2. */
  creatorContacts: string[];
  /** CycloneDX 1.5+ `metadata.lifecycles` phases. */
  lifecycles: string[];
  /** The component the SBOM describes (CycloneDX metadata.component, SPDX documentDescribes / DESCRIBES). */
  primary?: SbomComponent;
  /** Every other component, nested ones flattened, in document order. */
  components: SbomComponent[];
  dependencies: readonly SbomDependency[];
  /** Ids that elements declare (bom-ref, SPDXID, spdxId), with where, to find duplicates. */
  declaredIds: readonly SbomReference[];
  /** References to ids from elsewhere (compositions, vulnerabilities.affects, relationships...). */
  references: readonly SbomReference[];
  /**
   * Whether the dependency entries' own ids (`ref`, `dependsOn`, `provides`) are references to check
   * too (CycloneDX, where the graph is written as such), rather than derived from `references` (SPDX
   * relationships). Not copied into `references`: a large SBOM has hundreds of thousands of them.
   */
  dependenciesAreReferences: boolean;
  /** Whether the format could express dependencies and the document did. */
  hasDependencyData: boolean;
  /** CycloneDX `vulnerabilities` (VEX inside the SBOM), kept raw for the vulnerability collector. */
  vulnerabilities: unknown[];
}

/**
 * A reference whose place is `<element's location><suffix>` (a component's `/bom-ref`): the pointer
 * is built only when a message names it.
 */
export class SuffixReference implements SbomReference {
  constructor(
    readonly ref: string,
    private readonly at: { readonly location: string },
    private readonly suffix: string,
  ) {}
  get location(): string {
    return this.at.location + this.suffix;
  }
}

/** Names in their first order, each once (a tool named as author and as tool is one author). */
export function distinctNames(names: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const n of names) if (n !== undefined && n !== "" && !out.includes(n)) out.push(n);
  return out;
}

export function componentLabel(c: SbomComponent): string {
  const name = c.group ? `${c.group}/${c.name ?? "?"}` : (c.name ?? "(unnamed)");
  return c.version ? `${name}@${c.version}` : name;
}
