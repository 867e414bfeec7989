import { type KeyboardEvent, useId, useMemo } from "react";
import { layeredLayout } from "../lib/graph-layout.js";
import type { DocumentFamily, FamilyEdge } from "../types.js";

const BOX = { width: 140, height: 46, colGap: 60, rowGap: 30, margin: 16 };

const EDGE_CLASS: Record<string, string> = {
  mandates: "edge-mandates",
  extends: "edge-extends",
  specialises: "edge-specialises",
  cites: "edge-cites",
  "prerequisite-of": "edge-prerequisite",
  "maps-to": "edge-maps",
  assesses: "edge-assesses",
  repeals: "edge-repeals",
};

function edgeKey(e: FamilyEdge): string {
  return `${e.from}>${e.to}>${e.type}`;
}

/**
 * The document family as an SVG graph: one box per text, one labelled arrow per relation. Boxes
 * are focusable buttons (Tab, then Enter or Space) that select a text and highlight its relations.
 */
export function FamilyGraph({
  family,
  selected,
  onSelect,
}: {
  family: DocumentFamily;
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
}) {
  const id = useId();
  const layout = useMemo(
    () =>
      layeredLayout(
        family.documents.map((d) => d.id),
        family.edges,
        BOX,
      ),
    [family],
  );
  const byId = new Map(family.documents.map((d) => [d.id, d]));
  const key = (e: KeyboardEvent, doc: string) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect(selected === doc ? undefined : doc);
    }
  };
  // Edges between the same two boxes are fanned out, and a label that would cover another label
  // or a box moves up or down until it is clear.
  const seen = new Map<string, number>();
  const taken: { x: number; y: number; w: number; h: number }[] = [...layout.nodes.values()].map((n) => ({
    x: n.x,
    y: n.y,
    w: BOX.width,
    h: BOX.height,
  }));
  const place = (cx: number, cy: number, w: number): number => {
    const h = 16;
    const clear = (y: number) =>
      taken.every(
        (r) => cx - w / 2 > r.x + r.w || cx + w / 2 < r.x || y - h / 2 > r.y + r.h || y + h / 2 < r.y,
      );
    for (const d of [0, 16, -16, 32, -32, 48, -48]) {
      if (clear(cy + d)) {
        taken.push({ x: cx - w / 2, y: cy + d - h / 2, w, h });
        return cy + d;
      }
    }
    return cy;
  };
  return (
    <figure className="graph">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        style={{ maxWidth: layout.width }}
        className="family-graph"
        aria-labelledby={`${id}-t`}
      >
        <title id={`${id}-t`}>
          Document family: {family.documents.length} texts and {family.edges.length} relations
        </title>
        <defs>
          <marker
            id={`${id}-arrow`}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        <g className="edges">
          {family.edges.map((e) => {
            const a = layout.nodes.get(e.from);
            const b = layout.nodes.get(e.to);
            if (!a || !b) return null;
            const pair = [e.from, e.to].sort().join("|");
            const n = seen.get(pair) ?? 0;
            seen.set(pair, n + 1);
            const bend = n * 18;
            let d: string;
            let lx: number;
            let ly: number;
            if (b.rank > a.rank) {
              const x1 = a.x + BOX.width;
              const y1 = a.y + BOX.height / 2;
              const x2 = b.x;
              const y2 = b.y + BOX.height / 2;
              const c = (x2 - x1) / 2;
              d = `M ${x1} ${y1} C ${x1 + c} ${y1 + bend}, ${x2 - c} ${y2 + bend}, ${x2} ${y2}`;
              lx = (x1 + x2) / 2;
              ly = (y1 + y2) / 2 + bend * 0.75;
            } else {
              // Same rank or backwards: an arc below the boxes.
              const x1 = a.x + BOX.width / 2;
              const y1 = a.y + BOX.height;
              const x2 = b.x + BOX.width / 2;
              const y2 = b.y + BOX.height;
              const drop = 34 + bend + Math.abs(x2 - x1) * 0.08;
              d = `M ${x1} ${y1} C ${x1} ${y1 + drop}, ${x2} ${y2 + drop}, ${x2} ${y2}`;
              lx = (x1 + x2) / 2;
              ly = Math.max(y1, y2) + drop * 0.75;
            }
            const lw = e.type.length * 6.8 + 8;
            ly = place(lx, ly, lw);
            const active = selected !== undefined && (e.from === selected || e.to === selected);
            const dim = selected !== undefined && !active;
            return (
              <g
                key={edgeKey(e)}
                className={`edge ${EDGE_CLASS[e.type] ?? ""}${active ? " active" : ""}${dim ? " dim" : ""}`}
              >
                <path d={d} fill="none" markerEnd={`url(#${id}-arrow)`} />
                <rect x={lx - lw / 2} y={ly - 9} width={lw} height={16} rx="3" className="edge-label-bg" />
                <text x={lx} y={ly + 3} textAnchor="middle" className="edge-label">
                  {e.type}
                </text>
              </g>
            );
          })}
        </g>
        {family.documents.map((doc) => {
          const p = layout.nodes.get(doc.id);
          if (!p) return null;
          const on = selected === doc.id;
          const label = doc.shortTitle.length > 19 ? `${doc.shortTitle.slice(0, 18)}…` : doc.shortTitle;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it has the role, focus and keys of one
            <g
              key={doc.id}
              role="button"
              tabIndex={0}
              aria-pressed={on}
              aria-label={`${doc.shortTitle}: ${doc.kind}, ${doc.publisher}, ${doc.date}`}
              className={`node node-${doc.kind}${on ? " selected" : ""}`}
              transform={`translate(${p.x}, ${p.y})`}
              onClick={() => onSelect(on ? undefined : doc.id)}
              onKeyDown={(e) => key(e, doc.id)}
            >
              <rect width={BOX.width} height={BOX.height} rx="6" />
              <text x={BOX.width / 2} y={19} textAnchor="middle" className="node-title">
                {label}
              </text>
              <text x={BOX.width / 2} y={35} textAnchor="middle" className="node-kind">
                {doc.kind} · {doc.date.slice(0, 4)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        {byId.size} texts. Select a text (Tab, then Enter) to highlight its relations; the table below lists
        them all.
      </figcaption>
    </figure>
  );
}
