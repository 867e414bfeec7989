import { type FormEvent, useState } from "react";
import { type ApiError, search, tailorProfile } from "../api.js";
import { asApiError } from "../lib/useResource.js";
import type { Profile, ProfileSummaryDto, SearchHit } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { RadioGroup, SelectField, TextArea, TextField } from "./fields.js";

/** Add an item to a profile or remove one, always with a rationale (kept in the profile's record). */
export function TailoringForm({
  profile,
  profileId,
  version,
  onDone,
  onCancel,
}: {
  profile: Profile;
  /** The server's id of the profile (its record). */
  profileId: string;
  version: number;
  onDone: (next: { profile: Profile; record: ProfileSummaryDto }) => void;
  onCancel: () => void;
}) {
  const [action, setAction] = useState<"add" | "remove">("remove");
  const [item, setItem] = useState("");
  const [rationale, setRationale] = useState("");
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const find = async () => {
    if (!q.trim()) return;
    try {
      setHits(
        (await search(q.trim(), undefined, 15)).hits.filter((h) => !profile.items.some((i) => i.id === h.id)),
      );
    } catch (err) {
      setError(asApiError(err));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await tailorProfile(profileId, { action, item, rationale: rationale.trim() }, version);
      onDone(r);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="card" aria-label="Tailor the profile">
      <RadioGroup
        legend="Tailoring action"
        name="tailor-action"
        value={action}
        onChange={(v) => {
          setAction(v as "add" | "remove");
          setItem("");
        }}
        options={[
          { value: "remove", label: "Remove an item" },
          { value: "add", label: "Add an item" },
        ]}
      />
      {action === "remove" ? (
        <SelectField
          label="Item to remove"
          value={item}
          required
          onChange={(e) => setItem(e.currentTarget.value)}
          options={[
            { value: "", label: "— choose —" },
            ...profile.items.map((i) => ({ value: i.id, label: `${i.label} ${i.title}` })),
          ]}
        />
      ) : (
        <>
          <div className="inline">
            <TextField
              label="Find an item to add"
              type="search"
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
            />
            <button type="button" className="secondary" onClick={find}>
              Find
            </button>
          </div>
          {hits.length > 0 ? (
            <SelectField
              label="Item to add"
              value={item}
              onChange={(e) => setItem(e.currentTarget.value)}
              options={[
                { value: "", label: "— choose —" },
                ...hits.map((h) => ({ value: h.id, label: `${h.label} ${h.title} (${h.catalog})` })),
              ]}
            />
          ) : null}
          <TextField
            label="Item id"
            value={item}
            required
            onChange={(e) => setItem(e.currentTarget.value)}
            hint="catalog:ref, e.g. nist-sp-800-213a:T1.1.1"
          />
        </>
      )}
      <TextArea
        label="Rationale"
        required
        rows={3}
        value={rationale}
        onChange={(e) => setRationale(e.currentTarget.value)}
        hint="Why the item does or does not apply to this device. Kept with the profile."
      />
      <ErrorNotice error={error} title="Not tailored" />
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={busy || !item || !rationale.trim()}>
          {action === "add" ? "Add the item" : "Remove the item"}
        </button>
      </div>
    </form>
  );
}
