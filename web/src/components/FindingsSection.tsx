import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, type ChangeCommand, decideProposals, runCommands } from "../api.js";
import { type FindingGroup, groupFindings, textName } from "../lib/finding-groups.js";
import { can } from "../lib/permissions.js";
import { Link, navigate } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";
import type {
  AssessmentDto,
  EvidenceRecord,
  FindingDto,
  ItemVerdict,
  ProfileItem,
  VerdictProposal,
} from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { FindingEditor } from "./FindingEditor.js";
import { SelectField, TextArea, TextField } from "./fields.js";
import { ItemName } from "./ItemName.js";
import { VerdictBadge } from "./VerdictBadge.js";

interface Filters {
  text: string;
  verdict: string;
  source: string;
  catalog: string;
  signed: string;
  evidence: string;
}

const NONE: Filters = { text: "", verdict: "", source: "", catalog: "", signed: "", evidence: "" };

const EFFECTIVE = ["pass", "fail", "partial", "inconclusive", "not-applicable", "not-assessed"];

/** Who decided an item's verdict, in words. */
export const SOURCE_WORDS: Record<string, string> = {
  person: "a person",
  measures: "measures",
  "roll-up": "roll-up of its children",
  proposal: "an accepted proposal",
  none: "nobody yet",
};

/** A narrower list the page was asked for by its address (a plan unit, a pitfall, a kind of finding). */
export interface Scope {
  label: string;
  items: Set<string>;
}

export const findingUrl = (assessment: string, item: string, search = "") =>
  `/assessments/${assessment}/findings/${encodeURIComponent(item)}${search}`;

/**
 * The findings grouped by capability (lib/finding-groups.ts) with progress per group, folded until
 * opened (the page draws group headings, not 495 rows); each finding's effective verdict (a person's
 * or derived, with its source; stale shown); selection for work in bulk (not applicable with one
 * rationale, sign-off, accepting proposals); the editor of the finding the address names.
 */
