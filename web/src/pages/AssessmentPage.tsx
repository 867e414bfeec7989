import { useMemo, useState } from "react";
import { getAssessmentPage, getPlan, getProfile, getProposals, getVerdicts } from "../api.js";
import { AssessmentStatusControl } from "../components/AssessmentStatusControl.js";
import { DossierSection } from "../components/DossierSection.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { EvidenceSection } from "../components/EvidenceSection.js";
import { FiguresPanel } from "../components/FiguresPanel.js";
import { FindingsSection, type Scope } from "../components/FindingsSection.js";
import { Loading } from "../components/Loading.js";
import { MeasuresSection } from "../components/MeasuresSection.js";
import { PageHeading } from "../components/PageHeading.js";
import { PitfallsSection } from "../components/PitfallsSection.js";
import { ReadinessSection } from "../components/ReadinessSection.js";
import { RisksSection } from "../components/RisksSection.js";
import { Stepper } from "../components/Stepper.js";
import { Link, useLocation } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type {
  AssessmentDto,
  EvidenceRecord,
  FindingDto,
  ItemVerdict,
  Plan,
  VerdictProposal,
} from "../types.js";

/** The narrower list of findings the address asks for: a plan unit's, a pitfall's, or a kind. */
function scopeOf(
  query: URLSearchParams,
  plan: Plan | undefined,
  a: AssessmentDto,
  verdicts: Map<string, ItemVerdict> | undefined,
  proposals: Map<string, VerdictProposal[]>,
): Scope | undefined {
  const unit = query.get("unit");
  if (unit) {
    const u = plan?.steps.flatMap((s) => s.units).find((x) => x.id === unit);
    return u
      ? { label: `the ${u.items.length} finding(s) of "${u.title}"`, items: new Set(u.items) }
      : undefined;
  }
  const pitfall = query.get("pitfall");
  if (pitfall) {
    const p = plan?.steps.flatMap((s) => s.pitfalls).find((x) => x.id === pitfall);
    return p
      ? { label: `the findings the pitfall "${p.title}" is about`, items: new Set(p.refs ?? []) }
      : undefined;
  }
  switch (query.get("show")) {
    case "stale":
      return {
        label: "the stale findings",
        items: new Set([...(verdicts?.values() ?? [])].filter((v) => v.stale).map((v) => v.item)),
      };
    case "unsigned":
      return {
        label: "the findings with a verdict and no sign-off",
        items: new Set(
          a.findings
            .filter((f) => (f.verdict !== "not-assessed" || f.accepted) && !f.signOff)
            .map((f) => f.item),
        ),
      };
    case "fail":
      return {
        label: "the failing findings",
        items: new Set(
          [...(verdicts?.values() ?? [])].filter((v) => v.verdict === "fail").map((v) => v.item),
        ),
      };
    case "proposals":
      return { label: "the findings with a proposed verdict", items: new Set(proposals.keys()) };
    default:
      return undefined;
  }
}

