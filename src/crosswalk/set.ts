import { type Crosswalk, inverse, type Mapping, type Relationship } from "./model.js";

/** One crosswalk read in one direction: from `from` catalog items to `to` catalog items. */
export interface DirectedCrosswalk {
  crosswalk: Crosswalk;
  forward: boolean;
  from: string;
  to: string;
  rows: DirectedRow[];
  /** Rows by the item ids on their `from` side. */
  byFrom: ReadonlyMap<string, readonly DirectedRow[]>;
}

export interface DirectedRow {
  mapping: Mapping;
  from: readonly string[];
  to: readonly string[];
  relationship: Relationship;
}

function direct(crosswalk: Crosswalk, forward: boolean): DirectedCrosswalk {
  const rows: DirectedRow[] = crosswalk.mappings.map((m) => ({
    mapping: m,
    from: forward ? m.sources : m.targets,
    to: forward ? m.targets : m.sources,
    relationship: forward ? m.relationship : inverse(m.relationship),
  }));
  const byFrom = new Map<string, DirectedRow[]>();
  for (const row of rows) {
    for (const id of row.from) {
      const list = byFrom.get(id);
      if (list) list.push(row);
      else byFrom.set(id, [row]);
    }
  }
  return {
    crosswalk,
    forward,
    from: forward ? crosswalk.meta.source.catalog : crosswalk.meta.target.catalog,
    to: forward ? crosswalk.meta.target.catalog : crosswalk.meta.source.catalog,
    rows,
    byFrom,
  };
}

/**
 * All loaded crosswalks as a graph over catalogs, each crosswalk usable in both directions (read
 * backwards, subset-of becomes superset-of). Sorted by id so that results never depend on the
 * order in which files were loaded.
 */
export class CrosswalkSet {
  readonly crosswalks: readonly Crosswalk[];
  private readonly edges = new Map<string, DirectedCrosswalk[]>();
  private readonly byId = new Map<string, Crosswalk>();

  constructor(crosswalks: Iterable<Crosswalk>) {
    this.crosswalks = [...crosswalks].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
    for (const c of this.crosswalks) {
      this.byId.set(c.meta.id, c);
      for (const forward of [true, false]) {
        const d = direct(c, forward);
        const list = this.edges.get(d.from);
        if (list) list.push(d);
        else this.edges.set(d.from, [d]);
      }
    }
  }

  get(id: string): Crosswalk | undefined {
    return this.byId.get(id);
  }

  /** Directed crosswalks leaving a catalog. */
  from(catalog: string): readonly DirectedCrosswalk[] {
    return this.edges.get(catalog) ?? [];
  }

  /** Catalog ids that take part in at least one crosswalk. */
  catalogs(): string[] {
    return [...this.edges.keys()].sort();
  }

  /** Crosswalks joining two catalogs directly, read from `a` to `b`. */
  between(a: string, b: string): DirectedCrosswalk[] {
    return this.from(a).filter((d) => d.to === b);
  }
}
