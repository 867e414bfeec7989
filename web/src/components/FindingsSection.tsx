import { useMemo, useState } from "react";
import {
  type AssessmentDto,
  type EvidenceRecord,
  type FindingDto,
  type ProfileItem,
  VERDICTS,
} from "../types.js";
import { FindingEditor } from "./FindingEditor.js";
import { SelectField, TextField } from "./fields.js";
import { ItemName } from "./ItemName.js";
import { VerdictBadge } from "./VerdictBadge.js";

interface Filters {
  text: string;
  verdict: string;
  catalog: string;
  signed: string;
  evidence: string;
}

const NONE: Filters = { text: "", verdict: "", catalog: "", signed: "", evidence: "" };

/** The findings table with its filters, and the editor of the finding the user opens. */
export function FindingsSection({
  assessment,
  items,
  onFinding,
  onEvidence,
}: {
  assessment: AssessmentDto;
  items: ProfileItem[];
  onFinding: (f: FindingDto) => void;
  onEvidence: (e: EvidenceRecord) => void;
}) {
  const [f, setF] = useState<Filters>(NONE);
  const [open, setOpen] = useState<string>();
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const catalogs = useMemo(
    () => [...new Set(assessment.findings.map((x) => x.item.slice(0, x.item.indexOf(":"))))],
    [assessment.findings],
  );
  const set = (patch: Partial<Filters>) => setF((x) => ({ ...x, ...patch }));
  const text = f.text.trim().toLowerCase();
  const rows = assessment.findings.filter((x) => {
    const i = byId.get(x.item);
    if (f.verdict && x.verdict !== f.verdict) return false;
    if (f.catalog && !x.item.startsWith(`${f.catalog}:`)) return false;
    if (f.signed === "yes" && !x.signOff) return false;
    if (f.signed === "no" && x.signOff) return false;
    if (f.evidence === "none" && x.evidence.length > 0) return false;
    if (f.evidence === "some" && x.evidence.length === 0) return false;
    if (
      text &&
      !`${x.item} ${i?.label ?? ""} ${i?.title ?? ""} ${x.notes ?? ""}`.toLowerCase().includes(text)
    )
      return false;
    return true;
  });
  const counts = VERDICTS.map((v) => ({ v, n: assessment.findings.filter((x) => x.verdict === v).length }));
  const current = open ? assessment.findings.find((x) => x.item === open) : undefined;

  return (
    <section id="findings" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      <p className="muted">
        {counts
          .filter((c) => c.n > 0)
          .map((c) => `${c.n} ${c.v}`)
          .join(" · ")}
      </p>
      <fieldset className="filters inline">
        <legend className="visually-hidden">Filter the findings</legend>
        <TextField
          label="Text"
          type="search"
          value={f.text}
          onChange={(e) => set({ text: e.currentTarget.value })}
        />
        <SelectField
          label="Verdict"
          value={f.verdict}
          onChange={(e) => set({ verdict: e.currentTarget.value })}
          options={[{ value: "", label: "All" }, ...VERDICTS.map((v) => ({ value: v, label: v }))]}
        />
        <SelectField
          label="Catalog"
          value={f.catalog}
          onChange={(e) => set({ catalog: e.currentTarget.value })}
          options={[{ value: "", label: "All" }, ...catalogs.map((c) => ({ value: c, label: c }))]}
        />
        <SelectField
          label="Sign-off"
          value={f.signed}
          onChange={(e) => set({ signed: e.currentTarget.value })}
          options={[
            { value: "", label: "All" },
            { value: "yes", label: "Signed off" },
            { value: "no", label: "Not signed off" },
          ]}
        />
        <SelectField
          label="Evidence"
          value={f.evidence}
          onChange={(e) => set({ evidence: e.currentTarget.value })}
          options={[
            { value: "", label: "All" },
            { value: "none", label: "Without evidence" },
            { value: "some", label: "With evidence" },
          ]}
        />
        <button type="button" className="secondary" onClick={() => setF(NONE)}>
          Clear filters
        </button>
      </fieldset>
      <p role="status" className="muted">
        {rows.length} of {assessment.findings.length} findings shown
      </p>
      <div className={current ? "split findings-split" : undefined}>
        <div className="table-wrap pane findings-wrap">
          <a className="skip-inline" href="#evidence">
            Skip the findings table to the evidence
          </a>
          <table className="findings">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Verdict</th>
                <th scope="col">Method</th>
                <th scope="col">Statement</th>
                <th scope="col" className="num">
                  Evidence
                </th>
                <th scope="col">Signed off</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => {
                const i = byId.get(x.item);
                return (
                  <tr key={x.item} className={x.item === open ? "selected" : undefined}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={x.item === open}
                        onClick={() => setOpen(x.item === open ? undefined : x.item)}
                      >
                        <ItemName label={i?.label ?? x.item} title={i?.title} />
                      </button>
                      <div className="muted small">{x.item}</div>
                    </th>
                    <td>
                      <VerdictBadge value={x.verdict} />
                    </td>
                    <td>{x.method ?? "—"}</td>
                    <td>{x.statement?.support ?? "—"}</td>
                    <td className="num">{x.evidence.length}</td>
                    <td>{x.signOff ? `${x.signOff.reviewer}` : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {current ? (
          <div className="pane">
            <FindingEditor
              key={current.item}
              assessment={assessment.id}
              finding={current}
              item={byId.get(current.item)}
              evidence={assessment.evidence}
              onSaved={onFinding}
              onEvidenceAdded={onEvidence}
              onClose={() => setOpen(undefined)}
            />
          </div>
        ) : null}
      </div>
    </section>
  );
}
