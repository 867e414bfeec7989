import { loadBundledGlossary, loadCatalogs } from "../catalog/files.js";
import type { Catalog, CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { SearchIndex } from "../catalog/search.js";
import { CairnError } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import { loadBundledRules, loadPresets, type Preset } from "../profile/files.js";
import type { RuleSet } from "../profile/rules.js";

/**
 * The shared reference data: catalogs, crosswalks, profiling rules. Read-only, the same for every
 * organisation, loaded once per process on first use (and the search index on first search).
 * Serialised JSON of catalogs and items is kept, so reading them costs no serialisation.
 */
export class Reference {
  private registryValue?: CatalogRegistry;
  private crosswalksValue?: CrosswalkSet;
  private rulesValue?: RuleSet;
  private indexValue?: SearchIndex;
  private presetsValue?: Preset[];
  private readonly json = new Map<string, Buffer>();

  constructor(private readonly extraCatalogs: string[] = []) {}

  get registry(): CatalogRegistry {
    if (!this.registryValue) {
      const r = loadCatalogs({ extra: this.extraCatalogs });
      if (r.problems.length > 0) throw new CairnError("catalog files are invalid", r.problems);
      this.registryValue = r.registry;
    }
    return this.registryValue;
  }

  get crosswalks(): CrosswalkSet {
    if (!this.crosswalksValue) {
      const r = loadCrosswalks(this.registry);
      if (r.problems.length > 0) throw new CairnError("crosswalk files are invalid", r.problems);
      this.crosswalksValue = r.set;
    }
    return this.crosswalksValue;
  }

  get rules(): RuleSet {
    this.rulesValue ??= loadBundledRules(this.registry, this.crosswalks);
    return this.rulesValue;
  }

  get presets(): Preset[] {
    this.presetsValue ??= loadPresets();
    return this.presetsValue;
  }

  get index(): SearchIndex {
    this.indexValue ??= new SearchIndex(this.registry.list(), { glossary: loadBundledGlossary() });
    return this.indexValue;
  }

  /** JSON computed and encoded once per key (reference data never changes while the server runs). */
  cached(key: string, make: () => unknown): Buffer {
    let body = this.json.get(key);
    if (body === undefined) {
      body = Buffer.from(JSON.stringify(make()));
      this.json.set(key, body);
    }
    return body;
  }

  has(key: string): Buffer | undefined {
    return this.json.get(key);
  }

  itemView(item: CatalogItem): object {
    const catalog = this.registry.catalogOf(item);
    const brief = (i: CatalogItem) => ({ id: i.id, label: i.label, title: i.title, kind: i.kind });
    return {
      item,
      catalog: { id: catalog.meta.id, version: catalog.meta.version, key: catalog.key },
      ancestors: this.registry.ancestors(item).map(brief),
      children: this.registry.children(item).map(brief),
    };
  }
}

export function catalogSummary(c: Catalog): object {
  const m = c.meta;
  return {
    id: m.id,
    key: c.key,
    version: m.version,
    title: m.title,
    ...(m.shortTitle !== undefined ? { shortTitle: m.shortTitle } : {}),
    publisher: m.publisher,
    published: m.published,
    status: m.status,
    terms: m.terms,
    verification: m.verification,
    items: c.items.length,
  };
}

const shared = new Map<string, Reference>();

/** One Reference per set of extra catalog paths, shared by every server in the process. */
export function sharedReference(extraCatalogs: string[] = []): Reference {
  const key = JSON.stringify(extraCatalogs);
  let r = shared.get(key);
  if (!r) {
    r = new Reference(extraCatalogs);
    shared.set(key, r);
  }
  return r;
}
