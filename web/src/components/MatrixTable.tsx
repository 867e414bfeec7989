import { useId, useState } from "react";
import { Link } from "../lib/router.js";
import type { Matrix, MatrixCell, MatrixRow, Relationship } from "../types.js";
import { itemLink } from "./ItemDetail.js";

const MARK: Record<Relationship, string> = {
  equal: "=",
  "subset-of": "⊂",
  "superset-of": "⊃",
  "intersects-with": "∩",
  "not-related": "∅",
};

const WORDS: Record<Relationship, string> = {
  equal: "equal to",
  "subset-of": "subset of",
  "superset-of": "superset of",
  "intersects-with": "intersects with",
  "not-related": "not related to",
};

export type Coverage = "full" | "partial" | "none";

/**
 * How far meeting the row's item meets the column's text, by the crosswalk inference's rules
 * (src/crosswalk/inference.ts): an equal or a superset carries a pass (full), a subset or an
 * intersection meets only a part (partial), no mapping says nothing (none).
 */
export function cellCoverage(cells: readonly MatrixCell[] | undefined): Coverage {
  if (!cells || cells.length === 0) return "none";
  return cells.some((c) => c.relationship === "equal" || c.relationship === "superset-of")
    ? "full"
    : "partial";
}

const COVERAGE_WORDS: Record<Coverage, string> = {
  full: "fully met",
  partial: "partly met",
  none: "not mapped",
};

function Cell({ cells, titles }: { cells: MatrixCell[] | undefined; titles: boolean }) {
  if (!cells || cells.length === 0) return <span className="muted">– not mapped</span>;
  return (
    <ul className="cell-list">
      {cells.map((c) => (
        <li key={c.id} className={c.derived ? "derived" : undefined}>
          <abbr title={WORDS[c.relationship]}>{MARK[c.relationship]}</abbr>{" "}
          <Link to={itemLink(c.id)} title={c.title}>
            {c.label}
          </Link>
          {titles && c.title ? <span className="cell-title"> {c.title}</span> : null}
          {c.derived && c.via ? (
            <span className="visually-hidden"> (composed via {c.via.join(", ")})</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A column or anchor may be named `<id>@<version>`: its title is the catalog's. */
function titleOf(titles: Record<string, string>, key: string): string {
  return titles[key] ?? titles[key.replace(/@.*$/, "")] ?? key;
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n * 100) / of));

/**
 * The coverage view: per compared text, how many of the anchor's rows meeting them would meet it
 * fully, in part, or not at all, as numbers, percentages and a bar (the heat map's summary).
 */
function CoverageSummary({
  matrix,
  rows,
  titles,
}: {
  matrix: Matrix;
  rows: readonly MatrixRow[];
  titles: Record<string, string>;
}) {
  return (
    <div className="table-wrap">
      <table className="coverage-summary">
        <caption>Coverage per text: what meeting each row of {titleOf(titles, matrix.anchor)} meets</caption>
        <thead>
          <tr>
            <th scope="col">Text</th>
            <th scope="col" className="num">
              Fully met
            </th>
            <th scope="col" className="num">
              Partly met
            </th>
            <th scope="col" className="num">
              Not mapped
            </th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {matrix.columns.map((c) => {
            const n: Record<Coverage, number> = { full: 0, partial: 0, none: 0 };
            for (const r of rows) n[cellCoverage(r.cells[c])]++;
            const total = rows.length;
            return (
              <tr key={c}>
                <th scope="row">{titleOf(titles, c)}</th>
                <td className="num">
                  {n.full} ({pct(n.full, total)}%)
                </td>
                <td className="num">
                  {n.partial} ({pct(n.partial, total)}%)
                </td>
                <td className="num">
                  {n.none} ({pct(n.none, total)}%)
                </td>
                <td>
                  {/* Decorative: the numbers beside it say the same. */}
                  <span className="coverage-bar" aria-hidden="true">
                    <span
                      className="heat-full"
                      style={{ width: `${(n.full * 100) / Math.max(1, total)}%` }}
                    />
                    <span
                      className="heat-partial"
                      style={{ width: `${(n.partial * 100) / Math.max(1, total)}%` }}
                    />
                    <span
                      className="heat-none"
                      style={{ width: `${(n.none * 100) / Math.max(1, total)}%` }}
                    />
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The matrix as a table: a row per anchor item, a column per compared text, cells coloured by coverage. */
export function MatrixTable({
  matrix,
  titles,
  filter,
}: {
  matrix: Matrix;
  titles: Record<string, string>;
  filter: string;
}) {
  const [showTitles, setShowTitles] = useState(true);
  const [heat, setHeat] = useState(true);
  const titlesId = useId();
  const heatId = useId();
  const f = filter.toLowerCase();
  const rows = f
    ? matrix.rows.filter(
        (r) =>
          `${r.label} ${r.title}`.toLowerCase().includes(f) ||
          Object.values(r.cells).some((cs) =>
            cs.some((c) => `${c.label} ${c.title ?? ""}`.toLowerCase().includes(f)),
          ),
      )
    : matrix.rows;
  return (
    <>
      <CoverageSummary matrix={matrix} rows={rows} titles={titles} />
      <div className="matrix-options">
        <label htmlFor={titlesId} className="choice">
          <input
            id={titlesId}
            type="checkbox"
            checked={showTitles}
            onChange={(e) => setShowTitles(e.currentTarget.checked)}
          />{" "}
          Item titles in the cells
        </label>
        <label htmlFor={heatId} className="choice">
          <input
            id={heatId}
            type="checkbox"
            checked={heat}
            onChange={(e) => setHeat(e.currentTarget.checked)}
          />{" "}
          Colour cells by coverage
        </label>
      </div>
      {heat ? (
        <p className="heat-legend">
          <span className="swatch heat-full" aria-hidden="true" /> fully met (= or ⊃){" "}
          <span className="swatch heat-partial" aria-hidden="true" /> partly met (⊂ or ∩){" "}
          <span className="swatch heat-none" aria-hidden="true" /> not mapped
        </p>
      ) : null}
      <p role="status" className="muted">
        {rows.length} of {matrix.rows.length} rows
      </p>
      <div className="table-wrap">
        <table className={heat ? "matrix heat" : "matrix"}>
          <thead>
            <tr>
              <th scope="col">{titleOf(titles, matrix.anchor)}</th>
              {matrix.columns.map((c) => (
                <th scope="col" key={c}>
                  {titleOf(titles, c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.item}>
                <th scope="row" style={{ paddingLeft: `${0.5 + r.depth * 0.8}rem` }}>
                  <Link to={itemLink(r.item)}>
                    <span className="item-label">{r.label}</span>
                  </Link>{" "}
                  {r.title}
                </th>
                {matrix.columns.map((c) => {
                  const coverage = cellCoverage(r.cells[c]);
                  return (
                    <td key={c} className={heat ? `heat-${coverage}` : undefined}>
                      {heat ? <span className="visually-hidden">{COVERAGE_WORDS[coverage]}: </span> : null}
                      <Cell cells={r.cells[c]} titles={showTitles} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
