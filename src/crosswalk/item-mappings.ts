import type { CatalogRegistry } from "../catalog/registry.js";
import type { ProvenanceKind, Rationale, Relationship, ReviewStatus } from "./model.js";
import type { CrosswalkSet } from "./set.js";

/** An item on the other side of a mapping row, with what a reader needs to recognise it. */
export interface MappedItem {
  id: string;
  catalog: string;
  label: string;
  title: string;
}

/** One crosswalk row an item takes part in, read from the item's side. */
export interface ItemMapping {
  /** `<crosswalk id>#<row id>`. */
  key: string;
  crosswalk: { id: string; title: string; provenance: ProvenanceKind; version: string };
  /** The other text of the crosswalk. */
  catalog: string;
  /** True when the item is on the crosswalk's source side (the row reads as its file writes it). */
  forward: boolean;
  /** How the item relates to the other side (subset-of reads "the item is a subset of them"). */
  relationship: Relationship;
  rationale: Rationale;
  strength?: number;
  review: ReviewStatus;
  note?: string;
  /** Other items on the item's own side of the row (a many-to-one row). */
  with: MappedItem[];
  items: MappedItem[];
}

/**
 * Every crosswalk row naming an item, to and from every text: the rows of crosswalks from the
 * item's catalog read forwards, and of crosswalks into it read backwards (so the relationship is
 * always the item's). Sorted by the other catalog, then crosswalk, rows in file order, so the answer does not
 * depend on load order.
 */
export function itemMappings(set: CrosswalkSet, registry: CatalogRegistry, itemId: string): ItemMapping[] {
  const item = registry.item(itemId);
  if (!item) return [];
  const brief = (id: string): MappedItem => {
    const x = registry.item(id);
    return {
      id,
      catalog: x?.catalogId ?? id.slice(0, Math.max(0, id.indexOf(":"))),
      label: x?.label ?? id,
      title: x?.title ?? "",
    };
  };
  const out: ItemMapping[] = [];
  for (const d of set.from(item.catalogId)) {
    for (const row of d.byFrom.get(item.id) ?? []) {
      const m = row.mapping;
      const meta = d.crosswalk.meta;
      const e: ItemMapping = {
        key: m.key,
        crosswalk: {
          id: meta.id,
          title: meta.title,
          provenance: meta.provenance.kind,
          version: meta.version,
        },
        catalog: d.to,
        forward: d.forward,
        relationship: row.relationship,
        rationale: m.rationale,
        review: m.review,
        with: row.from.filter((x) => x !== item.id).map(brief),
        items: row.to.map(brief),
      };
      if (m.strength !== undefined) e.strength = m.strength;
      if (m.note !== undefined) e.note = m.note;
      out.push(e);
    }
  }
  // Stable: rows keep their order in the crosswalk file.
  return out.sort((a, b) => cmp(a.catalog, b.catalog) || cmp(a.crosswalk.id, b.crosswalk.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
