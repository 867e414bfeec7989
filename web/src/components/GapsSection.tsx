import { useState } from "react";
import { getGaps } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { CoverageReport } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { itemLink } from "./ItemDetail.js";
import { ItemName } from "./ItemName.js";
import { Loading } from "./Loading.js";

type Report = CoverageReport & { title: string };
type Target = Report["targets"][number];

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n * 100) / of));

function Targets({ list, what }: { list: Target[]; what: string }) {
  if (list.length === 0) return null;
  return (
    <details className="gap-list">
      <summary>
        {what} ({list.length})
      </summary>
      <ul className="ref-list">
        {list.map((t) => (
          <li key={t.item}>
            <Link to={itemLink(t.item)}>
              <ItemName label={t.label} title={t.title} />
            </Link>
            {t.sources.length > 0 ? (
              <span className="muted small">
                {" "}
                (from {t.sources.map((s) => s.slice(s.indexOf(":") + 1)).join(", ")})
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

function GapReports({ from, to, fromTitle }: { from: string; to: string[]; fromTitle: string }) {
  const r = useResource(() => getGaps(from, to), [from, to.join(",")]);
  if (r.error) return <ErrorNotice error={r.error} title="The gaps could not be worked out" />;
  if (!r.data) return <Loading what="Working out the gaps" />;
  return (
    <>
      {r.data.reports.map((rep) => {
        const total = rep.targets.length;
        return (
          <div key={rep.to} className="gap-report">
            <h3>{rep.title}</h3>
            <p>
              Meeting every item of {fromTitle} fully meets {rep.counts.full} of its {total} items (
              {pct(rep.counts.full, total)}%), partly {rep.counts.partial} ({pct(rep.counts.partial, total)}
              %), and leaves {rep.counts.none} ({pct(rep.counts.none, total)}%) not covered.
            </p>
            <Targets list={rep.targets.filter((t) => t.coverage === "none")} what="Not covered" />
            <Targets list={rep.targets.filter((t) => t.coverage === "partial")} what="Partly covered" />
          </div>
        );
      })}
    </>
  );
}

/**
 * Coverage gaps (`cairn crosswalk gaps`): supposing every item of the anchor met, which items of
 * each compared text the crosswalks leave not covered or only partly. Asked for on demand: it
 * infers over whole texts, which the matrix itself does not need.
 */
export function GapsSection({ from, to, fromTitle }: { from: string; to: string[]; fromTitle: string }) {
  const [shown, setShown] = useState(false);
  return (
    <section id="gaps" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">Coverage gaps</h2>
      <p>
        What meeting every item of {fromTitle} leaves open in each compared text, item by item, by the same
        inference rules as derived verdicts (as <code>cairn crosswalk gaps</code> shows it).
      </p>
      {shown ? (
        <GapReports from={from} to={to} fromTitle={fromTitle} />
      ) : (
        <button type="button" className="secondary" onClick={() => setShown(true)}>
          Show the gaps
        </button>
      )}
    </section>
  );
}
