import { evidenceFileUrl } from "../api.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import type { AssessmentDto, EvidenceRecord } from "../types.js";
import { EvidenceUpload } from "./EvidenceUpload.js";

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The assessment's evidence records (append-only), with downloads and an upload form. */
export function EvidenceSection({
  assessment,
  onEvidence,
}: {
  assessment: AssessmentDto;
  onEvidence: (e: EvidenceRecord) => void;
}) {
  const { me } = useSession();
  const usedBy = (id: string) => assessment.findings.filter((f) => f.evidence.includes(id)).length;
  return (
    <section id="evidence" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      {assessment.evidence.length === 0 ? (
        <p className="muted">No evidence recorded.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Strength</th>
                <th scope="col">Tags</th>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Findings
                </th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {assessment.evidence.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.id}</th>
                  <td>
                    {e.title}
                    {e.supersedes ? <div className="muted small">supersedes {e.supersedes}</div> : null}
                  </td>
                  <td>{e.kind}</td>
                  <td>{e.strength}</td>
                  <td>{e.tags.join(", ")}</td>
                  <td>
                    {e.file ? (
                      <>
                        <a href={evidenceFileUrl(assessment.id, e.id)} download={e.file.name}>
                          {e.file.name}
                        </a>
                        <div className="muted small">
                          {size(e.file.size)} · {e.file.mediaType} ·{" "}
                          <abbr title={`SHA-256 ${e.file.sha256}`}>{e.file.sha256.slice(0, 12)}…</abbr>
                        </div>
                      </>
                    ) : e.url ? (
                      <a href={e.url} rel="noreferrer noopener" target="_blank">
                        {e.url}
                      </a>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="num">{usedBy(e.id)}</td>
                  <td>
                    {e.addedBy}
                    <div className="muted small">{e.addedAt.slice(0, 10)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can(me, "evidence.write") ? (
        <EvidenceUpload assessment={assessment.id} onUploaded={onEvidence} />
      ) : null}
    </section>
  );
}
