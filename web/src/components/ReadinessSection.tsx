import { getReadiness } from "../api.js";
import { useResource } from "../lib/useResource.js";
import type { MarketReadiness } from "../types.js";
import { BarChart } from "./BarChart.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { Folded } from "./Folded.js";
import { ItemName } from "./ItemName.js";
import { Loading } from "./Loading.js";
import { VerdictBadge } from "./VerdictBadge.js";

const SEGMENTS = [
  { key: "met", label: "met", className: "seg-met" },
  { key: "partial", label: "partly met", className: "seg-partial" },
  { key: "missing", label: "missing", className: "seg-missing" },
  { key: "notApplicable", label: "not applicable", className: "seg-na" },
  { key: "unknown", label: "unknown", className: "seg-unknown" },
] as const;

/** Readiness per market: a bar per market, a table of the counts, and the items behind them. */
export function ReadinessSection({
  id,
  revision,
  markets: targets,
}: {
  id: string;
  revision: number;
  /** The markets the profile targets: shown first; the others apart and labelled. */
  markets?: string[] | undefined;
}) {
  const r = useResource(() => getReadiness(id), [id, revision]);
  return (
    <section id="readiness" aria-labelledby="readiness-heading">
      <h2 id="readiness-heading">Readiness per market</h2>
      <ErrorNotice error={r.error} />
      {r.loading && !r.data ? <Loading what="Computing readiness" /> : null}
      {r.data ? <Readiness markets={r.data.readiness} targets={targets} /> : null}
    </section>
  );
}

function percentMet(m: MarketReadiness): number {
  const total = SEGMENTS.reduce((n, s) => n + m.counts[s.key], 0);
  return total === 0 ? 0 : Math.round((100 * m.counts.met) / total);
}

function Readiness({ markets: all, targets }: { markets: MarketReadiness[]; targets: string[] | undefined }) {
  if (all.length === 0) return <p className="muted">The profile names no market.</p>;
  const wanted = new Set(targets ?? all.map((m) => m.market));
  // The server says whether the profile targets a market (sg-cls-2 targets sg-cls); older answers don't.
  const isTargeted = (m: MarketReadiness & MarketExtras) => m.targeted ?? wanted.has(m.market);
  const targeted = all.filter(isTargeted);
  const others = all.filter((m) => !isTargeted(m));
  const markets = [...targeted, ...others];
  const bar = (m: MarketReadiness) => ({
    label: m.label,
    note: `${percentMet(m)}% met`,
    segments: SEGMENTS.map((s) => ({ ...s, value: m.counts[s.key] })),
  });
  return (
    <>
      <BarChart
        title="Readiness per market"
        groups={[
          ...(targeted.length > 0
            ? [{ heading: "Markets the profile targets", bars: targeted.map(bar) }]
            : []),
          ...(others.length > 0
            ? [{ heading: "Not targeted by the profile (for reference only)", bars: others.map(bar) }]
            : []),
        ]}
      />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Readiness counts per market</caption>
          <thead>
            <tr>
              <th scope="col">Market</th>
              <th scope="col" className="num">
                share met
              </th>
              {SEGMENTS.map((s) => (
                <th scope="col" className="num" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {markets.map((m) => (
              <tr key={m.market}>
                <th scope="row">
                  {m.label} <span className="muted small">({m.catalog})</span>
                  {wanted.has(m.market) ? null : (
                    <div className="muted small">not targeted by the profile</div>
                  )}
                </th>
                <td className="num">{percentMet(m)}%</td>
                {SEGMENTS.map((s) => (
                  <td className="num" key={s.key}>
                    {m.counts[s.key]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {markets.map((m) => (
        <MarketNotes key={`notes-${m.market}`} market={m} />
      ))}
      {markets.map((m) => (
        <Folded key={m.market} summary={<>Items for {m.label}</>}>
          <ul className="readiness-items">
            {m.items.map((i) => (
              <li key={i.item}>
                <VerdictBadge value={i.result} /> <ItemName label={i.label} title={i.title} />{" "}
                <span className="muted small">
                  {i.source === "derived"
                    ? `derived (a proposal) via ${(i.paths ?? []).map((p) => p.path.join(" → ")).join("; ")}`
                    : "direct"}
                </span>
              </li>
            ))}
          </ul>
        </Folded>
      ))}
    </>
  );
}

/** What the core adds to a market's readiness: its dates and what its catalogs lack (optional fields). */
interface MarketExtras {
  asOf?: string;
  applicability?: { applies: number; notYet: number; ended: number };
  timeline?: { date: string; what: string; source: string }[];
  incomplete?: string[];
  targeted?: boolean;
}

/** A market's dates (which items apply today, what starts later) and its partial texts, if any. */
function MarketNotes({ market }: { market: MarketReadiness & MarketExtras }) {
  const later = (market.timeline ?? []).filter((e) => !market.asOf || e.date > market.asOf);
  const a = market.applicability;
  if (!a && later.length === 0 && (market.incomplete ?? []).length === 0) return null;
  return (
    <div className="notice" role="note">
      <p>
        <strong>{market.label}</strong>
        {a && market.asOf
          ? `: on ${market.asOf}, ${a.applies} item(s) apply, ${a.notYet} not yet, ${a.ended} no longer.`
          : null}
      </p>
      <ul>
        {later.map((e) => (
          <li key={e.date + e.what}>
            From {e.date}: {e.what} <span className="muted small">({e.source})</span>
          </li>
        ))}
        {(market.incomplete ?? []).map((g) => (
          <li key={g}>
            <strong>Incomplete:</strong> {g}
          </li>
        ))}
      </ul>
    </div>
  );
}
