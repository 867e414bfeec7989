import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { type ApiError, updateFinding } from "../api.js";
import { type Draft, draftOf, patchOf } from "../lib/finding-draft.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";
import {
  type EvidenceRecord,
  type FindingDto,
  type FindingPatch,
  type ImplementationSupport,
  type ItemVerdict,
  METHODS,
  type Measure,
  type Method,
  type ProfileItem,
  SUPPORTS,
  VERDICTS,
  type Verdict,
} from "../types.js";
import { ConflictPanel } from "./ConflictPanel.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { EvidenceUpload } from "./EvidenceUpload.js";
import { SelectField, TextArea } from "./fields.js";
import { ItemName } from "./ItemName.js";
import { VerdictBadge } from "./VerdictBadge.js";

/**
 * Edits one finding: verdict, method, implementation statement, notes, evidence; sign-off. Saves
 * with the version it was loaded at; when someone else saved first (409), shows their version
 * beside this one and lets the user keep theirs or take the other.
 */
export function FindingEditor({
  assessment,
  finding,
  item,
  evidence,
  onSaved,
  onEvidenceAdded,
  onClose,
  verdict,
  measures = [],
  labelOf = (id) => id,
  next,
  onNext,
}: {
  assessment: string;
  finding: FindingDto;
  item: ProfileItem | undefined;
  evidence: EvidenceRecord[];
  onSaved: (f: FindingDto) => void;
  onEvidenceAdded: (e: EvidenceRecord) => void;
  onClose: () => void;
  /** The item's effective verdict with its provenance (GET .../verdicts). */
  verdict?: ItemVerdict | undefined;
  measures?: Measure[];
  labelOf?: (item: string) => string;
  /** The finding after this one in the list as shown, for save-and-next. */
  next?: string | undefined;
  onNext?: (item: string) => void;
}) {
  const { me } = useSession();
  const headingId = useId();
  const [base, setBase] = useState(finding);
  const [d, setD] = useState<Draft>(() => draftOf(finding));
  const [error, setError] = useState<ApiError>();
  const [conflict, setConflict] = useState<FindingDto>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const writable = can(me, "finding.write");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const thenNext = useRef(false);
  // Opened (by a click, a link or save-and-next): the keyboard starts at the finding's heading.
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: false });
  }, []);
  // Escape closes the editor, wherever the focus is on the page, unless a control used it first.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || e.isComposing) return;
      e.preventDefault();
      onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  const set = (patch: Partial<Draft>) => {
    setSaved(undefined);
    setD((x) => ({ ...x, ...patch }));
  };

  const send = async (patch: FindingPatch, version: number, what: string) => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const nextItem = next;
      const updated = await updateFinding(assessment, finding.item, patch, version);
      setBase(updated);
      setD(draftOf(updated));
      setConflict(undefined);
      setSaved(what);
      onSaved(updated);
      if (thenNext.current && nextItem && onNext) onNext(nextItem);
      thenNext.current = false;
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 409 && e.current && typeof e.current === "object")
        setConflict(e.current as FindingDto);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    thenNext.current = submitter?.getAttribute("data-next") === "yes";
    const patch = patchOf(base, d);
    if (Object.keys(patch).length === 0) {
      if (thenNext.current && next && onNext) onNext(next);
      else setSaved("Nothing to save: no change.");
      return;
    }
    void send(patch, base.version, `Saved (version ${base.version + 1}).`);
  };

  return (
    <section className="editor card" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} ref={headingRef}>
        {item ? <ItemName label={item.label} title={item.title} /> : finding.item}
      </h3>
      <p className="muted small">
        <code>{finding.item}</code> · version {base.version}
        {base.updated ? ` · last changed by ${base.updated.by} on ${base.updated.date.slice(0, 10)}` : ""}
        {item ? ` · ${item.stringency} stringency, ${item.method}` : ""}
      </p>
      {verdict ? <Provenance verdict={verdict} measures={measures} labelOf={labelOf} /> : null}
      {item && item.evidence.length > 0 ? (
        <p className="small">
          <strong>Evidence expected:</strong> {item.evidence.join("; ")}
        </p>
      ) : null}
      {conflict && error?.code === "stale-version" ? (
        <ConflictPanel
          mine={d}
          theirs={conflict}
          busy={busy}
          onKeepMine={() =>
            void send(
              patchOf(conflict, d),
              conflict.version,
              `Saved over the other change (version ${conflict.version + 1}).`,
            )
          }
          onTakeTheirs={() => {
            setBase(conflict);
            setD(draftOf(conflict));
            setConflict(undefined);
            setError(undefined);
            onSaved(conflict);
          }}
        />
      ) : (
        <ErrorNotice error={error} title="Not saved" />
      )}
      <form onSubmit={save} aria-label="Finding">
        <fieldset disabled={!writable || busy}>
          <legend className="visually-hidden">Finding</legend>
          <div className="grid-2">
            <SelectField
              label="Verdict"
              value={d.verdict}
              onChange={(e) => set({ verdict: e.currentTarget.value as Verdict })}
              options={VERDICTS}
            />
            <SelectField
              label="Method"
              value={d.method}
              onChange={(e) => set({ method: e.currentTarget.value as Method | "" })}
              options={[
                { value: "", label: "— not stated —" },
                ...METHODS.map((m) => ({ value: m, label: m })),
              ]}
            />
          </div>
          <SelectField
            label="Implementation statement"
            value={d.support}
            onChange={(e) => set({ support: e.currentTarget.value as ImplementationSupport | "" })}
            options={[{ value: "", label: "— none —" }, ...SUPPORTS.map((s) => ({ value: s, label: s }))]}
          />
          <TextArea
            label="Statement detail"
            rows={3}
            value={d.detail}
            disabled={d.support === ""}
            onChange={(e) => set({ detail: e.currentTarget.value })}
            hint="How the item is implemented, or why it is not."
          />
          <TextArea
            label="Notes"
            rows={2}
            value={d.notes}
            onChange={(e) => set({ notes: e.currentTarget.value })}
          />
          <fieldset className="choices">
            <legend>Evidence backing the verdict</legend>
            {evidence.length === 0 ? (
              <p className="muted small">No evidence recorded yet: upload a file below.</p>
            ) : null}
            {evidence.map((e) => (
              <label key={e.id} className="choice">
                <input
                  type="checkbox"
                  checked={d.evidence.includes(e.id)}
                  onChange={(ev) =>
                    set({
                      evidence: ev.currentTarget.checked
                        ? [...d.evidence.filter((x) => x !== e.id), e.id]
                        : d.evidence.filter((x) => x !== e.id),
                    })
                  }
                />{" "}
                {e.id} {e.title} <span className="muted">({e.strength})</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="button" className="secondary" onClick={onClose} aria-keyshortcuts="Escape">
              Close
            </button>
            <button type="submit">Save finding</button>
            {next && onNext ? (
              <button type="submit" data-next="yes">
                Save and next
              </button>
            ) : null}
          </div>
        </fieldset>
      </form>
      {saved ? (
        <p role="status" className="notice notice-ok">
          {saved}
        </p>
      ) : null}
      <SignOff
        finding={base}
        busy={busy}
        canSign={can(me, "finding.signoff")}
        onSign={(on) => void send({ signOff: on }, base.version, on ? "Signed off." : "Sign-off withdrawn.")}
      />
      {can(me, "evidence.write") ? (
        <EvidenceUpload
          assessment={assessment}
          legend="Upload a file and attach it to this finding"
          onUploaded={(rec) => {
            onEvidenceAdded(rec);
            set({ evidence: [...d.evidence, rec.id] });
          }}
        />
      ) : null}
    </section>
  );
}

function SignOff({
  finding,
  canSign,
  busy,
  onSign,
}: {
  finding: FindingDto;
  canSign: boolean;
  busy: boolean;
  onSign: (on: boolean) => void;
}) {
  return (
    <div className="signoff">
      <p>
        {finding.signOff
          ? `Signed off by ${finding.signOff.reviewer} on ${finding.signOff.date.slice(0, 10)}. Any change withdraws it.`
          : "Not signed off."}
      </p>
      {canSign ? (
        finding.signOff ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => onSign(false)}>
            Withdraw sign-off
          </button>
        ) : (
          <button
            type="button"
            disabled={busy || finding.verdict === "not-assessed"}
            onClick={() => onSign(true)}
          >
            Sign off
          </button>
        )
      ) : null}
    </div>
  );
}

