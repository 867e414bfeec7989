import { Link } from "../lib/router.js";
import type { Matrix, MatrixCell, Relationship } from "../types.js";
import { itemLink } from "./ItemDetail.js";

const MARK: Record<Relationship, string> = {
  equal: "=",
  "subset-of": "⊂",
  "superset-of": "⊃",
  "intersects-with": "∩",
  "not-related": "∅",
};

function Cell({ cells }: { cells: MatrixCell[] | undefined }) {
  if (!cells || cells.length === 0) return <span className="muted">–</span>;
  return (
    <ul className="cell-list">
      {cells.map((c) => (
        <li key={c.id} className={c.derived ? "derived" : undefined}>
          <abbr title={c.relationship}>{MARK[c.relationship]}</abbr>{" "}
          <Link to={itemLink(c.id)}>{c.label}</Link>
          {c.derived && c.via ? (
            <span className="visually-hidden"> (composed via {c.via.join(", ")})</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The matrix as a table: a row per anchor item, a column per compared text. */
/** A column or anchor may be named `<id>@<version>`: its title is the catalog's. */
function titleOf(titles: Record<string, string>, key: string): string {
  return titles[key] ?? titles[key.replace(/@.*$/, "")] ?? key;
}

export function MatrixTable({
  matrix,
  titles,
  filter,
}: {
  matrix: Matrix;
  titles: Record<string, string>;
  filter: string;
}) {
  const f = filter.toLowerCase();
  const rows = f
    ? matrix.rows.filter(
        (r) =>
          `${r.label} ${r.title}`.toLowerCase().includes(f) ||
          Object.values(r.cells).some((cs) => cs.some((c) => c.label.toLowerCase().includes(f))),
      )
    : matrix.rows;
  return (
    <>
      <p role="status" className="muted">
        {rows.length} of {matrix.rows.length} rows
      </p>
      <div className="table-wrap">
        <table className="matrix">
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
                {matrix.columns.map((c) => (
                  <td key={c}>
                    <Cell cells={r.cells[c]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
