import { listUsers } from "../api.js";
import { CreateUserForm } from "../components/CreateUserForm.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { OrganisationsAdmin } from "../components/OrganisationsAdmin.js";
import { PageHeading } from "../components/PageHeading.js";
import { UserRow } from "../components/UserRow.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";

/** The organisation's users (admin), and the instance's organisations (site admin). */
export function AdminPage() {
  const { me } = useSession();
  const manage = can(me, "users.manage");
  return (
    <>
      <PageHeading title="Administration">Administration</PageHeading>
      {manage ? <Users /> : <p>Only an admin manages users.</p>}
      {me.user.siteAdmin || can(me, "organisation.manage") ? <OrganisationsAdmin /> : null}
    </>
  );
}

function Users() {
  const { me } = useSession();
  const r = useResource(listUsers, []);
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users of {me.organisation.name}</h2>
      <ErrorNotice error={r.error} />
      {r.loading && !r.data ? <Loading /> : null}
      {r.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {r.data.users.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  self={u.id === me.user.id}
                  onChanged={(next) =>
                    r.set({ users: (r.data?.users ?? []).map((x) => (x.id === next.id ? next : x)) })
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateUserForm onCreated={(u) => r.set({ users: [...(r.data?.users ?? []), u] })} />
    </section>
  );
}
