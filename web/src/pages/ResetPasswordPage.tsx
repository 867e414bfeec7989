import { type FormEvent, useEffect, useState } from "react";
import { type ApiError, resetPassword } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { TextField } from "../components/fields.js";
import { navigate } from "../lib/router.js";
import { asApiError } from "../lib/useResource.js";

/**
 * A one-time link an admin issued: `/reset-password#<token>`. The token is in the fragment, which
 * the browser never sends to a server or a proxy log.
 */
export function ResetPasswordPage() {
  const [token] = useState(() => window.location.hash.slice(1));
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = "Set a new password · Cairn";
    // Out of the address bar and the history once read.
    window.history.replaceState(null, "", window.location.pathname);
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await resetPassword(token, password);
      setDone(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="narrow login">
      <h1>Set a new password</h1>
      {done ? (
        <>
          <p role="status" className="notice notice-ok">
            Your password is set. Sign in with it.
          </p>
          <button type="button" onClick={() => navigate("/login", { replace: true })}>
            Sign in
          </button>
        </>
      ) : token === "" ? (
        <p role="alert">This link holds no token: open the whole link your admin gave you.</p>
      ) : (
        <form onSubmit={submit} aria-label="Set a new password" className="card">
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            hint="At least 12 characters. The link works once."
          />
          <ErrorNotice error={error} title="Password not set" />
          <button type="submit" disabled={busy}>
            Set password
          </button>
        </form>
      )}
    </main>
  );
}
