/**
 * The path and the next step: the remaining work of an assessment in the order of the guide's four
 * steps (markets and profile; capability-aligned design: measures and risks; the NISTIR 8259B
 * activities; findings and the dossier), each unit with the items it would settle. Pure: the CLI
 * prints it (`cairn assess plan`), the server serves it, the web UI draws it as a stepper.
 */
import type { Profile, ProfileItem } from "../profile/model.js";
import type { Derivation, Figures } from "./derive.js";
import { measureStale } from "./derive.js";
import type { Assessment, Proposal } from "./model.js";
import { declaredNotSupported } from "./ops.js";
import { settles } from "./proposals.js";
import type { Pitfall, Step } from "./report-types.js";

export type PlanAction =
  | "profile"
  | "measures"
  | "measure"
  | "risks"
  | "findings"
  | "proposals"
  | "evidence"
  | "release"
  | "dossier";

export interface PlanUnit {
  /** Stable within one assessment: `design:1`, `verify:M-003`, `8259b:disclosure`, `open:eu-cra`... */
  id: string;
  step: Step;
  title: string;
  detail: string;
  /** The items this unit would settle (or has settled, when done). */
  items: string[];
  done: boolean;
  /** Where to act: a page or a command, and its target (a measure id, a catalog, an item). */
  action: { kind: PlanAction; target?: string };
  /** Pitfalls that block this unit. */
  pitfalls?: string[];
}

export interface PlanStep {
  step: Step;
  title: string;
  /** Every unit done and no error pitfall on the step. */
  done: boolean;
  units: PlanUnit[];
  /** The pitfalls that block this step (the guide's recurring errors and more). */
  pitfalls: Pitfall[];
}

export interface Plan {
  steps: PlanStep[];
  /** The first unit not done, in the order of the steps. */
  next?: PlanUnit;
  figures: Figures;
}

export const STEP_TITLES: Record<Step, string> = {
  1: "Markets and profile",
  2: "Capability-aligned design: measures and risks",
  3: "NISTIR 8259B activities",
  4: "Findings and the dossier",
};

/** The guide's step 3 activities and the 8259B capability and SP 800-213A family behind each. */
const ACTIVITIES: { id: string; title: string; b: string; a: string; pitfalls: string[]; detail: string }[] =
  [
    {
      id: "documentation",
      title: "Documentation",
      b: "1",
      a: "A",
      pitfalls: [],
      detail: "Security functions, architecture, interfaces, defaults, assumptions and known limitations.",
    },
    {
      id: "disclosure",
      title: "Disclosure policy and security.txt",
      b: "2",
      a: "B",
      pitfalls: ["no-vulnerability-disclosure"],
      detail:
        "A published coordinated vulnerability disclosure policy referenced by security.txt, with channels and response times.",
    },
    {
      id: "support",
      title: "Support period and security information",
      b: "3",
      a: "C",
      pitfalls: ["no-support-period", "support-period-too-short"],
      detail: "A declared support period and a durable channel for advisories and updates.",
    },
    {
      id: "education",
      title: "Education and awareness",
      b: "4",
      a: "D",
      pitfalls: [],
      detail: "Guides for users and administrators on operating the device securely.",
    },
  ];

const CATALOG_NAMES: Record<string, string> = {
  "nist-ir-8259a": "NISTIR 8259A",
  "nist-ir-8259b": "NISTIR 8259B",
  "nist-sp-800-213a": "SP 800-213A",
  "nist-ir-8425": "NISTIR 8425",
  "etsi-en-303-645": "EN 303 645",
  "eu-cra": "the CRA",
  "cen-en-18031-1": "EN 18031-1",
};

/**
 * SP 800-213A's technical capabilities by number, titled as the catalog (T1-T7) has them: the profile may hold
 * only their elements, and T7 (Device Security) has no NISTIR 8259A counterpart to take a title from.
 */
