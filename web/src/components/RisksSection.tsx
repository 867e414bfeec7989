import { useState } from "react";
import { type ApiError, type ChangeCommand, runCommands } from "../api.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";
import {
  type AssessmentDto,
  RISK_DECISIONS,
  RISK_LEVELS,
  type Risk,
  type RiskDecision,
  type RiskLevel,
} from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { CheckboxGroup, SelectField, TextArea, TextField } from "./fields.js";

// The risk register (the guide's "design file and risk analysis"; CRA Article 13 and Annex I Part I
// (1)): asset, threat, likelihood, impact, treatment by measures, residual risk. Added and edited
// through the assessment core's commands.

interface Draft {
  asset: string;
  threat: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  decision: RiskDecision;
  measures: string[];
  notes: string;
  residual: RiskLevel;
  owner: string;
}

const EMPTY: Draft = {
  asset: "",
  threat: "",
  likelihood: "medium",
  impact: "medium",
  decision: "mitigate",
  measures: [],
  notes: "",
  residual: "low",
  owner: "",
};

const draftOf = (r: Risk): Draft => ({
  asset: r.asset,
  threat: r.threat,
  likelihood: r.likelihood,
  impact: r.impact,
  decision: r.treatment.decision,
  measures: [...r.treatment.measures],
  notes: r.treatment.notes ?? "",
  residual: r.residual,
  owner: r.owner ?? "",
});

const riskOf = (d: Draft) => ({
  asset: d.asset.trim(),
  threat: d.threat.trim(),
  likelihood: d.likelihood,
  impact: d.impact,
  treatment: {
    decision: d.decision,
    measures: d.measures,
    ...(d.notes.trim() ? { notes: d.notes.trim() } : {}),
  },
  residual: d.residual,
  ...(d.owner.trim() ? { owner: d.owner.trim() } : {}),
});

