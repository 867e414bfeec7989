import type { RowFacts, XlsxTable } from "../crosswalk/matrix-render.js";
import { SOURCE_LABEL } from "./design.js";
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
 * The verdict and evidence of each item the report shows, for the matrix's rows: the effective
 * verdict in the report's words ("not assessed", "FAIL", "no finding"), "(stale)" when it no longer
 * holds, and its source (person, measures, roll-up, proposal).
 */
export function matrixFacts(model: ReportModel): (item: string) => RowFacts | undefined {
  const byItem = new Map<string, RowFacts>();
  for (const g of model.groups)
    for (const f of g.findings) {
      if (!f.profile && f.verdict === undefined) continue;
      const verdict = VERDICT_LABEL[f.effective];
      byItem.set(f.item, {
        verdict: f.stale ? `${verdict} (stale)` : verdict,
        source: SOURCE_LABEL[f.source],
        evidence: [
          ...f.evidence.map(evidenceLine),
          ...f.unknownEvidence.map((id) => `${id}: unknown evidence`),
        ],
      });
    }
  return (item) => byItem.get(item);
}

/** The Measures and Risks sheets of matrix.xlsx: the design file and the risk register, one row each. */
export function designTables(model: ReportModel): XlsxTable[] {
  const d = model.design;
  const measures: XlsxTable = {
    name: "Measures",
    header: [
      "Id",
      "Title",
      "Kind",
      "Owner",
      "Description",
      "Implements",
      "Evidence",
      "Verification",
      "Method",
      "Release",
      "Verified by",
      "Verified on",
      "Status",
      "Settles (items)",
      "Treats risks",
    ],
    rows: d.measures.map((m) => {
      const v = m.verification;
      return [
        m.id,
        m.title,
        m.kind ?? null,
        m.owner ?? null,
        m.description ?? null,
        m.links
          .map(
            (l) =>
              `${l.name} (${l.coverage})${l.removed ? ` ${l.removed}` : ""}${l.stale ? ` stale: ${l.stale}` : ""}`,
          )
          .join("\n") || null,
        [...m.evidence.map(evidenceLine), ...m.unknownEvidence.map((id) => `${id}: unknown evidence`)].join(
          "\n",
        ) || null,
        v ? `${v.verdict}${v.stale ? ` (stale: ${v.stale})` : ""}` : "not verified",
        v?.method ?? null,
        v?.basis.release ?? null,
        v?.by ?? null,
        v?.at ?? null,
        m.removed
          ? `removed by ${m.removed.by} on ${m.removed.at}${m.removed.reason ? `: ${m.removed.reason}` : ""}`
          : "active",
        m.settles,
        m.risks.join(", ") || null,
      ];
    }),
    note: "the design measures (the guide's step 2): each with the items it implements (coverage full or partial), its evidence and its own verification; items implemented by verified measures take their verdict from them (Source: measures).",
  };
  const risks: XlsxTable = {
    name: "Risks",
    header: [
      "Id",
      "Asset",
      "Threat",
      "Likelihood",
      "Impact",
      "Treatment",
      "Measures",
      "Notes",
      "Residual",
      "Owner",
      "Flags",
    ],
    rows: d.risks.map((r) => [
      r.id,
      r.asset,
      r.threat,
      r.likelihood,
      r.impact,
      r.decision,
      r.measures
        .map((m) => (m.state === "active" ? `${m.id} ${m.title ?? ""}` : `${m.id} (${m.state})`))
        .join("\n") || null,
      r.notes ?? null,
      r.residual,
      r.owner ?? null,
      r.flags.join("; ") || null,
    ]),
    note: "the risk register (CRA Article 13(2)-(3), Annex I Part I (1)); Flags names risks no measure treats, high residual risk, and treating measures removed, unknown or failing.",
  };
  return [measures, risks];
}
