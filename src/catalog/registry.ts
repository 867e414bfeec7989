import { CairnError } from "../core/problem.js";
import type { Catalog, CatalogItem } from "./model.js";

/** Orders versions of one catalog: later publication first, then version string descending. */
function newerFirst(a: Catalog, b: Catalog): number {
  return (
    b.meta.published.localeCompare(a.meta.published) ||
    b.meta.version.localeCompare(a.meta.version, "en", { numeric: true })
  );
}

/**
 * All loaded catalogs, with constant-time item lookup by id. An item id is `<catalog>:<ref>` (the
 * newest version of that catalog) or `<catalog>@<version>:<ref>`.
 */
export class CatalogRegistry {
  private readonly byKey = new Map<string, Catalog>();
  private readonly byId = new Map<string, Catalog[]>();
  private readonly items = new Map<string, CatalogItem>();
  private readonly labels = new Map<string, Map<string, CatalogItem | null>>();

  constructor(catalogs: Iterable<Catalog>) {
    for (const c of catalogs) {
      if (this.byKey.has(c.key)) throw new CairnError(`catalog ${c.key} is loaded twice`);
      this.byKey.set(c.key, c);
      const list = this.byId.get(c.meta.id) ?? [];
      list.push(c);
      this.byId.set(c.meta.id, list);
    }
    for (const list of this.byId.values()) list.sort(newerFirst);
    for (const [id, list] of this.byId) {
      for (const c of list) {
        for (const item of c.items) this.items.set(`${c.key}:${item.ref}`, item);
      }
      // The bare id names the newest version.
      for (const item of (list[0] as Catalog).items) this.items.set(`${id}:${item.ref}`, item);
    }
  }

  /** Catalogs sorted by id, newest version first within an id. */
  list(): Catalog[] {
    return [...this.byId.keys()].sort().flatMap((id) => this.byId.get(id) ?? []);
  }

  /** The newest version of each catalog. */
  latest(): Catalog[] {
    return [...this.byId.keys()].sort().map((id) => (this.byId.get(id) as Catalog[])[0] as Catalog);
  }

  versions(id: string): Catalog[] {
    return this.byId.get(id) ?? [];
  }

  /** `id` (newest version) or `id@version`. */
  get(ref: string): Catalog | undefined {
    const at = ref.indexOf("@");
    if (at >= 0) return this.byKey.get(ref);
    return this.byId.get(ref)?.[0];
  }

  /** Like get, but a missing catalog is a usage error that lists what exists. */
  require(ref: string): Catalog {
    const c = this.get(ref);
    if (c) return c;
    const at = ref.indexOf("@");
    const id = at >= 0 ? ref.slice(0, at) : ref;
    const versions = this.versions(id);
    if (versions.length > 0) {
      throw new CairnError(
        `catalog ${id} has no version "${ref.slice(at + 1)}"; versions: ${versions.map((v) => v.meta.version).join(", ")}`,
      );
    }
    throw new CairnError(`unknown catalog "${id}"; catalogs: ${[...this.byId.keys()].sort().join(", ")}`);
  }

  /** Item by stable id; falls back to the printed label when it is unambiguous in that catalog. */
  item(id: string): CatalogItem | undefined {
    const hit = this.items.get(id);
    if (hit) return hit;
    const colon = id.indexOf(":");
    if (colon < 0) return undefined;
    const catalog = this.get(id.slice(0, colon));
    if (!catalog) return undefined;
    return this.labelIndex(catalog).get(normaliseLabel(id.slice(colon + 1))) ?? undefined;
  }

  catalogOf(item: CatalogItem): Catalog {
    // Items are shared objects, so the catalog that holds this very object is found by identity.
    for (const c of this.versions(item.catalogId)) if (c.byRef.get(item.ref) === item) return c;
    throw new Error(`item ${item.id} belongs to no loaded catalog`);
  }

  ancestors(item: CatalogItem): CatalogItem[] {
    const catalog = this.catalogOf(item);
    const out: CatalogItem[] = [];
    let parent = item.parent;
    while (parent !== undefined) {
      const p = catalog.byRef.get(parent.slice(parent.indexOf(":") + 1));
      if (!p) break;
      out.unshift(p);
      parent = p.parent;
    }
    return out;
  }

  children(item: CatalogItem): readonly CatalogItem[] {
    return this.catalogOf(item).children.get(item.id) ?? [];
  }

  private labelIndex(catalog: Catalog): Map<string, CatalogItem | null> {
    let index = this.labels.get(catalog.key);
    if (!index) {
      index = new Map();
      for (const item of catalog.items) {
        const key = normaliseLabel(item.label);
        // null marks a label printed on several items: it cannot name one of them.
        index.set(key, index.has(key) ? null : item);
      }
      this.labels.set(catalog.key, index);
    }
    return index;
  }
}

export function normaliseLabel(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, " ");
}
