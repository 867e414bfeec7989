import type { Figures } from "../types.js";

/**
 * The assessment in figures (issue 10, item 7): how many items, how many verdicts a person gave (on
 * items and on measures), how many are derived, not assessed, stale; the same figures as
 * `cairn assess status --json`.
 */
export function FiguresPanel({ figures: f }: { figures: Figures }) {
  const rows: [string, number, string][] = [
    ["Items", f.items, "in the profile"],
    ["Settled", f.settled, "pass, fail or not applicable, not stale"],
    ["Verdicts by a person", f.humanVerdicts, "on items, and measures' verifications"],
    [
      "Derived verdicts",
      f.derivedVerdicts,
      `${f.bySource.measures} from measures, ${f.bySource.rollUp} rolled up, ${f.bySource.proposal} from proposals`,
    ],
    ["Not assessed", f.notAssessed, "no verdict of any kind yet"],
    ["Stale", f.stale, "to assess again"],
  ];
  return (
    <section className="figures" aria-labelledby="figures-heading">
      <h2 id="figures-heading" className="visually-hidden">
        Figures
      </h2>
      <dl className="figure-list">
        {rows.map(([label, n, hint]) => (
          <div key={label} className="figure" data-figure={label}>
            <dt>{label}</dt>
            <dd>
              <span className="figure-number">{n}</span>
              <span className="muted small">{hint}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
