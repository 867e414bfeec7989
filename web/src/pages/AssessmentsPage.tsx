import { listAssessments } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { NewAssessmentForm } from "../components/NewAssessmentForm.js";
import { PageHeading } from "../components/PageHeading.js";
import { can } from "../lib/permissions.js";
import { Link, useLocation } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";

/** The organisation's assessments, and a form to start one. */
export function AssessmentsPage() {
  const { me } = useSession();
  const { query } = useLocation();
  const r = useResource(listAssessments, []);
  return (
    <>
      <PageHeading title="Assessments">Assessments</PageHeading>
      <ErrorNotice error={r.error} />
      {r.loading ? <Loading /> : null}
      {r.data ? (
        r.data.assessments.length === 0 ? (
          <p>No assessment yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Assessment</th>
                  <th scope="col">Product</th>
                  <th scope="col">Release</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {r.data.assessments.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link to={`/assessments/${a.id}`}>{a.title}</Link>
                    </th>
                    <td>
                      {a.product.manufacturer} {a.product.model}
                    </td>
                    <td>{a.release}</td>
                    <td>{a.kind}</td>
                    <td>{a.status}</td>
                    <td>{a.updated.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {can(me, "assessment.write") ? <NewAssessmentForm profile={query.get("profile") ?? undefined} /> : null}
    </>
  );
}
