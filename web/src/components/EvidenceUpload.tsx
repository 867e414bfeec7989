import { type FormEvent, useId, useRef, useState } from "react";
import { type ApiError, uploadEvidence } from "../api.js";
import { asApiError } from "../lib/useResource.js";
import { type EvidenceRecord, type EvidenceStrength, STRENGTHS } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { SelectField, TextField } from "./fields.js";

/**
 * Uploads one file as evidence (streamed to the server, stored by its SHA-256). Evidence is
 * append-only: a new upload never changes an existing record.
 */
export function EvidenceUpload({
  assessment,
  onUploaded,
  legend = "Upload evidence",
}: {
  assessment: string;
  onUploaded: (e: EvidenceRecord) => void;
  legend?: string;
}) {
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [title, setTitle] = useState("");
  const [strength, setStrength] = useState<EvidenceStrength>("supports");
  const [tags, setTags] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const record = await uploadEvidence(assessment, file, {
        title: title.trim() || file.name,
        strength,
        tags: tags
          .split(",")
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      });
      setDone(`Uploaded ${record.file?.name ?? file.name} as ${record.id}.`);
      setFile(undefined);
      setTitle("");
      setTags("");
      if (input.current) input.current.value = "";
      onUploaded(record);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="upload" aria-label={legend}>
      <fieldset>
        <legend>{legend}</legend>
        <div className="field">
          <label htmlFor={fileId}>File</label>
          <input
            ref={input}
            id={fileId}
            type="file"
            required
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              setFile(f);
              if (f && !title) setTitle(f.name);
            }}
          />
        </div>
        <TextField label="Evidence title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <SelectField
          label="Strength"
          value={strength}
          onChange={(e) => setStrength(e.currentTarget.value as EvidenceStrength)}
          options={STRENGTHS}
          hint="proves: shows the requirement is met; proves-only-when-failing: can only show a failure."
        />
        <TextField
          label="Tags"
          value={tags}
          onChange={(e) => setTags(e.currentTarget.value)}
          hint="Comma-separated, e.g. sbom, vdp, support-period"
        />
        <ErrorNotice error={error} title="Not uploaded" />
        {done ? (
          <p role="status" className="notice notice-ok">
            {done}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !file}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </fieldset>
    </form>
  );
}
