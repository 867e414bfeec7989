import { type FormEvent, useState } from "react";
import { type ApiError, createOrganisation, listOrganisations, renameOrganisation } from "../api.js";
import { useSession } from "../lib/session.js";
import { asApiError, useResource } from "../lib/useResource.js";
import type { OrganisationDto } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { TextField } from "./fields.js";

/** Organisations: rename the caller's own (admin); list all and create one (site admin). */
export function OrganisationsAdmin() {
  const { me, refresh } = useSession();
  const r = useResource(listOrganisations, []);
  return (
    <section aria-labelledby="orgs-heading">
      <h2 id="orgs-heading">Organisations</h2>
      <ErrorNotice error={r.error} />
      {r.data ? (
        <ul>
          {r.data.organisations.map((o) => (
            <li key={o.id}>
              {o.name}{" "}
              <span className="muted small">
                ({o.id}, since {o.createdAt.slice(0, 10)})
              </span>
              {o.id === me.organisation.id ? (
                <RenameForm
                  org={o}
                  onDone={(next) => {
                    r.set({
                      organisations: (r.data?.organisations ?? []).map((x) => (x.id === next.id ? next : x)),
                    });
                    refresh();
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {me.user.siteAdmin ? (
        <CreateOrganisationForm
          onCreated={(o) => r.set({ organisations: [...(r.data?.organisations ?? []), o] })}
        />
      ) : null}
    </section>
  );
}

function RenameForm({ org, onDone }: { org: OrganisationDto; onDone: (o: OrganisationDto) => void }) {
  const [name, setName] = useState(org.name);
  const [error, setError] = useState<ApiError>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      onDone(await renameOrganisation(org.id, name.trim(), org.version));
    } catch (err) {
      const x = asApiError(err);
      setError(x);
      const current = x.current as OrganisationDto | undefined;
      if (x.status === 409 && current?.id === org.id) onDone(current);
    }
  };
  return (
    <form onSubmit={submit} className="inline" aria-label={`Rename ${org.name}`}>
      <TextField
        label="New name of the organisation"
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <button type="submit" className="secondary" disabled={name.trim() === org.name}>
        Rename
      </button>
      <ErrorNotice error={error} title="Not renamed" />
    </form>
  );
}

function CreateOrganisationForm({ onCreated }: { onCreated: (o: OrganisationDto) => void }) {
  const [name, setName] = useState("");
  const [adminName, setAdminName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      const r = await createOrganisation(name.trim(), {
        email: email.trim(),
        name: adminName.trim(),
        password,
      });
      onCreated(r.organisation);
      setDone(`Created ${r.organisation.name} with its admin ${r.admin.email}.`);
      setName("");
      setAdminName("");
      setEmail("");
      setPassword("");
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="new-org">
      <h3 id="new-org">Create an organisation</h3>
      <div className="grid-2">
        <TextField
          label="Organisation name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TextField
          label="Its admin's name"
          required
          value={adminName}
          onChange={(e) => setAdminName(e.currentTarget.value)}
        />
        <TextField
          label="Its admin's e-mail address"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <TextField
          label="Its admin's first password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <ErrorNotice error={error} title="Not created" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
      <button type="submit">Create organisation</button>
    </form>
  );
}