export function RisksSection({
  assessment: a,
  onChanged,
}: {
  assessment: AssessmentDto;
  onChanged: () => void;
}) {
  const { me } = useSession();
  const writable = can(me, "finding.write");
  const risks = (a.risks ?? []).filter((r) => !r.removed);
  const [editing, setEditing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const run = async (commands: ChangeCommand[], message: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await runCommands(a.id, commands);
      setDone(message);
      onChanged();
      return true;
    } catch (err) {
      setError(asApiError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const measures = (a.measures ?? []).filter((m) => !m.removed);
  const current = risks.find((r) => r.id === editing);
  return (
    <section id="risks" aria-labelledby="risks-heading">
      <h2 id="risks-heading">Risk register</h2>
      {risks.length === 0 ? (
        <p className="muted">
          No risk recorded yet: the CRA expects a documented risk assessment (Article 13, Annex I Part I (1)).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="risks">
            <caption className="visually-hidden">Risks, their treatment and residual risk</caption>
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col">Asset and threat</th>
                <th scope="col">Likelihood, impact</th>
                <th scope="col">Treatment</th>
                <th scope="col">Residual</th>
                {writable ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {risks.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.id}</th>
                  <td>
                    <strong>{r.asset}</strong>: {r.threat}
                  </td>
                  <td>
                    {r.likelihood}, {r.impact}
                  </td>
                  <td>
                    {r.treatment.decision}
                    {r.treatment.measures.length > 0 ? (
                      <>
                        {" by "}
                        {r.treatment.measures.map((m, i) => (
                          <span key={m}>
                            {i > 0 ? ", " : ""}
                            <a href={`#measure-${m}`}>{m}</a>
                          </span>
                        ))}
                      </>
                    ) : null}
                    {r.treatment.notes ? <div className="muted small">{r.treatment.notes}</div> : null}
                  </td>
                  <td>{r.residual}</td>
                  {writable ? (
                    <td>
                      <div className="row-actions">
                        <button type="button" className="link-button" onClick={() => setEditing(r.id)}>
                          Edit<span className="visually-hidden"> {r.id}</span>
                        </button>{" "}
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy}
                          onClick={() => void run([{ type: "remove-risk", risk: r.id }], `${r.id} removed.`)}
                        >
                          Remove<span className="visually-hidden"> {r.id}</span>
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writable ? (
        <RiskForm
          key={editing ?? "new"}
          title={current ? `Edit ${current.id}` : "Add a risk"}
          initial={current ? draftOf(current) : EMPTY}
          measures={measures.map((m) => ({ value: m.id, label: `${m.id} ${m.title}` }))}
          busy={busy}
          onCancel={current ? () => setEditing(undefined) : undefined}
          onSave={async (d) => {
            const ok = current
              ? await run(
                  [
                    {
                      type: "update-risk",
                      risk: current.id,
                      patch: riskOf(d),
                      expectVersion: current.version,
                    },
                  ],
                  `${current.id} saved.`,
                )
              : await run([{ type: "add-risk", risk: riskOf(d) }], "Risk added to the register.");
            if (ok) setEditing(undefined);
            return ok;
          }}
        />
      ) : null}
      <ErrorNotice error={error} title="Not saved" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </section>
  );
}

function RiskForm({
  title,
  initial,
  measures,
  busy,
  onSave,
  onCancel,
}: {
  title: string;
  initial: Draft;
  measures: { value: string; label: string }[];
  busy: boolean;
  onSave: (d: Draft) => Promise<boolean>;
  onCancel: (() => void) | undefined;
}) {
  const [d, setD] = useState(initial);
  const set = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));
  return (
    <form
      className="card risk-form"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(d).then((ok) => ok && !onCancel && setD(EMPTY));
      }}
    >
      <h3>{title}</h3>
      <div className="grid-2">
        <TextField
          label="Asset"
          required
          value={d.asset}
          onChange={(e) => set({ asset: e.currentTarget.value })}
        />
        <TextField
          label="Threat"
          required
          value={d.threat}
          onChange={(e) => set({ threat: e.currentTarget.value })}
        />
      </div>
      <div className="grid-3">
        <SelectField
          label="Likelihood"
          value={d.likelihood}
          onChange={(e) => set({ likelihood: e.currentTarget.value as RiskLevel })}
          options={RISK_LEVELS}
        />
        <SelectField
          label="Impact"
          value={d.impact}
          onChange={(e) => set({ impact: e.currentTarget.value as RiskLevel })}
          options={RISK_LEVELS}
        />
        <SelectField
          label="Treatment"
          value={d.decision}
          onChange={(e) => set({ decision: e.currentTarget.value as RiskDecision })}
          options={RISK_DECISIONS}
          hint={
            d.decision !== "mitigate"
              ? undefined
              : measures.length > 0
                ? "Name the measures that mitigate it, below."
                : "A mitigated risk names its measures: record them first, or choose another treatment."
          }
        />
        <SelectField
          label="Residual risk"
          value={d.residual}
          onChange={(e) => set({ residual: e.currentTarget.value as RiskLevel })}
          options={RISK_LEVELS}
        />
        <TextField
          label="Risk owner"
          value={d.owner}
          onChange={(e) => set({ owner: e.currentTarget.value })}
        />
      </div>
      {measures.length > 0 ? (
        <CheckboxGroup
          legend="Treated by the measures"
          options={measures}
          values={d.measures}
          onChange={(measures) => set({ measures })}
        />
      ) : null}
      <TextArea
        label="Treatment notes"
        hint={d.decision === "accept" ? "Why the risk is accepted as it is." : undefined}
        rows={2}
        value={d.notes}
        onChange={(e) => set({ notes: e.currentTarget.value })}
      />
      <div className="actions">
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" disabled={busy || !d.asset.trim() || !d.threat.trim()}>
          {onCancel ? "Save the risk" : "Add the risk"}
        </button>
      </div>
    </form>
  );
}