const SP_800_213A_CAPABILITIES: Record<string, string> = {
  "1": "Device Identification",
  "2": "Device Configuration",
  "3": "Data Protection",
  "4": "Logical Access to Interfaces",
  "5": "Software Update",
  "6": "Cybersecurity State Awareness",
  "7": "Device Security",
};

const refOf = (id: string) => id.slice(id.indexOf(":") + 1);

/** The 8259A capability number a technical item belongs to (8259A `1.2` -> 1, SP 800-213A `T1.2.3` -> 1). */
function technicalCapability(item: ProfileItem): string | undefined {
  const ref = refOf(item.id);
  if (item.catalog === "nist-ir-8259a") return ref.split(".")[0];
  if (item.catalog === "nist-sp-800-213a" && /^T\d/.test(ref)) return ref.slice(1).split(".")[0];
  return undefined;
}

/** The step 3 activity a non-technical item belongs to. */
function activityOf(item: ProfileItem): string | undefined {
  const ref = refOf(item.id);
  if (item.catalog === "nist-ir-8259b") return ACTIVITIES.find((x) => x.b === ref.split(".")[0])?.id;
  if (item.catalog === "nist-sp-800-213a") return ACTIVITIES.find((x) => x.a === ref.split(".")[0])?.id;
  return undefined;
}

export interface PlanInput {
  assessment: Assessment;
  profile: Profile;
  derivation: Derivation;
  pitfalls: Pitfall[];
  /** Open proposals (computed with the crosswalks); omitted, the plan has no proposal units. */
  proposals?: Proposal[];
  /** The profile file changed since the assessment adopted it (a folder). */
  profileChanged?: boolean;
}