const SOURCE: Record<string, string> = {
  measures: "derived from measures",
  "roll-up": "rolled up from its children",
  proposal: "from an accepted proposal",
};

/** The item's effective verdict: who decided it, the rule, and the path on demand. */
function Provenance({
  verdict: v,
  measures,
  labelOf,
}: {
  verdict: ItemVerdict;
  measures: Measure[];
  labelOf: (item: string) => string;
}) {
  const derived = v.source === "person" ? v.derived : v.source === "none" ? undefined : v;
  const path = derived?.path;
  const title = (m: string) => measures.find((x) => x.id === m)?.title;
  return (
    <div className="provenance">
      <p>
        <strong>Effective verdict:</strong> <VerdictBadge value={v.verdict} />{" "}
        {v.source === "person"
          ? "given by a person"
          : v.source === "none"
            ? "nobody has decided it yet"
            : SOURCE[v.source]}
        {v.stale ? (
          <>
            {" "}
            <span className="badge badge-stale">stale</span> {v.stale}
          </>
        ) : null}
      </p>
      {v.source === "person" && v.derived ? (
        <p className="small">
          Would be derived: <VerdictBadge value={v.derived.verdict} /> ({SOURCE[v.derived.source]}).
        </p>
      ) : null}
      {v.waiting && v.waiting.length > 0 ? (
        <p className="small">Waiting for the verification of {v.waiting.join(", ")}.</p>
      ) : null}
      {derived && path ? (
        <details className="small">
          <summary>How it was derived</summary>
          {derived.rule ? <p>Rule: {derived.rule}</p> : null}
          {path.measures && path.measures.length > 0 ? (
            <p>
              Measures:{" "}
              {path.measures.map((m, i) => (
                <span key={m}>
                  {i > 0 ? ", " : ""}
                  <a href={`#measure-${m}`}>{m}</a>
                  {title(m) ? ` ${title(m)}` : ""}
                </span>
              ))}
            </p>
          ) : null}
          {path.children && path.children.length > 0 ? (
            <p>Children: {path.children.map((c) => labelOf(c)).join(", ")}</p>
          ) : null}
          {path.proposal ? <p>Proposal {path.proposal}</p> : null}
          {path.from && path.from.length > 0 ? (
            <p>From: {path.from.map((c) => `${labelOf(c)} (${c})`).join(", ")}</p>
          ) : null}
          {path.rows && path.rows.length > 0 ? <p>Mapping rows: {path.rows.join(", ")}</p> : null}
          {path.collector ? (
            <p>
              Collector {path.collector.name}, evidence {path.collector.evidence} ({path.collector.strength})
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}
