import { type FormEvent, useState } from "react";
import { type ApiError, changePassword } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { TextField } from "../components/fields.js";
import { PageHeading } from "../components/PageHeading.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";

/** The signed-in user's own account: a new password with the current one (other sessions end). */
export function AccountPage() {
  const { me } = useSession();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await changePassword(current, password);
      setDone(true);
      setCurrent("");
      setPassword("");
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title="Account">Your account</PageHeading>
      <p>
        {me.user.name} ({me.user.email}), {me.user.role} of {me.organisation.name}.
      </p>
      <form onSubmit={submit} className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          hint="At least 12 characters. Your other sessions end; this one stays."
        />
        <ErrorNotice error={error} title="Password not changed" />
        {done ? (
          <p role="status" className="notice notice-ok">
            Password changed. Your other sessions have ended.
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </form>
    </>
  );
}
