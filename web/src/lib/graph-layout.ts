// Layered layout of a small directed graph (the document family: a dozen texts, a few dozen
// edges): ranks by longest path with back edges ignored, order within a rank by the mean position
// of the predecessors. Pure, so it can be reasoned about apart from the SVG.

export interface LayoutEdge {
  from: string;
  to: string;
}

export interface Placed {
  id: string;
  rank: number;
  order: number;
  x: number;
  y: number;
}

export interface Layout {
  nodes: Map<string, Placed>;
  width: number;
  height: number;
}

export function layeredLayout(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  box: { width: number; height: number; colGap: number; rowGap: number; margin: number },
): Layout {
  const out = new Map<string, string[]>();
  for (const id of ids) out.set(id, []);
  for (const e of edges) if (out.has(e.from) && out.has(e.to) && e.from !== e.to) out.get(e.from)?.push(e.to);

  // Depth-first search marks back edges, so cycles (texts that map both ways) cannot loop.
  const state = new Map<string, 0 | 1 | 2>();
  const forward: LayoutEdge[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    for (const to of out.get(id) ?? []) {
      const s = state.get(to) ?? 0;
      if (s === 1) continue;
      forward.push({ from: id, to });
      if (s === 0) visit(to);
    }
    state.set(id, 2);
  };
  for (const id of ids) if ((state.get(id) ?? 0) === 0) visit(id);

  // Longest path from a source: relax the forward edges (a DAG) until nothing changes.
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of forward) {
      const r = (rank.get(e.from) ?? 0) + 1;
      if (r > (rank.get(e.to) ?? 0)) {
        rank.set(e.to, r);
        changed = true;
      }
    }
    if (!changed) break;
  }

  // A text that nothing points to sits just before the nearest text it points to, not at the far
  // left: a test specification beside the standard it assesses.
  const succ = new Map<string, string[]>();
  const hasPred = new Set<string>();
  for (const e of forward) {
    succ.set(e.from, [...(succ.get(e.from) ?? []), e.to]);
    hasPred.add(e.to);
  }
  for (const id of ids) {
    const next = succ.get(id);
    if (hasPred.has(id) || !next) continue;
    rank.set(id, Math.max(0, Math.min(...next.map((t) => rank.get(t) ?? 0)) - 1));
  }

  const ranks: string[][] = [];
  for (const id of ids) {
    const r = rank.get(id) ?? 0;
    ranks[r] ??= [];
    ranks[r].push(id);
  }
  const order = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of forward) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  ranks.forEach((layer, r) => {
    if (r > 0) {
      const key = (id: string) => {
        const p = preds.get(id) ?? [];
        return p.length === 0
          ? Number.POSITIVE_INFINITY
          : p.reduce((n, x) => n + (order.get(x) ?? 0), 0) / p.length;
      };
      layer.sort((a, b) => key(a) - key(b));
    }
    for (const [i, id] of layer.entries()) order.set(id, i);
  });

  const tallest = Math.max(1, ...ranks.map((l) => l?.length ?? 0));
  const height = box.margin * 2 + tallest * box.height + (tallest - 1) * box.rowGap;
  const nodes = new Map<string, Placed>();
  ranks.forEach((layer, r) => {
    const span = layer.length * box.height + (layer.length - 1) * box.rowGap;
    const top = (height - span) / 2;
    layer.forEach((id, i) => {
      nodes.set(id, {
        id,
        rank: r,
        order: i,
        x: box.margin + r * (box.width + box.colGap),
        y: top + i * (box.height + box.rowGap),
      });
    });
  });
  const width = box.margin * 2 + ranks.length * box.width + Math.max(0, ranks.length - 1) * box.colGap;
  return { nodes, width, height };
}
