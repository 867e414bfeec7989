import { type FormEvent, useEffect, useRef, useState } from "react";
import { type ApiError, login } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { TextField } from "../components/fields.js";
import { asApiError } from "../lib/useResource.js";

/** E-mail and password; the server sets the session and CSRF cookies. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = "Sign in · Cairn";
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email.trim(), password);
      onLoggedIn();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <main id="main" className="narrow login">
      <h1 ref={heading}>Sign in to Cairn</h1>
      <p className="muted">IoT device cybersecurity conformity workbench.</p>
      <form onSubmit={submit} aria-label="Sign in" className="card">
        <TextField
          label="E-mail address"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorNotice error={error} title="Could not sign in" />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
