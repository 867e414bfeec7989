import { useState } from "react";
import { ApiError, dossierUrl } from "../api.js";
import { asApiError } from "../lib/useResource.js";
import type { AssessmentDto } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";

/**
 * Downloads the dossier (a zip: report, matrix, OSCAL, CycloneDX, evidence, manifest of SHA-256
 * hashes). Fetched first so a refusal (a dossier with problems, a missing route) shows here
 * instead of as a downloaded error page.
 */
export function DossierSection({ assessment }: { assessment: AssessmentDto }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const download = async (draft: boolean) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const url = draft ? `${dossierUrl(assessment.id)}?draft=true` : dossierUrl(assessment.id);
      const res = await fetch(url, { credentials: "same-origin" });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as {
          code?: string;
          message?: string;
          problems?: { location: string; message: string }[];
        };
        throw new ApiError(
          res.status,
          body.code ?? `http-${res.status}`,
          body.message ?? res.statusText,
          body.problems,
        );
      }
      const blob = await res.blob();
      const disposition = res.headers.get("content-disposition") ?? "";
      const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `dossier-${assessment.id}.zip`;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setDone(`Downloaded ${name} (${Math.ceil(blob.size / 1024)} KiB).`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section id="dossier" aria-labelledby="dossier-heading">
      <h2 id="dossier-heading">Dossier</h2>
      <p>
        The assessment package: report (HTML, PDF), matrix (CSV, XLSX), OSCAL assessment results and profile,
        CycloneDX attestation, the evidence files and a manifest of their SHA-256 hashes.
      </p>
      <div className="actions start">
        <button type="button" disabled={busy} onClick={() => download(false)}>
          Download the dossier
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => download(true)}>
          Download as a draft
        </button>
      </div>
      <ErrorNotice error={error} title="No dossier" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </section>
  );
}
