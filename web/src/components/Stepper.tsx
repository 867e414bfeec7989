import { Link } from "../lib/router.js";
import type { Pitfall, Plan, PlanStep, PlanUnit } from "../types.js";

// The guide's four steps as a stepper (issue 10, item 5): each step with its completion state, the
// pitfalls that block it (each with a link to act on it), and the next unit of work highlighted
// with what to do. Everything comes from GET /api/assessments/:id/plan (src/assessment/plan.ts).

const SHORT: Record<number, string> = {
  1: "Markets and profile",
  2: "Measures and risks",
  3: "NISTIR 8259B activities",
  4: "Findings and the dossier",
};

/** Where a unit of the plan is acted on, on the assessment page (or from outside it, with `base`). */
export function unitHref(unit: PlanUnit, ctx: { assessment: string; profile: string }): string {
  const base = `/assessments/${ctx.assessment}`;
  const scoped = `${base}?unit=${encodeURIComponent(unit.id)}#findings`;
  switch (unit.action.kind) {
    case "profile":
      return `/profiles/${ctx.profile}`;
    case "measures":
      return `${base}#measures`;
    case "measure":
      return `${base}#measure-${unit.action.target ?? ""}`;
    case "risks":
      return `${base}#risks`;
    case "evidence":
      return `${base}#evidence`;
    case "dossier":
      return `${base}#dossier`;
    case "proposals":
      return `${base}?show=proposals#findings`;
    default:
      return unit.items.length > 0 ? scoped : `${base}#findings`;
  }
}

const EVIDENCE_PITFALLS = new Set([
  "no-sbom",
  "no-vulnerability-disclosure",
  "fips-140-3-without-evidence",
  "expired-evidence",
  "evidence-older-than-release",
]);
const PROFILE_PITFALLS = new Set([
  "checklist-without-profile",
  "8425-for-federal",
  "8259a-for-consumer-label",
  "no-8259b",
]);

/** Where a pitfall is acted on, and the words of the link. */
export function pitfallHref(p: Pitfall, ctx: { assessment: string; profile: string }): [string, string] {
  const base = `/assessments/${ctx.assessment}`;
  if (EVIDENCE_PITFALLS.has(p.id)) return [`${base}#evidence`, "Add the evidence"];
  if (PROFILE_PITFALLS.has(p.id)) return [`/profiles/${ctx.profile}`, "Review the profile"];
  if (p.id === "no-risk-assessment") return [`${base}#risks`, "Record the risk register"];
  if (p.id === "stale-findings") return [`${base}?show=stale#findings`, "Review the stale findings"];
  if (p.id === "unsigned-findings") return [`${base}?show=unsigned#findings`, "Sign off the findings"];
  const items = (p.refs ?? []).filter((r) => /^[a-z0-9][a-z0-9.-]*:/.test(r));
  if (items.length > 0)
    return [`${base}?pitfall=${encodeURIComponent(p.id)}#findings`, `Show the ${items.length} finding(s)`];
  return [`${base}#pitfalls`, "See the pitfall"];
}

function stateOf(step: PlanStep, next: PlanUnit | undefined): "done" | "current" | "todo" {
  if (step.done) return "done";
  return next?.step === step.step ? "current" : "todo";
}

function stateWords(step: PlanStep, state: string): string {
  const done = step.units.filter((u) => u.done).length;
  if (state === "done") return "done";
  return `${done} of ${step.units.length} done${state === "current" ? ", next" : ""}`;
}

