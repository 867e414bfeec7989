import { marketTargeted } from "../assessment/readiness.js";
import type { MarketReadiness } from "../assessment/report-types.js";
import type { FindingView, ReportModel } from "./report-model.js";
import { openSummary } from "./status.js";

/** The first page's words, computed once for the HTML and the PDF. */
export interface ExecutiveSummary {
  /** One sentence on the dossier's standing: final, final by override, or DRAFT and why. */
  standing: string;
  /** Lines naming what is open (capped; `more` counts the rest). */
  open: string[];
  more: number;
  verdicts: string;
  /** Who settled the items: verdicts by a person, derived verdicts per source, not assessed, stale. */
  figures: string;
  support: string;
  /** Whether the declared support period covers the profile's minimum; undefined when none is declared. */
  supportMeets?: boolean;
  /** Items whose effective verdict is a failure, required and conditional ones first: "text label title". */
  fails: string[];
  targeted: MarketReadiness[];
  others: MarketReadiness[];
}

const MAX_OPEN_LINES = 12;

function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  return `${String(y).padStart(4, "0")}${date.slice(4, 10)}`;
}

/** Share of items met, in whole percent (0 when the market has no item). */
export function percentMet(r: MarketReadiness): number {
  const total =
    r.counts.met + r.counts.partial + r.counts.missing + r.counts.notApplicable + r.counts.unknown;
  return total === 0 ? 0 : Math.round((100 * r.counts.met) / total);
}

/** Items whose effective verdict fails: required and conditional ones first, then recommended. */
function failures(m: ReportModel): FindingView[] {
  const all = m.groups.flatMap((g) => g.findings).filter((f) => f.effective === "fail");
  const recommended = (f: FindingView) => f.profile?.obligation === "recommended";
  return [...all.filter((f) => !recommended(f)), ...all.filter(recommended)];
}

/** For the standing of a final dossier: the required items that fail, named (a final dossier reports them). */
function failing(m: ReportModel): string {
  const req = failures(m).filter((f) => f.profile && f.profile.obligation !== "recommended");
  if (req.length === 0) return "";
  const names = req.slice(0, 3).map((f) => `${m.titles[f.catalog] ?? f.catalog} ${f.label}`);
  return `; ${req.length} required item${req.length === 1 ? " fails" : "s fail"} (${names.join(", ")}${req.length > 3 ? ", ..." : ""}), listed under Does not meet`;
}

export function executiveSummary(m: ReportModel): ExecutiveSummary {
  const a = m.assessment;
  const p = m.profile;
  const o = m.open;
  const openText = openSummary(o);
  const standing = m.final
    ? `Issued as final by ${m.final.by} although ${openText} (reason: ${m.final.reason}).`
    : m.draft
      ? m.draftRequested
        ? `DRAFT, as asked${m.problems.length > 0 ? `: the assessment does not validate (${m.problems.length} problems, listed at the end)` : ""}${openText ? `; open: ${openText}` : ""}. Not a conformity statement.`
        : `DRAFT: not final while ${openText}. Not a conformity statement.`
      : `Final: every required item has a current verdict, and no pitfall error was found${failing(m)}.`;
  const lines: string[] = [];
  if (o.selfAttestation) lines.push(`Self-attestation: ${o.selfAttestation}.`);
  for (const x of o.pitfalls) lines.push(`Pitfall: ${x.title}. ${x.message}`);
  for (const g of o.items)
    lines.push(
      `${m.titles[g.catalog] ?? g.catalog} ${g.label}${g.title && g.title !== g.label ? ` ${g.title}` : ""}: ${g.verdict}${g.reasons.length > 0 ? ` (${g.reasons.join("; ")})` : ""}`,
    );
  const s = m.summary;
  const required = p.items.filter((i) => i.obligation !== "recommended").length;
  const verdicts = `${s.items} items in the profile (${required} required or conditional): ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.partial} partly met, ${s.verdicts["not-applicable"]} not applicable, ${s.verdicts.inconclusive} inconclusive, ${s.verdicts["not-assessed"]} not assessed${s.stale > 0 ? `; ${s.stale} stale` : ""}.`;
  const fg = s.figures;
  const figures = `Verdicts by a person: ${fg.humanVerdicts} (${fg.bySource.person} on items, ${fg.humanVerdicts - fg.bySource.person} on measures). Derived verdicts: ${fg.derivedVerdicts} (${fg.bySource.measures} from design measures, ${fg.bySource.rollUp} rolled up from their children, ${fg.bySource.proposal} from accepted crosswalk proposals). Not assessed: ${fg.notAssessed}. Stale: ${fg.stale}. Design measures: ${fg.measures.active} (${fg.measures.verified} verified${fg.measures.removed > 0 ? `, ${fg.measures.removed} removed` : ""}); risks in the register: ${fg.risks}.`;
  const min = p.requirements.minSupportYears;
  let support: string;
  let supportMeets: boolean | undefined;
  if (a.release.supportEnd) {
    const needed = addYears(a.release.date, min);
    supportMeets = a.release.supportEnd.slice(0, 10) >= needed;
    support = `Security updates declared until ${a.release.supportEnd.slice(0, 10)} for release ${a.release.version} (released ${a.release.date.slice(0, 10)}); the profile asks for at least ${min} years, to ${needed}: ${supportMeets ? "met" : "NOT met"}.`;
  } else
    support = `No support period is declared; the profile asks for at least ${min} years of security updates.`;
  const fails = failures(m).map(
    (f) =>
      `${m.titles[f.catalog] ?? f.catalog} ${f.label}${f.title && f.title !== f.label ? ` ${f.title}` : ""}${f.profile?.obligation === "recommended" ? " (recommended)" : ""}${f.source !== "person" ? ` (${f.derivation ?? f.source})` : ""}`,
  );
  const targets = (r: MarketReadiness) => marketTargeted(r.market, p);
  const out: ExecutiveSummary = {
    standing,
    open: lines.slice(0, MAX_OPEN_LINES),
    more: Math.max(0, lines.length - MAX_OPEN_LINES),
    verdicts,
    figures,
    support,
    fails,
    targeted: m.readiness.filter(targets),
    others: m.readiness.filter((r) => !targets(r)),
  };
  if (supportMeets !== undefined) out.supportMeets = supportMeets;
  return out;
}

/** The chart's text alternative: every market's counts and share met. */
export function readinessAlt(targeted: MarketReadiness[], others: MarketReadiness[]): string {
  const one = (r: MarketReadiness) =>
    `${r.label}: ${percentMet(r)}% met (${r.counts.met} met, ${r.counts.partial} partly met, ${r.counts.missing} missing, ${r.counts.notApplicable} not applicable, ${r.counts.unknown} unknown)`;
  const parts = [`Readiness per market targeted by the profile: ${targeted.map(one).join("; ") || "none"}.`];
  if (others.length > 0) parts.push(`Not targeted, for reference: ${others.map(one).join("; ")}.`);
  return parts.join(" ");
}

/** An audit trail entry as a table row, whatever its shape (the server's entries, or a caller's). */
export function auditRow(e: unknown): {
  at: string;
  who: string;
  action: string;
  what: string;
  detail: string;
} {
  const x = (e ?? {}) as Record<string, unknown>;
  const actor = (x.actor ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));
  const detail = x.detail && typeof x.detail === "object" ? (x.detail as Record<string, unknown>) : {};
  const d = Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("; ");
  return {
    at: str(x.at),
    who: str(actor.email ?? actor.id ?? x.by ?? ""),
    action: str(x.action),
    what: str(x.target),
    detail: d.length > 160 ? `${d.slice(0, 157)}...` : d,
  };
}