export function FindingsSection({
  assessment,
  items: profileItems,
  verdicts,
  proposals,
  openItem,
  scope,
  search,
  onFinding,
  onEvidence,
  onChanged,
}: {
  assessment: AssessmentDto;
  items: ProfileItem[];
  verdicts: Map<string, ItemVerdict> | undefined;
  /** Open verdict proposals per item. */
  proposals: Map<string, VerdictProposal[]>;
  openItem: string | undefined;
  scope: Scope | undefined;
  /** The address's query, kept when a finding is opened (the scope stays). */
  search: string;
  onFinding: (f: FindingDto) => void;
  onEvidence: (e: EvidenceRecord) => void;
  /** A change in bulk went through: the page loads the assessment and its derived views again. */
  onChanged: () => void;
}) {
  const { me } = useSession();
  const [f, setF] = useState<Filters>(NONE);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const findings = useMemo(() => new Map(assessment.findings.map((x) => [x.item, x])), [assessment.findings]);
  // Without the profile (it failed to load), the findings' own ids stand in for its items.
  const items = useMemo<ProfileItem[]>(
    () =>
      profileItems.length > 0
        ? profileItems
        : assessment.findings.map(
            (x) =>
              ({
                id: x.item,
                catalog: x.item.slice(0, x.item.indexOf(":")),
                label: x.item.slice(x.item.indexOf(":") + 1),
                title: "",
                evidence: [],
              }) as unknown as ProfileItem,
          ),
    [profileItems, assessment.findings],
  );
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const groups = useMemo(() => groupFindings(items), [items]);
  const catalogs = useMemo(() => [...new Set(items.map((i) => i.catalog))], [items]);
  const set = (patch: Partial<Filters>) => setF((x) => ({ ...x, ...patch }));
  const text = f.text.trim().toLowerCase();
  const effective = (id: string) => verdicts?.get(id)?.verdict ?? findings.get(id)?.verdict ?? "not-assessed";
  const keep = (i: ProfileItem): boolean => {
    const x = findings.get(i.id);
    const v = verdicts?.get(i.id);
    if (scope && !scope.items.has(i.id)) return false;
    if (f.verdict && effective(i.id) !== f.verdict) return false;
    if (f.source && (v?.source ?? "none") !== f.source) return false;
    if (f.catalog && i.catalog !== f.catalog) return false;
    if (f.signed === "yes" && !x?.signOff) return false;
    if (f.signed === "no" && x?.signOff) return false;
    if (f.evidence === "none" && (x?.evidence.length ?? 0) > 0) return false;
    if (f.evidence === "some" && (x?.evidence.length ?? 0) === 0) return false;
    if (text && !`${i.id} ${i.label} ${i.title} ${x?.notes ?? ""}`.toLowerCase().includes(text)) return false;
    return true;
  };
  const filtering = Boolean(scope || text || f.verdict || f.source || f.catalog || f.signed || f.evidence);
  const shown = groups.map((g) => ({ g, rows: g.items.filter((r) => keep(r.item)) }));
  const visible = shown.flatMap((s) => s.rows.map((r) => r.item.id));
  const count = visible.length;
  const current = openItem ? findings.get(openItem) : undefined;
  const openGroup = openItem
    ? groups.find((g) => g.items.some((r) => r.item.id === openItem))?.key
    : undefined;
  const isOpen = (key: string) => expanded.has(key) || filtering || key === openGroup;
  const toggle = (key: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (isOpen(key) && n.has(key)) n.delete(key);
      else if (!isOpen(key)) n.add(key);
      return n;
    });
  const base = `/assessments/${assessment.id}`;
  const close = () => {
    const item = openItem;
    navigate(`${base}${search}`);
    // The keyboard goes back where it was: the finding's line in the list.
    if (item)
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`[data-finding="${CSS.escape(item)}"] a.finding-link`)?.focus(),
      );
  };
  const nextOf = (item: string) => {
    const i = visible.indexOf(item);
    return i >= 0 ? visible[i + 1] : undefined;
  };

  const settledIn = (g: FindingGroup) => g.items.filter((r) => verdicts?.get(r.item.id)?.settled).length;

  return (
    <section id="findings" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      <p className="muted">
        {EFFECTIVE.map((v) => ({ v, n: items.filter((i) => effective(i.id) === v).length }))
          .filter((c) => c.n > 0)
          .map((c) => `${c.n} ${c.v}`)
          .join(" · ")}
      </p>
      {scope ? (
        <p className="notice scope-notice">
          Showing {scope.label}. <Link to={`${base}#findings`}>Show every finding</Link>
        </p>
      ) : null}
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
          options={[{ value: "", label: "All" }, ...EFFECTIVE.map((v) => ({ value: v, label: v }))]}
        />
        <SelectField
          label="Decided by"
          value={f.source}
          onChange={(e) => set({ source: e.currentTarget.value })}
          options={[
            { value: "", label: "All" },
            ...Object.entries(SOURCE_WORDS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <SelectField
          label="Catalog"
          value={f.catalog}
          onChange={(e) => set({ catalog: e.currentTarget.value })}
          options={[{ value: "", label: "All" }, ...catalogs.map((c) => ({ value: c, label: textName(c) }))]}
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
        {count} of {items.length} findings shown
        {filtering ? "" : " in groups; open a group to see its findings"}
      </p>
      <BulkBar
        assessment={assessment}
        selected={selected}
        labelOf={(id) => byId.get(id)?.label ?? id}
        findings={findings}
        proposals={proposals}
        canWrite={can(me, "finding.write")}
        canSign={can(me, "finding.signoff")}
        visible={visible}
        onSelect={setSelected}
        onDone={onChanged}
      />
      <div className={current ? "split findings-split" : undefined}>
        <div className="pane findings-pane">
          <a className="skip-inline" href="#evidence">
            Skip the findings to the evidence
          </a>
          <div className="group-tools">
            <button
              type="button"
              className="secondary"
              onClick={() => setExpanded(new Set(groups.map((g) => g.key)))}
            >
              Open every group
            </button>{" "}
            <button type="button" className="secondary" onClick={() => setExpanded(new Set())}>
              Fold every group
            </button>
          </div>
          {shown.map(({ g, rows }) =>
            rows.length === 0 ? null : (
              <div key={g.key} className="finding-group" data-group={g.key}>
                <GroupHeading
                  g={g}
                  open={isOpen(g.key)}
                  rows={rows.length}
                  settled={settledIn(g)}
                  onToggle={() => toggle(g.key)}
                  selectedCount={rows.filter((r) => selected.has(r.item.id)).length}
                  onSelectAll={(on) =>
                    setSelected((s) => {
                      const n = new Set(s);
                      for (const r of rows) {
                        if (on) n.add(r.item.id);
                        else n.delete(r.item.id);
                      }
                      return n;
                    })
                  }
                />
                {isOpen(g.key) ? (
                  <ul className="finding-rows" id={`rows-${g.key}`}>
                    {rows.map(({ item, depth }) => (
                      <FindingRow
                        key={item.id}
                        item={item}
                        depth={depth}
                        finding={findings.get(item.id)}
                        verdict={verdicts?.get(item.id)}
                        proposal={proposals.get(item.id)?.[0]}
                        href={findingUrl(assessment.id, item.id, search)}
                        open={item.id === openItem}
                        selected={selected.has(item.id)}
                        onSelect={(on) =>
                          setSelected((s) => {
                            const n = new Set(s);
                            if (on) n.add(item.id);
                            else n.delete(item.id);
                            return n;
                          })
                        }
                      />
                    ))}
                  </ul>
                ) : null}
              </div>
            ),
          )}
        </div>
        {current ? (
          <div className="pane editor-pane">
            <FindingEditor
              key={current.item}
              assessment={assessment.id}
              finding={current}
              item={byId.get(current.item)}
              verdict={verdicts?.get(current.item)}
              measures={assessment.measures ?? []}
              labelOf={(id) => byId.get(id)?.label ?? id}
              evidence={assessment.evidence}
              onSaved={onFinding}
              onEvidenceAdded={onEvidence}
              onClose={close}
              next={nextOf(current.item)}
              onNext={(item) => navigate(findingUrl(assessment.id, item, search))}
            />
          </div>
        ) : openItem ? (
          <p className="notice notice-error" role="alert">
            No finding for {openItem} in this assessment. <Link to={base}>Back to the assessment</Link>
          </p>
        ) : null}
      </div>
    </section>
  );
}

function GroupHeading({
  g,
  open,
  rows,
  settled,
  onToggle,
  selectedCount,
  onSelectAll,
}: {
  g: FindingGroup;
  open: boolean;
  rows: number;
  settled: number;
  onToggle: () => void;
  selectedCount: number;
  onSelectAll: (on: boolean) => void;
}) {
  const total = g.items.length;
  const pct = total === 0 ? 0 : Math.round((settled / total) * 100);
  return (
    <div className="group-heading">
      <h3>
        <button
          type="button"
          className="group-toggle"
          aria-expanded={open}
          aria-controls={open ? `rows-${g.key}` : undefined}
          onClick={onToggle}
        >
          <span aria-hidden="true" className="chevron">
            {open ? "▾" : "▸"}
          </span>{" "}
          {g.title}
        </button>
      </h3>
      <div className="group-facts small">
        <span className="progress-track" aria-hidden="true">
          <span className="progress-fill" style={{ width: `${pct}%` }} />
        </span>
        <span>
          {settled} of {total} settled ({pct}%){rows < total ? ` · ${rows} shown` : ""} ·{" "}
          <span className="muted">{g.texts.join(", ")}</span>
        </span>
        {open ? (
          <label className="choice">
            <input
              type="checkbox"
              checked={selectedCount > 0 && selectedCount === rows}
              onChange={(e) => onSelectAll(e.currentTarget.checked)}
            />{" "}
            Select the {rows} shown<span className="visually-hidden"> in {g.title}</span>
          </label>
        ) : null}
      </div>
    </div>
  );
}

function FindingRow({
  item,
  depth,
  finding,
  verdict,
  proposal,
  href,
  open,
  selected,
  onSelect,
}: {
  item: ProfileItem;
  depth: number;
  finding: FindingDto | undefined;
  verdict: ItemVerdict | undefined;
  proposal: VerdictProposal | undefined;
  href: string;
  open: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const v = verdict?.verdict ?? finding?.verdict ?? "not-assessed";
  const source = verdict?.source ?? (finding && finding.verdict !== "not-assessed" ? "person" : "none");
  return (
    <li
      className={`finding-row${open ? " open" : ""}${selected ? " picked" : ""}`}
      data-finding={item.id}
      style={depth > 0 ? { paddingLeft: `${0.4 + depth * 1.2}rem` } : undefined}
    >
      <input
        type="checkbox"
        className="row-pick"
        checked={selected}
        aria-label={`Select ${item.label}`}
        onChange={(e) => onSelect(e.currentTarget.checked)}
      />
      <div className="finding-main">
        <Link to={href} className="finding-link" aria-current={open ? "true" : undefined}>
          <ItemName label={item.label} title={item.title} />
        </Link>
        <div className="finding-facts small">
          <VerdictBadge value={v} />
          {source !== "person" && source !== "none" ? (
            <span className="source-tag">derived: {SOURCE_WORDS[source] ?? source}</span>
          ) : null}
          {verdict?.stale ? (
            <span className="badge badge-stale" title={verdict.stale}>
              stale
            </span>
          ) : null}
          {proposal ? <span className="source-tag">proposed: {proposal.verdict}</span> : null}
          {finding?.signOff ? <span className="muted">signed off by {finding.signOff.reviewer}</span> : null}
          {finding && finding.evidence.length > 0 ? (
            <span className="muted">{finding.evidence.length} evidence</span>
          ) : null}
          <code className="muted">{item.id}</code>
        </div>
      </div>
    </li>
  );
}

/** A refusal of a change in bulk, with `body.commands[i]` named as the finding it was about. */
function named(e: ApiError, items: string[], labelOf: (id: string) => string): ApiError {
  const problems = e.problems.map((p) => {
    const m = /^body\.commands\[(\d+)\](.*)$/.exec(p.location);
    const item = m ? items[Number(m[1])] : undefined;
    return item ? { location: `${labelOf(item)} (${item})`, message: p.message } : p;
  });
  return new ApiError(e.status, e.code, e.message, problems, e.current);
}

function BulkBar({
  assessment,
  selected,
  labelOf,
  findings,
  proposals,
  canWrite,
  canSign,
  visible,
  onSelect,
  onDone,
}: {
  assessment: AssessmentDto;
  selected: Set<string>;
  labelOf: (id: string) => string;
  findings: Map<string, FindingDto>;
  proposals: Map<string, VerdictProposal[]>;
  canWrite: boolean;
  canSign: boolean;
  visible: string[];
  onSelect: (s: Set<string>) => void;
  onDone: () => void;
}) {
  const [mode, setMode] = useState<"na">();
  const [rationale, setRationale] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (mode === "na") formRef.current?.querySelector("textarea")?.focus();
  }, [mode]);
  const picked = [...selected];
  const signable = picked.filter((i) => {
    const x = findings.get(i);
    return x && (x.verdict !== "not-assessed" || x.accepted) && !x.signOff;
  });
  const proposalIds = picked.flatMap((i) => {
    const p = proposals.get(i)?.[0];
    return p ? [p.id] : [];
  });

  const run = async (what: () => Promise<string>, items: string[]) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const message = await what();
      setDone(message);
      setMode(undefined);
      setRationale("");
      onSelect(new Set());
      onDone();
    } catch (err) {
      setError(named(asApiError(err), items, labelOf));
    } finally {
      setBusy(false);
    }
  };

  const notApplicable = () => {
    const why = rationale.trim();
    const commands: ChangeCommand[] = picked.map((item) => ({
      type: "record-finding",
      item,
      update: { verdict: "not-applicable", statement: { support: "not-applicable", detail: why } },
      expectVersion: findings.get(item)?.version ?? 1,
    }));
    void run(async () => {
      await runCommands(assessment.id, commands);
      return `Marked ${picked.length} finding(s) not applicable: "${why}".`;
    }, picked);
  };
  const signOff = () =>
    void run(async () => {
      await runCommands(
        assessment.id,
        signable.map((item) => ({ type: "sign-off", item, expectVersion: findings.get(item)?.version ?? 1 })),
      );
      const skipped = picked.length - signable.length;
      return `Signed off ${signable.length} finding(s)${skipped > 0 ? `; ${skipped} without a verdict or already signed were left out` : ""}.`;
    }, signable);
  const accept = () =>
    void run(async () => {
      const r = await decideProposals(assessment.id, "accept", proposalIds);
      return `Accepted ${r.accepted} proposal(s): their verdicts are derived, with their paths.`;
    }, []);

  return (
    <fieldset className="bulk-bar">
      <legend className="visually-hidden">Work on the selected findings</legend>
      <p className="bulk-count">
        <strong>{picked.length}</strong> selected{" "}
        <button
          type="button"
          className="link-button"
          disabled={visible.length === 0}
          onClick={() => onSelect(new Set([...selected, ...visible]))}
        >
          Select every finding shown ({visible.length})
        </button>
        {picked.length > 0 ? (
          <>
            {" · "}
            <button type="button" className="link-button" onClick={() => onSelect(new Set())}>
              Clear the selection
            </button>
          </>
        ) : null}
      </p>
      {picked.length > 0 ? (
        <div className="actions">
          {canWrite ? (
            <button type="button" disabled={busy} onClick={() => setMode(mode === "na" ? undefined : "na")}>
              Mark not applicable…
            </button>
          ) : null}
          {canSign ? (
            <button type="button" disabled={busy || signable.length === 0} onClick={signOff}>
              Sign off {signable.length}
            </button>
          ) : null}
          {canWrite ? (
            <button type="button" disabled={busy || proposalIds.length === 0} onClick={accept}>
              Accept {proposalIds.length} proposal(s)
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === "na" && picked.length > 0 ? (
        <form
          ref={formRef}
          className="card"
          aria-label="Mark not applicable"
          onSubmit={(e) => {
            e.preventDefault();
            notApplicable();
          }}
        >
          <TextArea
            label={`Why the ${picked.length} selected item(s) do not apply`}
            rows={2}
            required
            value={rationale}
            onChange={(e) => setRationale(e.currentTarget.value)}
            hint="One rationale, recorded on each finding's implementation statement."
          />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setMode(undefined)}>
              Cancel
            </button>
            <button type="submit" disabled={busy || rationale.trim() === ""}>
              Mark {picked.length} not applicable
            </button>
          </div>
        </form>
      ) : null}
      <ErrorNotice error={error} title="Nothing was changed" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </fieldset>
  );
}
