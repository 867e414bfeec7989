import { type FormEvent, useState } from "react";
import { type ApiError, createUser } from "../api.js";
import { asApiError } from "../lib/useResource.js";
import { ROLES, type Role, type UserDto } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { SelectField, TextField } from "./fields.js";

/** Adds a user to the organisation with a first password they should change. */
export function CreateUserForm({ onCreated }: { onCreated: (u: UserDto) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const u = await createUser({ email: email.trim(), name: name.trim(), role, password });
      onCreated(u);
      setDone(`Added ${u.email} as ${u.role}.`);
      setEmail("");
      setName("");
      setPassword("");
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="new-user">
      <h3 id="new-user">Add a user</h3>
      <div className="grid-2">
        <TextField label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextField
          label="E-mail address"
          type="email"
          required
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
          options={ROLES}
        />
        <TextField
          label="First password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          hint="At least 12 characters."
        />
      </div>
      <ErrorNotice error={error} title="User not added" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        Add user
      </button>
    </form>
  );
}