/** The four steps in a row, each with its state; `detailed` adds each step's units and pitfalls. */
export function Stepper({
  plan,
  assessment,
  profile,
  detailed = false,
  headingLevel = 2,
}: {
  plan: Plan;
  assessment: string;
  profile: string;
  detailed?: boolean;
  headingLevel?: 2 | 3;
}) {
  const ctx = { assessment, profile };
  const H = headingLevel === 2 ? "h2" : "h3";
  const next = plan.next;
  return (
    <section className="stepper" aria-labelledby={`stepper-${assessment}`}>
      <H id={`stepper-${assessment}`}>The guide's four steps</H>
      <ol className="stepper-steps">
        {plan.steps.map((s) => {
          const state = stateOf(s, next);
          const errors = s.pitfalls.filter((p) => p.severity === "error").length;
          return (
            <li
              key={s.step}
              className={`stepper-step step-${state}`}
              aria-current={state === "current" ? "step" : undefined}
              data-step={s.step}
              data-state={state}
            >
              <span className="step-number" aria-hidden="true">
                {state === "done" ? "✓" : s.step}
              </span>
              <span className="step-text">
                <span className="step-title">
                  <span className="visually-hidden">Step {s.step}: </span>
                  {SHORT[s.step] ?? s.title}
                </span>
                <span className="step-state">
                  {stateWords(s, state)}
                  {errors > 0 ? ` · ${errors} pitfall${errors > 1 ? "s" : ""} blocking` : ""}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
      {next ? (
        <div className="next-step notice">
          <p>
            <strong>Next, step {next.step}:</strong> {next.title}
          </p>
          <p className="small">{next.detail}</p>
          <p>
            <Link to={unitHref(next, ctx)} className="button-link">
              {actionWords(next)}
            </Link>
          </p>
        </div>
      ) : (
        <p className="notice notice-ok">Every step is done: the dossier can be built and signed.</p>
      )}
      {detailed
        ? plan.steps.map((s) => (
            <StepDetail key={s.step} step={s} ctx={ctx} open={stateOf(s, next) === "current"} />
          ))
        : plan.steps.flatMap((s) =>
            s.pitfalls.filter((p) => p.severity === "error").length > 0
              ? [<BlockingPitfalls key={s.step} step={s} ctx={ctx} />]
              : [],
          )}
    </section>
  );
}

function actionWords(u: PlanUnit): string {
  switch (u.action.kind) {
    case "profile":
      return "Open the profile";
    case "measures":
      return "Record the measures";
    case "measure":
      return `Open ${u.action.target ?? "the measure"}`;
    case "risks":
      return "Open the risk register";
    case "evidence":
      return "Add the evidence";
    case "proposals":
      return "Review the proposals";
    case "dossier":
      return "Build the dossier";
    default:
      return u.items.length > 0 ? `Show its ${u.items.length} finding(s)` : "Open the findings";
  }
}

function BlockingPitfalls({ step, ctx }: { step: PlanStep; ctx: { assessment: string; profile: string } }) {
  return (
    <div className="step-pitfalls small">
      <p>
        <strong>Blocking step {step.step}:</strong>
      </p>
      <ul>
        {step.pitfalls
          .filter((p) => p.severity === "error")
          .map((p) => (
            <PitfallLine key={`${p.id}:${p.message}`} p={p} ctx={ctx} />
          ))}
      </ul>
    </div>
  );
}

function PitfallLine({ p, ctx }: { p: Pitfall; ctx: { assessment: string; profile: string } }) {
  const [href, words] = pitfallHref(p, ctx);
  return (
    <li className={`pitfall-line pitfall-${p.severity}`}>
      {p.severity === "error" ? "Error" : "Warning"}: {p.title}. <Link to={href}>{words}</Link>
    </li>
  );
}

function StepDetail({
  step,
  ctx,
  open,
}: {
  step: PlanStep;
  ctx: { assessment: string; profile: string };
  open: boolean;
}) {
  const left = step.units.filter((u) => !u.done);
  return (
    <details className="step-detail" open={open} data-step={step.step}>
      <summary>
        Step {step.step}: {step.title}{" "}
        <span className="muted">
          ({step.done ? "done" : `${left.length} to do`}
          {step.pitfalls.length > 0 ? `, ${step.pitfalls.length} pitfall(s)` : ""})
        </span>
      </summary>
      {step.pitfalls.length > 0 ? (
        <ul className="step-pitfalls small">
          {step.pitfalls.map((p) => (
            <PitfallLine key={`${p.id}:${p.message}`} p={p} ctx={ctx} />
          ))}
        </ul>
      ) : null}
      <ul className="plan-units">
        {step.units.map((u) => (
          <li key={u.id} className={u.done ? "unit-done" : "unit-open"}>
            <span aria-hidden="true">{u.done ? "✓ " : "○ "}</span>
            <span className="visually-hidden">{u.done ? "Done: " : "To do: "}</span>
            {u.done ? u.title : <Link to={unitHref(u, ctx)}>{u.title}</Link>}
            <div className="muted small">{u.detail}</div>
          </li>
        ))}
      </ul>
    </details>
  );
}
