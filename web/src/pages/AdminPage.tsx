import { useState } from "react";
import { type ApiError, listOrgTokens, listUsers, revokeOrgToken } from "../api.js";
import { CreateUserForm } from "../components/CreateUserForm.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { OrganisationsAdmin } from "../components/OrganisationsAdmin.js";
import { PageHeading } from "../components/PageHeading.js";
import { UserRow } from "../components/UserRow.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError, useResource } from "../lib/useResource.js";

/** The organisation's users (admin), and the instance's organisations (site admin). */
export function AdminPage() {
  const { me } = useSession();
  const manage = can(me, "users.manage");
  return (
    <>
      <PageHeading title="Administration">Administration</PageHeading>
      {manage ? <Users /> : <p>Only an admin manages users.</p>}
      {manage ? <Tokens /> : null}
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
                <th scope="col">Access</th>
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

/** Every API token of the organisation: an admin revokes any of them (a leaked CI token, a leaver's). */
function Tokens() {
  const r = useResource(listOrgTokens, []);
  const [error, setError] = useState<ApiError>();
  const revoke = async (id: string) => {
    setError(undefined);
    try {
      const { token } = await revokeOrgToken(id);
      r.set({ tokens: (r.data?.tokens ?? []).map((t) => (t.id === id ? token : t)) });
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <ErrorNotice error={r.error ?? error} />
      {r.loading && !r.data ? <Loading /> : null}
      {r.data && r.data.tokens.length === 0 ? <p>No API token yet.</p> : null}
      {r.data && r.data.tokens.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Whose</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {r.data.tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.user.email}</td>
                  <td>{t.createdAt.slice(0, 10)}</td>
                  <td>{t.expiresAt ? t.expiresAt.slice(0, 10) : "—"}</td>
                  <td>
                    {t.revokedAt ? (
                      `revoked ${t.revokedAt.slice(0, 10)}`
                    ) : (
                      <button type="button" className="secondary" onClick={() => revoke(t.id)}>
                        Revoke
                        <span className="visually-hidden">
                          {" "}
                          {t.name} of {t.user.email}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