export function planAssessment(input: PlanInput): Plan {
  const { assessment: a, profile, derivation: d, pitfalls } = input;
  const verdict = (id: string) => d.items.get(id);
  const open = (id: string) => !(verdict(id)?.settled ?? false);
  const held = new Set(profile.items.map((i) => i.id));
  const parents = new Set(profile.items.flatMap((i) => (i.parent && held.has(i.parent) ? [i.parent] : [])));
  const leaves = profile.items.filter((i) => !parents.has(i.id) || i.assessItself);
  const stepPitfalls = (s: Step) => pitfalls.filter((p) => (p.step ?? 4) === s);
  const hasError = (ids: string[]) => pitfalls.some((p) => ids.includes(p.id) && p.severity === "error");
  const linked = new Set<string>();
  for (const m of a.measures ?? [])
    if (!m.removed) for (const l of m.links) if (!l.removed) linked.add(l.item);
  const covered = new Set<string>();

  // 1. Markets and profile.
  const markets = profile.context?.markets ?? [];
  const s1: PlanUnit[] = [
    {
      id: "profile",
      step: 1,
      title: input.profileChanged ? "Adopt the changed profile" : "Markets and the consolidated profile",
      detail: input.profileChanged
        ? "The profile file changed since the assessment took it in: adopt it (new items added, removed ones retired)."
        : `Markets: ${markets.length > 0 ? markets.join(", ") : "none named"}; ${profile.items.length} items from ${new Set(profile.items.map((i) => i.catalog)).size} texts in one profile.`,
      items: [],
      done: !input.profileChanged && markets.length > 0 && !hasError(stepPitfalls(1).map((p) => p.id)),
      action: { kind: "profile" },
      ...(stepPitfalls(1).length > 0 ? { pitfalls: stepPitfalls(1).map((p) => p.id) } : {}),
    },
  ];

  // 2. Capability-aligned design: measures for each capability, their verification, links, risks.
  const s2: PlanUnit[] = [];
  const byCapability = new Map<string, ProfileItem[]>();
  for (const i of leaves) {
    const c = technicalCapability(i);
    if (c === undefined) continue;
    const list = byCapability.get(c) ?? [];
    list.push(i);
    byCapability.set(c, list);
  }
  for (const [c, items] of [...byCapability].sort(([x], [y]) => Number(x) - Number(y))) {
    const capability = profile.items.find((i) => i.id === `nist-ir-8259a:${c}`);
    const todo = items.filter((i) => !linked.has(i.id) && open(i.id)).map((i) => i.id);
    for (const i of todo) covered.add(i);
    s2.push({
      id: `design:${c}`,
      step: 2,
      title: `Design measures for ${capability?.title ?? SP_800_213A_CAPABILITIES[c] ?? `capability ${c}`}`,
      detail:
        todo.length === 0
          ? `Every item of the capability is implemented by a measure or settled (${items.length}).`
          : `${todo.length} of ${items.length} items have no measure yet: record the mechanism that implements them.`,
      items: todo,
      done: todo.length === 0,
      action: { kind: "measures", target: `nist-ir-8259a:${c}` },
    });
  }
  for (const m of a.measures ?? []) {
    if (m.removed) continue;
    const stale = measureStale(m, a);
    if (m.verification && !stale) continue;
    const items = m.links.filter((l) => !l.removed && open(l.item)).map((l) => l.item);
    for (const i of items) covered.add(i);
    s2.push({
      id: `verify:${m.id}`,
      step: 2,
      title: `Verify ${m.id}: ${m.title}`,
      detail: stale
        ? `${stale}: verify it again.`
        : `Not verified yet: its verdict settles the items it implements (${items.length} open).`,
      items,
      done: false,
      action: { kind: "measure", target: m.id },
    });
  }
  const links = (input.proposals ?? []).filter((p) => p.kind === "link");
  const byMeasure = new Map<string, string[]>();
  for (const p of links) byMeasure.set(p.measure, [...(byMeasure.get(p.measure) ?? []), p.item]);
  for (const [m, items] of byMeasure) {
    const title = a.measures?.find((x) => x.id === m)?.title ?? m;
    s2.push({
      id: `links:${m}`,
      step: 2,
      title: `Review ${items.length} proposed link(s) of ${m}: ${title}`,
      detail: "Proposed through the crosswalks from the items it implements: confirm or turn them down.",
      items,
      done: false,
      action: { kind: "measure", target: m },
    });
  }
  const risks = (a.risks ?? []).filter((r) => !r.removed);
  const riskItems = ["eu-cra:annex-i.part-i.1"].filter((i) => held.has(i) && open(i));
  s2.push({
    id: "risks",
    step: 2,
    title: "The risk analysis",
    detail:
      risks.length === 0
        ? "Record the risk register: assets, threats, likelihood, impact, treatment by measures, residual risk (CRA Article 13, Annex I Part I (1))."
        : `${risks.length} risk(s) in the register.`,
    items: riskItems,
    done: risks.length > 0,
    action: { kind: "risks" },
    ...(hasError(["no-risk-assessment"]) ? { pitfalls: ["no-risk-assessment"] } : {}),
  });

  // 3. The 8259B activities.
  const s3: PlanUnit[] = ACTIVITIES.map((x) => {
    const items = leaves.filter((i) => activityOf(i) === x.id).map((i) => i.id);
    const todo = items.filter((i) => open(i) && !covered.has(i));
    for (const i of todo) covered.add(i);
    const blocking = x.pitfalls.filter((p) => pitfalls.some((q) => q.id === p));
    return {
      id: `8259b:${x.id}`,
      step: 3 as const,
      title: x.title,
      detail:
        todo.length === 0
          ? `${x.detail} Settled (${items.length} items).`
          : `${x.detail} ${todo.length} of ${items.length} items open.`,
      items: todo,
      done: todo.length === 0 && !hasError(blocking),
      action: { kind: blocking.length > 0 ? ("evidence" as const) : ("findings" as const), target: x.id },
      ...(blocking.length > 0 ? { pitfalls: blocking } : {}),
    };
  });

  // 4. Findings and the dossier.
  const s4: PlanUnit[] = [];
  const verdictProposals = (input.proposals ?? []).filter(settles);
  if (verdictProposals.length > 0) {
    const items = [...new Set(verdictProposals.map((p) => p.item))];
    for (const i of items) covered.add(i);
    s4.push({
      id: "proposals",
      step: 4,
      title: `Accept or reject ${verdictProposals.length} proposed verdict(s)`,
      detail:
        "Proposed through the crosswalks or by collectors, each with its path: accepting settles the item.",
      items,
      done: false,
      action: { kind: "proposals" },
    });
  }
  const stale = [...d.items.values()].filter((v) => v.stale).map((v) => v.item);
  if (stale.length > 0) {
    for (const i of stale) covered.add(i);
    s4.push({
      id: "stale",
      step: 4,
      title: `Assess ${stale.length} stale verdict(s) again`,
      detail: "Given on another release or profile version, or their measure or source changed.",
      items: stale,
      done: false,
      action: { kind: "findings", target: "stale" },
    });
  }
  const rest = new Map<string, string[]>();
  for (const i of leaves) {
    if (!open(i.id) || covered.has(i.id)) continue;
    rest.set(i.catalog, [...(rest.get(i.catalog) ?? []), i.id]);
  }
  for (const [catalog, items] of rest)
    s4.push({
      id: `open:${catalog}`,
      step: 4,
      title: `Settle ${items.length} open item(s) of ${CATALOG_NAMES[catalog] ?? catalog}`,
      detail: "A verdict, a measure that implements them, or an accepted proposal.",
      items,
      done: false,
      action: { kind: "findings", target: catalog },
    });
  // A recommendation declared not supported with a justification is settled as the gate sees it.
  const findingOf = new Map(a.findings.map((f) => [f.item, f]));
  const failing = profile.items
    .filter((i) => {
      const v = d.items.get(i.id);
      return v?.verdict === "fail" && !v.stale && !declaredNotSupported(i, findingOf.get(i.id));
    })
    .map((i) => i.id);
  if (failing.length > 0)
    s4.push({
      id: "failing",
      step: 4,
      title: `Resolve ${failing.length} failing item(s)`,
      detail: "Fix and verify again, or declare what is not supported where the text allows it.",
      items: failing,
      done: false,
      action: { kind: "findings", target: "fail" },
    });
  if (a.kind === "third-party") {
    const unsigned = a.findings
      .filter((f) => (f.verdict !== "not-assessed" || f.accepted) && !f.signOff)
      .map((f) => f.item);
    if (unsigned.length > 0)
      s4.push({
        id: "sign-off",
        step: 4,
        title: `Sign off ${unsigned.length} finding(s)`,
        detail: "A third-party assessment's verdicts are signed off by a reviewer.",
        items: unsigned,
        done: false,
        action: { kind: "findings", target: "unsigned" },
      });
  }
  const gateOpen = [...d.items.values()].some((v) => !v.settled || v.verdict === "fail");
  s4.push({
    id: "dossier",
    step: 4,
    title: "Build the dossier",
    detail: gateOpen
      ? "The dossier can be built as a draft now; it is complete when every item is settled."
      : "Every item is settled: build and sign the dossier.",
    items: [],
    done: !gateOpen && !hasError(stepPitfalls(4).map((p) => p.id)),
    action: { kind: "dossier" },
  });

  const steps: PlanStep[] = (
    [
      [1, s1],
      [2, s2],
      [3, s3],
      [4, s4],
    ] as const
  ).map(([step, units]) => ({
    step,
    title: STEP_TITLES[step],
    units,
    pitfalls: stepPitfalls(step),
    done: units.every((u) => u.done) && !stepPitfalls(step).some((p) => p.severity === "error"),
  }));
  const next = steps.flatMap((s) => s.units).find((u) => !u.done);
  return { steps, ...(next ? { next } : {}), figures: d.figures };
}
