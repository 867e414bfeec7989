import { getAssessmentPage, getProfile } from "../api.js";
import { AssessmentStatusControl } from "../components/AssessmentStatusControl.js";
import { DossierSection } from "../components/DossierSection.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { EvidenceSection } from "../components/EvidenceSection.js";
import { FindingsSection } from "../components/FindingsSection.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { PitfallsSection } from "../components/PitfallsSection.js";
import { ReadinessSection } from "../components/ReadinessSection.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { AssessmentDto, EvidenceRecord, FindingDto } from "../types.js";

/** The assessment workspace: findings, evidence, readiness per market, pitfalls, dossier. */
export function AssessmentPage({ id }: { id: string }) {
  const r = useResource(() => getAssessmentPage(id), [id]);
  const profileId = r.data?.profileId;
  const profile = useResource(
    () => (profileId ? getProfile(profileId) : Promise.resolve(undefined)),
    [profileId],
  );
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
            <a href="#findings">Findings</a>
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
      <ErrorNotice error={profile.error} title="The profile could not be loaded" />
      {/* Drawn once, with the profile's item titles (463 rows twice cost as much as the rest of the page). */}
      {profile.data || profile.error ? (
        <FindingsSection
          assessment={a}
          items={profile.data?.profile.items ?? []}
          onFinding={onFinding}
          onEvidence={onEvidence}
        />
      ) : (
        <Loading what="Loading the findings" />
      )}
      <EvidenceSection assessment={a} onEvidence={onEvidence} />
      <ReadinessSection id={a.id} revision={a.revision} markets={profile.data?.profile.context.markets} />
      <PitfallsSection id={a.id} revision={a.revision} />
      <DossierSection assessment={a} />
    </>
  );
}
