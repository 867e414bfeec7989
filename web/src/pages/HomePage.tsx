import { getPlan, listAssessments, listProfiles } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { Stepper } from "../components/Stepper.js";
import { can } from "../lib/permissions.js";
import { Link } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";
import type { AssessmentSummaryDto } from "../types.js";

/** The assessments whose path is shown on the start page: the open ones (at most three), else the latest. */
function onPath(list: AssessmentSummaryDto[]): AssessmentSummaryDto[] {
  const recent = [...list].sort((a, b) => b.updated.localeCompare(a.updated));
  const open = recent.filter((a) => a.status !== "done");
  return (open.length > 0 ? open : recent).slice(0, open.length > 0 ? 3 : 1);
}

function AssessmentPath({ a }: { a: AssessmentSummaryDto }) {
  const plan = useResource(() => getPlan(a.id), [a.id]);
  return (
    <section className="card path-card" aria-labelledby={`path-${a.id}`}>
      <h2 id={`path-${a.id}`}>
        <Link to={`/assessments/${a.id}`}>{a.title}</Link>
      </h2>
      <ErrorNotice error={plan.error} title="The plan could not be loaded" />
      {plan.data ? (
        <Stepper plan={plan.data} assessment={a.id} profile={a.profile} headingLevel={3} />
      ) : plan.error ? null : (
        <Loading what="Loading the plan" />
      )}
    </section>
  );
}

/** Where the work is: the organisation's assessments and profiles, and the ways in. */
export function HomePage() {
  const { me } = useSession();
  const assessments = useResource(listAssessments, []);
  const profiles = useResource(listProfiles, []);
  return (
    <>
      <PageHeading title="Start">Welcome, {me.user.name}</PageHeading>
      {assessments.data
        ? onPath(assessments.data.assessments).map((a) => <AssessmentPath key={a.id} a={a} />)
        : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="home-assessments">
          <h2 id="home-assessments">Assessments</h2>
          <ErrorNotice error={assessments.error} />
          {assessments.data ? (
            assessments.data.assessments.length === 0 ? (
              <p className="muted">No assessment yet.</p>
            ) : (
              <ul>
                {assessments.data.assessments.slice(0, 8).map((a) => (
                  <li key={a.id}>
                    <Link to={`/assessments/${a.id}`}>{a.title}</Link>{" "}
                    <span className="muted">
                      {a.product.model} {a.release}, {a.status}
                    </span>
                  </li>
                ))}
              </ul>
            )
          ) : null}
          {can(me, "assessment.write") ? <Link to="/assessments">Start an assessment</Link> : null}
        </section>
        <section className="card" aria-labelledby="home-profiles">
          <h2 id="home-profiles">Profiles</h2>
          <ErrorNotice error={profiles.error} />
          {profiles.data ? (
            profiles.data.profiles.length === 0 ? (
              <p className="muted">No profile yet.</p>
            ) : (
              <ul>
                {profiles.data.profiles.slice(0, 8).map((p) => (
                  <li key={p.id}>
                    <Link to={`/profiles/${p.id}`}>{p.title}</Link>{" "}
                    <span className="muted">{p.itemCount} items</span>
                  </li>
                ))}
              </ul>
            )
          ) : null}
          {can(me, "profile.write") ? <Link to="/profiles/new">Build a profile</Link> : null}
        </section>
        <section className="card" aria-labelledby="home-reference">
          <h2 id="home-reference">Reference texts</h2>
          <ul>
            <li>
              <Link to="/catalogs">Browse and search the catalogs</Link>
            </li>
            <li>
              <Link to="/family">See how the texts relate</Link>
            </li>
            <li>
              <Link to="/matrix">Compare texts in the crosswalk matrix</Link>
            </li>
          </ul>
        </section>
      </div>
    </>
  );
}
