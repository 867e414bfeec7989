/** The catalog model: one reference text at one version, a tree of items. */

export type CatalogStatus = "final" | "draft" | "withdrawn";
export type CatalogTerms = "full-text" | "ids-only";
export type Verification = "checked" | "to-verify";
export type PropValue = string | number | boolean | string[];

export const CATALOG_FORMAT = "cairn-catalog/1";

export interface CatalogSource {
  reference: string;
  url?: string;
  doi?: string;
  basis?: string;
  retrieved?: string;
}

/** What a catalog holds of its source text, and what it is known or reported to lack. */
export interface CatalogCompleteness {
  status: "complete" | "partial";
  gaps?: {
    /** missing: known to be in the source and absent here; reported: said elsewhere, not verified. */
    kind: "missing" | "reported";
    description: string;
    source?: string;
  }[];
}

export interface CatalogMetadata {
  id: string;
  title: string;
  shortTitle?: string;
  publisher: string;
  version: string;
  published: string;
  status: CatalogStatus;
  description?: string;
  source: CatalogSource;
  terms: CatalogTerms;
  license?: string;
  verification: Verification;
  kinds?: string[];
  notes?: string[];
  completeness?: CatalogCompleteness;
}

/** An item as written in a catalog file. */
export interface CatalogItemRecord {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  order?: number;
  props?: Record<string, PropValue>;
  verification?: Verification;
  notes?: string;
}

export interface CatalogFile {
  format: typeof CATALOG_FORMAT;
  catalog: CatalogMetadata;
  items: CatalogItemRecord[];
}

/** An item once loaded: ids resolved, defaults applied, tree links in place. */
export interface CatalogItem {
  /** Stable id: `<catalog id>:<ref>`. */
  id: string;
  catalogId: string;
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  /** Item id of the parent, absent at the top level. */
  parent?: string;
  order: number;
  depth: number;
  props: Record<string, PropValue>;
  verification: Verification;
  notes?: string;
}

export interface Catalog {
  meta: CatalogMetadata;
  /** `<id>@<version>`. */
  key: string;
  /** Items in tree order: each parent before its children, siblings by `order`. */
  items: CatalogItem[];
  byRef: ReadonlyMap<string, CatalogItem>;
  /** Children per parent item id; top-level items under the empty string. */
  children: ReadonlyMap<string, readonly CatalogItem[]>;
}

export function itemId(catalogId: string, ref: string): string {
  return `${catalogId}:${ref}`;
}

export function catalogKey(meta: Pick<CatalogMetadata, "id" | "version">): string {
  return `${meta.id}@${meta.version}`;
}

export function countKinds(catalog: Catalog): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of catalog.items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
