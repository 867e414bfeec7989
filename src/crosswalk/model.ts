/** Crosswalks: mappings between two catalog versions with NIST IR 8477 set relationships. */

export type Relationship = "equal" | "subset-of" | "superset-of" | "intersects-with" | "not-related";
export type Rationale = "syntactic" | "semantic" | "functional";
export type ReviewStatus = "draft" | "reviewed" | "disputed";
export type ProvenanceKind = "official" | "official-draft" | "derived" | "authored";

export const RELATIONSHIPS: readonly Relationship[] = [
  "equal",
  "subset-of",
  "superset-of",
  "intersects-with",
  "not-related",
];

export interface CatalogVersionRef {
  catalog: string;
  version: string;
}

export interface MappingRecord {
  id?: string;
  sources: string[];
  targets: string[];
  relationship: Relationship;
  rationale: Rationale;
  strength?: number;
  review: ReviewStatus;
  reviewer?: string;
  note?: string;
}

export interface CrosswalkFile {
  format: "cairn-crosswalk/1";
  crosswalk: {
    id: string;
    title: string;
    version: string;
    source: CatalogVersionRef;
    target: CatalogVersionRef;
    provenance: {
      kind: ProvenanceKind;
      publication?: string;
      url?: string;
      basis: string;
      authors?: string[];
    };
    notes?: string[];
  };
  mappings: MappingRecord[];
}

/** A loaded mapping row: refs resolved to full item ids. */
export interface Mapping {
  /** `<crosswalk id>#<row id>` (row id, or the 1-based row number when the row has none). */
  key: string;
  crosswalk: string;
  rowId: string;
  /** Full item ids (`<catalog>:<ref>`). */
  sources: string[];
  targets: string[];
  relationship: Relationship;
  rationale: Rationale;
  strength?: number;
  review: ReviewStatus;
  note?: string;
}

export interface Crosswalk {
  meta: CrosswalkFile["crosswalk"];
  /** `<catalog>@<version>` keys of the two ends. */
  sourceKey: string;
  targetKey: string;
  mappings: Mapping[];
}

/** The same mapping read from the target's side. */
export function inverse(r: Relationship): Relationship {
  if (r === "subset-of") return "superset-of";
  if (r === "superset-of") return "subset-of";
  return r;
}

/** Marks used in tables and the matrix: = equal, ⊂ subset-of, ⊃ superset-of, ∩ intersects-with, ∅ not-related. */
export const RELATIONSHIP_MARK: Record<Relationship, string> = {
  equal: "=",
  "subset-of": "⊂",
  "superset-of": "⊃",
  "intersects-with": "∩",
  "not-related": "∅",
};

/**
 * The relationship along two steps (a r1 b, b r2 c => a ? c), only where set theory decides it:
 * equal is the identity, same-direction containment composes, and a superset on the way in or a
 * subset on the way out keeps an overlap. Anything else (a ⊂ b ⊃ c, two overlaps, not-related)
 * says nothing about a and c: undefined.
 */
export function compose(r1: Relationship, r2: Relationship): Relationship | undefined {
  if (r1 === "not-related" || r2 === "not-related") return undefined;
  if (r1 === "equal") return r2;
  if (r2 === "equal") return r1;
  if (r1 === r2 && (r1 === "subset-of" || r1 === "superset-of")) return r1;
  if (r1 === "superset-of" && (r2 === "subset-of" || r2 === "intersects-with")) return "intersects-with";
  if (r1 === "intersects-with" && r2 === "subset-of") return "intersects-with";
  return undefined;
}
