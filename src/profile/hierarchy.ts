import type { CatalogRegistry } from "../catalog/registry.js";
import type { ProfileItem } from "./model.js";

/**
 * Sets each item's `parent`: the nearest ancestor in its catalog that the profile also holds (an
 * SP 800-213A element whose sub-capability is not selected rolls up to its capability, if that is).
 * Items are returned in the same order; the input is not changed.
 */
export function withParents(items: readonly ProfileItem[], registry: CatalogRegistry): ProfileItem[] {
  const held = new Set(items.map((i) => i.id));
  return items.map((entry) => {
    const { parent: _old, ...rest } = entry;
    const item = registry.item(entry.id);
    if (!item) return rest;
    // ancestors() runs from the root down: the nearest held one is the last.
    const nearest = registry
      .ancestors(item)
      .reverse()
      .find((a) => held.has(a.id));
    return nearest ? { ...rest, parent: nearest.id } : rest;
  });
}
