import type { Catalog, CatalogItem } from "../catalog/model.js";
import { compose, type Relationship } from "./model.js";
import type { CrosswalkSet, DirectedCrosswalk } from "./set.js";

export interface MatrixCell {
  id: string;
  label: string;
  /** The mapped item's title, so a cell reads as words, not only an id. */
  title?: string;
  relationship: Relationship;
  /** True when no crosswalk joins the anchor and this column directly: composed along `via`. */
  derived: boolean;
  via?: string[];
  /** Anchor descendants the cell was rolled up from, when the rows stop above them. */
  from?: string[];
}

export interface MatrixRow {
  item: string;
  label: string;
  title: string;
  kind: string;
  depth: number;
  cells: Record<string, MatrixCell[]>;
}

export interface Matrix {
  anchor: string;
  columns: string[];
  rows: MatrixRow[];
}

// When one target is reached several ways, show the strongest statement of them.
const STRENGTH: Record<Relationship, number> = {
  equal: 4,
  "superset-of": 3,
  "subset-of": 2,
  "intersects-with": 1,
  "not-related": 0,
};

/** Shortest chain of crosswalks from one catalog to another (breadth first, ids in sorted order). */
export function catalogPath(set: CrosswalkSet, from: string, to: string): DirectedCrosswalk[] | undefined {
  const prev = new Map<string, DirectedCrosswalk | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const c = queue.shift() as string;
    if (c === to) break;
    for (const edge of set.from(c)) {
      if (prev.has(edge.to)) continue;
      prev.set(edge.to, edge);
      queue.push(edge.to);
    }
  }
  if (!prev.has(to)) return undefined;
  const path: DirectedCrosswalk[] = [];
  for (let e = prev.get(to); e; e = prev.get(e.from)) path.unshift(e);
  return path;
}

/** Item-to-items relationships along a chain of directed crosswalks, for every item of the first catalog. */
function reach(chain: DirectedCrosswalk[]): Map<string, Map<string, Relationship>> {
  const first = chain[0];
  const out = new Map<string, Map<string, Relationship>>();
  if (!first) return out;
  for (const startId of first.byFrom.keys()) {
    let frontier = new Map<string, Relationship>([[startId, "equal"]]);
    for (const edge of chain) {
      const next = new Map<string, Relationship>();
      for (const [id, rel] of frontier) {
        for (const row of edge.byFrom.get(id) ?? []) {
          const r = compose(rel, row.relationship);
          if (r === undefined) continue;
          for (const t of row.to) {
            const had = next.get(t);
            if (had === undefined || STRENGTH[r] > STRENGTH[had]) next.set(t, r);
          }
        }
      }
      frontier = next;
      if (frontier.size === 0) break;
    }
    if (frontier.size > 0) out.set(startId, frontier);
  }
  return out;
}

/**
 * The consolidated provisions matrix: one row per anchor item (down to `depth`), one column per
 * other catalog, each cell the items mapped to the row with the relationship. Direct crosswalks are
 * used where they exist; otherwise the shortest chain, marked derived. A row that stops above the
 * mapped items rolls up its descendants' cells.
 */
export function buildMatrix(
  set: CrosswalkSet,
  anchor: Catalog,
  columns: readonly Catalog[],
  options: { depth?: number } = {},
): Matrix {
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const labels = new Map<string, { label: string; title: string }>();
  for (const c of columns) for (const item of c.items) labels.set(item.id, item);

  const perColumn = columns.map((col) => {
    const direct = set.between(anchor.meta.id, col.meta.id);
    const map = new Map<string, Map<string, { rel: Relationship; derived: boolean; via?: string[] }>>();
    if (direct.length > 0) {
      for (const edge of direct) {
        for (const row of edge.rows) {
          // A reviewed "not related" is a statement about a pair, not a cell of the matrix.
          if (row.relationship === "not-related") continue;
          for (const f of row.from) {
            let m = map.get(f);
            if (!m) {
              m = new Map();
              map.set(f, m);
            }
            for (const t of row.to) {
              const had = m.get(t);
              if (!had || STRENGTH[row.relationship] > STRENGTH[had.rel])
                m.set(t, { rel: row.relationship, derived: false });
            }
          }
        }
      }
    } else {
      const chain = catalogPath(set, anchor.meta.id, col.meta.id);
      if (chain) {
        const via = chain.slice(0, -1).map((e) => e.to);
        for (const [f, targets] of reach(chain)) {
          map.set(f, new Map([...targets].map(([t, rel]) => [t, { rel, derived: true, via }])));
        }
      }
    }
    // Cells list targets in the column catalog's own order.
    const order = new Map(col.items.map((i, n) => [i.id, n]));
    return { col, map, order };
  });

  const cellsFor = (items: CatalogItem[]): Record<string, MatrixCell[]> => {
    const cells: Record<string, MatrixCell[]> = {};
    for (const { col, map, order } of perColumn) {
      const merged = new Map<string, MatrixCell>();
      for (const item of items) {
        for (const [t, v] of map.get(item.id) ?? []) {
          const had = merged.get(t);
          if (had && STRENGTH[had.relationship] >= STRENGTH[v.rel]) {
            if (had.from && !had.from.includes(item.id)) had.from.push(item.id);
            continue;
          }
          const named = labels.get(t);
          const cell: MatrixCell = {
            id: t,
            label: named?.label ?? t,
            ...(named?.title ? { title: named.title } : {}),
            relationship: v.rel,
            derived: v.derived,
          };
          if (v.via) cell.via = v.via;
          if (items.length > 1) cell.from = [item.id];
          merged.set(t, cell);
        }
      }
      cells[col.meta.id] = [...merged.values()].sort(
        (a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
      );
    }
    return cells;
  };

  const descendants = (item: CatalogItem): CatalogItem[] => {
    const out: CatalogItem[] = [item];
    for (const child of anchor.children.get(item.id) ?? []) out.push(...descendants(child));
    return out;
  };

  const rows: MatrixRow[] = anchor.items
    .filter((i) => i.depth < depth)
    .map((item) => ({
      item: item.id,
      label: item.label,
      title: item.title,
      kind: item.kind,
      depth: item.depth,
      cells: cellsFor(item.depth === depth - 1 ? descendants(item) : [item]),
    }));
  return { anchor: anchor.key, columns: columns.map((c) => c.meta.id), rows };
}