/** The assessment workspace: the four steps, figures, findings, measures and risks, evidence, readiness, pitfalls, dossier. */
export function AssessmentPage({ id, item }: { id: string; item?: string }) {
  const { query } = useLocation();
  const r = useResource(() => getAssessmentPage(id), [id]);
  const profileId = r.data?.profileId;
  const revision = r.data?.revision;
  // Bumped by every change of several parts, so the derived views load again whatever the revision says.
  const [changes, setChanges] = useState(0);
  const profile = useResource(
    () => (profileId ? getProfile(profileId) : Promise.resolve(undefined)),
    [profileId],
  );
  // Asked once the document is there (its revision is what they are computed at); the first answers
  // were asked for beside the document's own request.
  const after = <T,>(load: () => Promise<T>) => (revision === undefined ? new Promise<T>(() => {}) : load());
  const verdicts = useResource(() => after(() => getVerdicts(id)), [id, revision, changes]);
  const plan = useResource(() => after(() => getPlan(id)), [id, revision, changes]);
  // Proposed verdicts are asked for only when the plan says there are some (computing them is the
  // server's costliest answer; a settled assessment has none).
  const proposing = plan.data?.steps.some((s) => s.units.some((u) => u.id === "proposals" && !u.done));
  const proposals = useResource(
    () => (proposing ? getProposals(id, "verdict") : Promise.resolve({ proposals: [] })),
    [id, revision, changes, proposing],
  );
  const linking = useMemo(
    () =>
      new Set(
        (plan.data?.steps ?? []).flatMap((s) =>
          s.units.filter((u) => u.id.startsWith("links:")).map((u) => u.id.slice("links:".length)),
        ),
      ),
    [plan.data],
  );
  const pitfalls = useMemo(() => plan.data?.steps.flatMap((s) => s.pitfalls), [plan.data]);
  const verdictMap = useMemo(
    () => (verdicts.data ? new Map(verdicts.data.items.map((v) => [v.item, v])) : undefined),
    [verdicts.data],
  );
  const proposalMap = useMemo(() => {
    const m = new Map<string, VerdictProposal[]>();
    for (const p of proposals.data?.proposals ?? [])
      if (p.kind === "verdict") m.set(p.item, [...(m.get(p.item) ?? []), p]);
    return m;
  }, [proposals.data]);

  if (r.error && !r.data)
    return (
      <>
        <PageHeading title="Assessment">Assessment</PageHeading>
        <ErrorNotice error={r.error} />
      </>
    );
  const a = r.data;
  if (!a) return <Loading what="Loading the assessment" />;

  const replace = (next: Partial<AssessmentDto>) => r.set({ ...a, ...next });
  const onFinding = (f: FindingDto) =>
    replace({ findings: a.findings.map((x) => (x.item === f.item ? f : x)), revision: a.revision + 1 });
  const onEvidence = (e: EvidenceRecord) =>
    replace({ evidence: [...a.evidence.filter((x) => x.id !== e.id), e], revision: a.revision + 1 });
  // After a change of several parts (bulk work, measures, risks): the document again, and with its
  // new revision the verdicts, the plan and the proposals.
  const reload = () => {
    r.reload();
    setChanges((n) => n + 1);
  };
  const search = query.toString() ? `?${query.toString()}` : "";
  const scope = scopeOf(query, plan.data, a, verdictMap, proposalMap);

  return (
    <>
      <PageHeading title={a.title}>{a.title}</PageHeading>
      <p className="muted">
        {a.product.manufacturer} {a.product.model} · release {a.release.version}
        {a.release.supportEnd ? ` · support until ${a.release.supportEnd}` : ""} · {a.kind} · profile{" "}
        <Link to={`/profiles/${a.profileId}`}>{profile.data?.profile.title ?? a.profile.id}</Link>
      </p>
      <AssessmentStatusControl assessment={a} onChanged={(next) => r.set(next)} />
      <nav aria-label="Sections of the assessment" className="in-page">
        <ul>
          <li>
            <a href="#steps">Steps</a>
          </li>
          <li>
            <a href="#findings">Findings</a>
          </li>
          <li>
            <a href="#measures">Measures</a>
          </li>
          <li>
            <a href="#risks">Risks</a>
          </li>
          <li>
            <a href="#evidence">Evidence</a>
          </li>
          <li>
            <a href="#readiness">Readiness</a>
          </li>
          <li>
            <a href="#pitfalls">Pitfalls</a>
          </li>
          <li>
            <a href="#dossier">Dossier</a>
          </li>
        </ul>
      </nav>
      <div id="steps" className="steps-panel">
        <ErrorNotice error={plan.error} title="The plan could not be loaded" />
        {plan.data ? (
          <Stepper plan={plan.data} assessment={a.id} profile={a.profileId} detailed />
        ) : plan.error ? null : (
          <Loading what="Loading the plan" />
        )}
        <ErrorNotice error={verdicts.error} title="The derived verdicts could not be loaded" />
        {verdicts.data ? <FiguresPanel figures={verdicts.data.figures} /> : null}
      </div>
      <ErrorNotice error={profile.error} title="The profile could not be loaded" />
      {profile.data || profile.error ? (
        <FindingsSection
          assessment={a}
          items={profile.data?.profile.items ?? []}
          verdicts={verdictMap}
          proposals={proposalMap}
          openItem={item}
          scope={scope}
          search={search}
          onFinding={onFinding}
          onEvidence={onEvidence}
          onChanged={reload}
        />
      ) : (
        <Loading what="Loading the findings" />
      )}
      <MeasuresSection
        assessment={a}
        items={profile.data?.profile.items ?? []}
        verdicts={verdictMap}
        linking={linking}
        onChanged={reload}
      />
      <RisksSection assessment={a} onChanged={reload} />
      <EvidenceSection assessment={a} onEvidence={onEvidence} />
      <ReadinessSection id={a.id} revision={a.revision} markets={profile.data?.profile.context.markets} />
      <PitfallsSection
        id={a.id}
        revision={a.revision}
        given={pitfalls}
        waiting={!plan.data && !plan.error}
        items={profile.data?.profile.items}
        profileId={a.profileId}
      />
      <DossierSection assessment={a} />
    </>
  );
}
