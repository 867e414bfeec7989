import { listProfiles } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { can } from "../lib/permissions.js";
import { Link } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";

/** The organisation's SP 800-213 profiles. */
export function ProfilesPage() {
  const { me } = useSession();
  const r = useResource(listProfiles, []);
  return (
    <>
      <PageHeading title="Profiles">Profiles</PageHeading>
      {can(me, "profile.write") ? (
        <p>
          <Link to="/profiles/new" className="button">
            Build a profile
          </Link>
        </p>
      ) : null}
      <ErrorNotice error={r.error} />
      {r.loading ? <Loading /> : null}
      {r.data ? (
        r.data.profiles.length === 0 ? (
          <p>No profile yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {r.data.profiles.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/profiles/${p.id}`}>{p.title}</Link>
                    </th>
                    <td className="num">{p.itemCount}</td>
                    <td>{p.createdAt.slice(0, 10)}</td>
                    <td>{p.createdBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
