import { type FormEvent, useState } from "react";
import { type ApiError, updateAssessment } from "../api.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";
import { ASSESSMENT_STATUSES, type AssessmentDto, type AssessmentStatus } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { SelectField } from "./fields.js";

/** The assessment's status; saved with its version, and on a conflict the current one is shown. */
export function AssessmentStatusControl({
  assessment,
  onChanged,
}: {
  assessment: AssessmentDto;
  onChanged: (a: AssessmentDto) => void;
}) {
  const { me } = useSession();
  const [status, setStatus] = useState<AssessmentStatus>(assessment.status);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await updateAssessment(assessment.id, { status }, assessment.version));
    } catch (err) {
      const x = asApiError(err);
      setError(x);
      const current = x.current as AssessmentDto | undefined;
      if (x.status === 409 && current?.status) {
        onChanged({ ...assessment, ...current });
        setStatus(current.status);
      }
    } finally {
      setBusy(false);
    }
  };
  if (!can(me, "assessment.write")) return <p>Status: {assessment.status}</p>;
  return (
    <form onSubmit={submit} className="inline status-form" aria-label="Assessment status">
      <SelectField
        label="Status"
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value as AssessmentStatus)}
        options={ASSESSMENT_STATUSES}
      />
      <button type="submit" disabled={busy || status === assessment.status}>
        Change status
      </button>
      <ErrorNotice error={error} title="Status not changed" />
    </form>
  );
}
