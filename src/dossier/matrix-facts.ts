import type { RowFacts } from "../crosswalk/matrix-render.js";
import { type EvidenceView, type ReportModel, VERDICT_LABEL } from "./report-model.js";

/** One line for a piece of evidence in the matrix: id, title, where to find it, and whether it still holds. */
function evidenceLine(e: EvidenceView): string {
  const r = e.record;
  const where = r.file ? ` (${r.file.path})` : r.url ? ` (${r.url})` : "";
  const notes = [e.expired ? "expired" : "", e.supersededBy ? `superseded by ${e.supersededBy}` : ""].filter(
    Boolean,
  );
  return `${e.id} ${r.title}${where}${notes.length > 0 ? `: ${notes.join(", ")}` : ""}`;
}

/**
 * The verdict and evidence of each item the report shows, for the matrix's rows: the words of the
 * report ("not assessed", "FAIL", "no finding"), "stale" when the verdict no longer holds.
 */
export function matrixFacts(model: ReportModel): (item: string) => RowFacts | undefined {
  const byItem = new Map<string, RowFacts>();
  for (const g of model.groups)
    for (const f of g.findings) {
      if (!f.profile && f.verdict === undefined) continue;
      const verdict = VERDICT_LABEL[f.verdict ?? "no finding"];
      byItem.set(f.item, {
        verdict: f.stale ? `${verdict} (stale)` : verdict,
        evidence: [
          ...f.evidence.map(evidenceLine),
          ...f.unknownEvidence.map((id) => `${id}: unknown evidence`),
        ],
      });
    }
  return (item) => byItem.get(item);
}
