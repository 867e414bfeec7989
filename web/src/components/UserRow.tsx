import { useId, useState } from "react";
import { type ApiError, issuePasswordReset, updateUser } from "../api.js";
import { asApiError } from "../lib/useResource.js";
import { ROLES, type Role, type UserDto } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";

/** One user with their role; a change is saved with the user's version (409: shows the current role). */
export function UserRow({
  user,
  self,
  onChanged,
}: {
  user: UserDto;
  self: boolean;
  onChanged: (u: UserDto) => void;
}) {
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [link, setLink] = useState<{ url: string; expiresAt: string }>();
  const [accessError, setAccessError] = useState<ApiError>();
  /** Disable (sessions end, tokens revoked at once) or enable again. */
  const toggle = async () => {
    setBusy(true);
    setAccessError(undefined);
    try {
      onChanged(await updateUser(user.id, { disabled: !user.disabled }, user.version));
    } catch (err) {
      const e = asApiError(err);
      setAccessError(e);
      const current = e.current as UserDto | undefined;
      if (e.status === 409 && current?.id === user.id) onChanged(current);
    } finally {
      setBusy(false);
    }
  };
  const resetLink = async () => {
    setBusy(true);
    setAccessError(undefined);
    try {
      const r = await issuePasswordReset(user.id);
      setLink({ url: `${window.location.origin}${r.path}`, expiresAt: r.expiresAt });
    } catch (err) {
      setAccessError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const next = await updateUser(user.id, { role }, user.version);
      onChanged(next);
      setSaved(true);
    } catch (err) {
      const e = asApiError(err);
      setError(e);
      const current = e.current as UserDto | undefined;
      if (e.status === 409 && current?.id === user.id) onChanged(current);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <th scope="row">
        {user.name}
        {user.siteAdmin ? <span className="muted small"> (site admin)</span> : null}
        {user.disabled ? <span className="muted small"> (disabled)</span> : null}
      </th>
      <td>{user.email}</td>
      <td>
        <div className="inline">
          <label htmlFor={id} className="visually-hidden">
            Role of {user.name}
          </label>
          <select
            id={id}
            value={role}
            disabled={self}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {!self ? (
            <button type="button" className="secondary" disabled={busy || role === user.role} onClick={save}>
              Change role<span className="visually-hidden"> of {user.name}</span>
            </button>
          ) : (
            <span className="muted small">(you)</span>
          )}
          {saved ? (
            <span role="status" className="small">
              Saved.
            </span>
          ) : null}
        </div>
        {error ? (
          <>
            <ErrorNotice error={error} title="Role not changed" />
            {error.status === 409 ? (
              <button type="button" onClick={save} disabled={busy}>
                Retry on the current version
              </button>
            ) : null}
          </>
        ) : null}
      </td>
      <td>{user.createdAt.slice(0, 10)}</td>
      <td>
        {self ? (
          <span className="muted small">change yours on the Account page</span>
        ) : (
          <div className="inline">
            <button type="button" className="secondary" disabled={busy} onClick={toggle}>
              {user.disabled ? "Enable" : "Disable"}
              <span className="visually-hidden"> {user.name}</span>
            </button>
            {!user.disabled ? (
              <button type="button" className="secondary" disabled={busy} onClick={resetLink}>
                Password reset link<span className="visually-hidden"> for {user.name}</span>
              </button>
            ) : null}
          </div>
        )}
        {link ? (
          <p role="status" className="small">
            Give this link to {user.name} (shown once, works once, until{" "}
            {link.expiresAt.slice(0, 16).replace("T", " ")} UTC): <code>{link.url}</code>
          </p>
        ) : null}
        <ErrorNotice error={accessError} title="Access not changed" />
      </td>
    </tr>
  );
}
