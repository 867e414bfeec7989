import type { Catalog, CatalogItem } from "./model.js";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ItemChange {
  ref: string;
  before: CatalogItem;
  after: CatalogItem;
  changes: FieldChange[];
}

export interface CatalogDiff {
  from: string;
  to: string;
  added: CatalogItem[];
  removed: CatalogItem[];
  changed: ItemChange[];
  unchanged: number;
}

const COMPARED: (keyof CatalogItem)[] = [
  "label",
  "kind",
  "title",
  "text",
  "parent",
  "props",
  "verification",
  "notes",
];

function stable(value: unknown): string {
  if (value === undefined) return "";
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    return JSON.stringify(
      Object.keys(obj)
        .sort()
        .map((k) => [k, obj[k]]),
    );
  }
  return JSON.stringify(value);
}

/** Items added, removed and changed between two versions, matched by ref. */
export function diffCatalogs(from: Catalog, to: Catalog): CatalogDiff {
  const added: CatalogItem[] = [];
  const removed: CatalogItem[] = [];
  const changed: ItemChange[] = [];
  let unchanged = 0;
  // Parents are compared by ref: the catalog id part of the item id is the same in both versions.
  const parentRef = (item: CatalogItem) => item.parent?.slice(item.parent.indexOf(":") + 1);
  for (const before of from.items) {
    const after = to.byRef.get(before.ref);
    if (!after) {
      removed.push(before);
      continue;
    }
    const changes: FieldChange[] = [];
    for (const field of COMPARED) {
      const b = field === "parent" ? parentRef(before) : before[field];
      const a = field === "parent" ? parentRef(after) : after[field];
      if (stable(b) !== stable(a)) changes.push({ field, before: b, after: a });
    }
    if (changes.length > 0) changed.push({ ref: before.ref, before, after, changes });
    else unchanged++;
  }
  for (const after of to.items) if (!from.byRef.has(after.ref)) added.push(after);
  return { from: from.key, to: to.key, added, removed, changed, unchanged };
}
