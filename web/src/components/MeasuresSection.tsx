import { useEffect, useMemo, useState } from "react";
import {
  type ApiError,
  type ChangeCommand,
  decideProposals,
  getMeasureLibrary,
  getProposals,
  runCommands,
} from "../api.js";
import { textName } from "../lib/finding-groups.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError, useResource } from "../lib/useResource.js";
import {
  type AssessmentDto,
  COVERAGES,
  type Coverage,
  type ItemVerdict,
  type LinkProposal,
  MEASURE_KINDS,
  MEASURE_VERDICTS,
  METHODS,
  type Measure,
  type MeasureKind,
  type MeasureVerdict,
  type Method,
  type ProfileItem,
} from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { Folded } from "./Folded.js";
import { SelectField, TextArea, TextField } from "./fields.js";
import { VerdictBadge } from "./VerdictBadge.js";

// The guide's step 2 on the assessment page: the design measures (mechanisms and processes of the
// product), the items each implements with its coverage, their own verification, what they settle,
// link proposals found through the crosswalks and catalog search; added from the library or new.
// Every change is one command of the assessment core (POST /api/assessments/:id/changes).

type Run = (commands: ChangeCommand[], done: string) => Promise<boolean>;

function useRun(assessment: string, onChanged: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const run: Run = async (commands, message) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await runCommands(assessment, commands);
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
  return { busy, error, done, run, setError, setDone, setBusy };
}

export function MeasuresSection({
  assessment: a,
  items,
  verdicts,
  linking,
  onChanged,
}: {
  assessment: AssessmentDto;
  items: ProfileItem[];
  verdicts: Map<string, ItemVerdict> | undefined;
  /** The measures the plan says have proposed links: only then are they asked for. */
  linking: Set<string>;
  onChanged: () => void;
}) {
  const { me } = useSession();
  const writable = can(me, "finding.write");
  const measures = a.measures ?? [];
  const active = measures.filter((m) => !m.removed);
  const removed = measures.filter((m) => m.removed);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const links = useResource(
    () => (linking.size > 0 ? getProposals(a.id, "link") : Promise.resolve({ proposals: [] })),
    [a.id, a.revision, measures.length, linking.size],
  );
  const linkProposals = (links.data?.proposals ?? []).filter((p): p is LinkProposal => p.kind === "link");
  // What each measure settles: the items whose effective verdict comes from it.
  const settles = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const v of verdicts?.values() ?? [])
      if (v.source === "measures")
        for (const id of v.path?.measures ?? []) m.set(id, [...(m.get(id) ?? []), v.item]);
    return m;
  }, [verdicts]);
  const name = (item: string) => {
    const i = byId.get(item);
    return i ? `${textName(i.catalog)} ${i.label}` : item;
  };

  return (
    <section id="measures" aria-labelledby="measures-heading">
      <h2 id="measures-heading">Design measures</h2>
      <p className="muted">
        The mechanisms and processes behind the capabilities (the guide's step 2): each implements items fully
        or in part, and its own verification settles them. {active.length} measure(s)
        {removed.length > 0 ? `, ${removed.length} removed` : ""}.
      </p>
      {active.length === 0 ? <p className="muted">No measure recorded yet.</p> : null}
      <ul className="measures">
        {active.map((m) => (
          <MeasureCard
            key={m.id}
            m={m}
            assessment={a}
            settles={settles.get(m.id) ?? []}
            proposals={linkProposals.filter((p) => p.measure === m.id)}
            items={items}
            name={name}
            writable={writable}
            onChanged={onChanged}
          />
        ))}
      </ul>
      {removed.length > 0 ? (
        <details>
          <summary>{removed.length} removed measure(s)</summary>
          <ul>
            {removed.map((m) => (
              <li key={m.id}>
                {m.id} {m.title}{" "}
                <span className="muted">
                  removed {m.removed?.at.slice(0, 10)}
                  {m.removed?.reason ? `: ${m.removed.reason}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {writable ? (
        <Folded summary="Add a measure, from the library or new">
          <AddMeasure assessment={a} byId={byId} onChanged={onChanged} />
        </Folded>
      ) : null}
    </section>
  );
}

function MeasureCard({
  m,
  assessment: a,
  settles,
  proposals,
  items,
  name,
  writable,
  onChanged,
}: {
  m: Measure;
  assessment: AssessmentDto;
  settles: string[];
  proposals: LinkProposal[];
  items: ProfileItem[];
  name: (item: string) => string;
  writable: boolean;
  onChanged: () => void;
}) {
  const { busy, error, done, run, setError, setDone, setBusy } = useRun(a.id, onChanged);
  const [verdict, setVerdict] = useState<MeasureVerdict>("pass");
  const [method, setMethod] = useState<Method>("test");
  const [notes, setNotes] = useState("");
  const [linkItem, setLinkItem] = useState("");
  const [coverage, setCoverage] = useState<Coverage>("full");
  const [refusal, setRefusal] = useState<ApiError>();
  const [reason, setReason] = useState("");
  const links = m.links.filter((l) => !l.removed);
  const v = m.verification;
  const stale = v && v.basis.release !== a.release.version;
  const headingId = `measure-${m.id}-title`;
  const targeted = useHash() === `#measure-${m.id}`;

  const remove = async (force: boolean) => {
    setRefusal(undefined);
    setBusy(true);
    setError(undefined);
    try {
      await runCommands(a.id, [
        {
          type: "remove-measure",
          measure: m.id,
          ...(force ? { force: true } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
      ]);
      onChanged();
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 409 && !force) setRefusal(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const accept = async (ids: string[]) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await decideProposals(a.id, "accept", ids);
      setDone(`Confirmed ${r.accepted} proposed link(s).`);
      onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li id={`measure-${m.id}`} className="measure card">
      <h3 id={headingId}>
        <span className="item-label">{m.id}</span> {m.title}
      </h3>
      <p className="small muted">
        {m.kind ?? "measure"}
        {m.owner ? ` · owner ${m.owner}` : ""}
        {m.library ? ` · from the library (${m.library.id})` : ""} · implements {links.length} item(s) ·
        settles {settles.length}
        {proposals.length > 0 ? ` · ${proposals.length} proposed link(s) to review` : ""}
      </p>
      <p>
        <strong>Verification:</strong>{" "}
        {v ? (
          <>
            <VerdictBadge value={v.verdict} /> by {v.method} on release {v.basis.release}
            {stale ? (
              <>
                {" "}
                <span className="badge badge-stale">stale</span> verify it again on {a.release.version}
              </>
            ) : null}
            {v.notes ? <span className="muted"> · {v.notes}</span> : null}
          </>
        ) : (
          <span className="muted">not verified yet: the items it implements wait for it</span>
        )}
      </p>
      <Folded
        className="measure-body"
        open={targeted}
        summary={
          <>
            Open {m.id}
            <span className="visually-hidden"> {m.title}</span>: what it implements, verify, link, remove
          </>
        }
      >
        {m.description ? <p>{m.description}</p> : null}
        <p className="small">
          <strong>Implements:</strong>
        </p>
        <ul className="measure-links small">
          {links.map((l) => (
            <li key={l.item}>
              {name(l.item)}{" "}
              <span className="muted">
                ({l.coverage}
                {l.origin ? `, from ${l.origin.kind}` : ""})
              </span>
            </li>
          ))}
        </ul>
        {proposals.length > 0 ? (
          <div className="small link-proposals">
            <p>
              <strong>{proposals.length} proposed link(s)</strong> found through the crosswalks or catalog
              search:
            </p>
            <ul>
              {proposals.slice(0, 12).map((p) => (
                <li key={p.id}>
                  {name(p.item)}{" "}
                  <span className="muted">
                    ({p.coverage},{" "}
                    {p.source.kind === "search"
                      ? `found by catalog search for "${p.source.query}"`
                      : `via ${p.source.path.join(" → ")}`}
                    )
                  </span>
                  {writable ? (
                    <>
                      {" "}
                      <button
                        type="button"
                        className="link-button"
                        disabled={busy}
                        onClick={() => void accept([p.id])}
                      >
                        Confirm<span className="visually-hidden"> the link to {name(p.item)}</span>
                      </button>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            {proposals.length > 12 ? <p className="muted">and {proposals.length - 12} more.</p> : null}
            {writable ? (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void accept(proposals.map((p) => p.id))}
              >
                Confirm all {proposals.length} proposed links of {m.id}
              </button>
            ) : null}
          </div>
        ) : null}
        {writable ? (
          <div className="measure-actions">
            <Folded
              summary={
                <>
                  Verify<span className="visually-hidden"> {m.id}</span>
                </>
              }
            >
              <form
                aria-label={`Verify ${m.id}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(
                    [
                      {
                        type: "verify-measure",
                        measure: m.id,
                        verification: { verdict, method, ...(notes.trim() ? { notes: notes.trim() } : {}) },
                      },
                    ],
                    `${m.id} verified: ${verdict}.`,
                  );
                }}
              >
                <div className="grid-2">
                  <SelectField
                    label="Verification verdict"
                    value={verdict}
                    onChange={(e) => setVerdict(e.currentTarget.value as MeasureVerdict)}
                    options={MEASURE_VERDICTS}
                  />
                  <SelectField
                    label="Verification method"
                    value={method}
                    onChange={(e) => setMethod(e.currentTarget.value as Method)}
                    options={METHODS}
                  />
                </div>
                <TextArea
                  label="Verification notes"
                  rows={2}
                  value={notes}
                  onChange={(e) => setNotes(e.currentTarget.value)}
                />
                <button type="submit" disabled={busy}>
                  Record the verification
                </button>
              </form>
            </Folded>
            <Folded
              summary={
                <>
                  Link an item<span className="visually-hidden"> to {m.id}</span>
                </>
              }
            >
              <form
                aria-label={`Link an item to ${m.id}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  if (!linkItem) return;
                  void run(
                    [
                      {
                        type: "link-measure",
                        measure: m.id,
                        links: [{ item: linkItem, coverage }],
                      },
                    ],
                    `${name(linkItem)} linked to ${m.id}.`,
                  );
                }}
              >
                <SelectField
                  label="Item"
                  value={linkItem}
                  onChange={(e) => setLinkItem(e.currentTarget.value)}
                  options={[
                    { value: "", label: "— choose an item —" },
                    ...items
                      .filter((i) => !links.some((l) => l.item === i.id))
                      .map((i) => ({
                        value: i.id,
                        label: `${textName(i.catalog)} ${i.label} ${i.title}`.slice(0, 110),
                      })),
                  ]}
                />
                <SelectField
                  label="Coverage"
                  value={coverage}
                  onChange={(e) => setCoverage(e.currentTarget.value as Coverage)}
                  options={COVERAGES}
                />
                <button type="submit" disabled={busy || !linkItem}>
                  Link
                </button>
              </form>
            </Folded>
            <Folded
              summary={
                <>
                  Remove<span className="visually-hidden"> {m.id}</span>
                </>
              }
            >
              <TextField
                label="Reason for removing it"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              <button type="button" className="secondary" disabled={busy} onClick={() => void remove(false)}>
                Remove {m.id}
              </button>
              {refusal ? (
                <div className="notice notice-warning" role="alert">
                  <p>
                    <strong>Not removed:</strong> {refusal.message}
                  </p>
                  {settles.length > 0 ? (
                    <p>
                      It settles {settles.length} item(s); removed anyway, their verdicts show as stale until
                      decided again.
                    </p>
                  ) : null}
                  <button type="button" className="danger" disabled={busy} onClick={() => void remove(true)}>
                    Remove anyway
                  </button>
                </div>
              ) : null}
            </Folded>
          </div>
        ) : null}
      </Folded>
      <ErrorNotice error={error} title="Not changed" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </li>
  );
}

function AddMeasure({
  assessment: a,
  byId,
  onChanged,
}: {
  assessment: AssessmentDto;
  byId: Map<string, ProfileItem>;
  onChanged: () => void;
}) {
  const { busy, error, done, run } = useRun(a.id, onChanged);
  const library = useResource(getMeasureLibrary, []);
  const [entry, setEntry] = useState("");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [owner, setOwner] = useState("");
  const [kind, setKind] = useState<MeasureKind>("technical");
  const chosen = library.data?.measures.find((m) => m.id === entry);
  const inProfile = chosen?.links.filter((l) => byId.has(l.item)) ?? [];
  return (
    <div className="grid-2 add-measure">
      <form
        className="card"
        aria-labelledby="add-library-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (!chosen || !library.data) return;
          void run(
            [{ type: "add-measure", fromLibrary: chosen.id, measure: {} }],
            `Added "${chosen.title}" with ${inProfile.length} link(s).`,
          ).then((ok) => ok && setEntry(""));
        }}
      >
        <h3 id="add-library-heading">Add a measure from the library</h3>
        <ErrorNotice error={library.error} title="The library could not be loaded" />
        <SelectField
          label="Library measure"
          value={entry}
          onChange={(e) => setEntry(e.currentTarget.value)}
          options={[
            { value: "", label: "— choose a measure —" },
            ...(library.data?.measures ?? []).map((m) => ({ value: m.id, label: m.title })),
          ]}
        />
        {chosen ? (
          <p className="small">
            {chosen.description} Implements{" "}
            {chosen.links.map((l) => `${byId.get(l.item)?.label ?? l.item} (${l.coverage})`).join(", ")}
            {inProfile.length < chosen.links.length
              ? `; ${chosen.links.length - inProfile.length} not in this profile are left out`
              : ""}
            .
          </p>
        ) : null}
        <button type="submit" disabled={busy || !chosen}>
          Add from the library
        </button>
      </form>
      <form
        className="card"
        aria-labelledby="add-new-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            [
              {
                type: "add-measure",
                measure: {
                  title: title.trim(),
                  kind,
                  ...(description.trim() ? { description: description.trim() } : {}),
                  ...(owner.trim() ? { owner: owner.trim() } : {}),
                },
              },
            ],
            `Added "${title.trim()}": link it to the items it implements.`,
          ).then((ok) => {
            if (ok) {
              setTitle("");
              setDescription("");
              setOwner("");
            }
          });
        }}
      >
        <h3 id="add-new-heading">Add a new measure</h3>
        <TextField
          label="Measure title"
          required
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <TextArea
          label="Description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <div className="grid-2">
          <TextField label="Owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)} />
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as MeasureKind)}
            options={MEASURE_KINDS}
          />
        </div>
        <button type="submit" disabled={busy || title.trim() === ""}>
          Add the measure
        </button>
      </form>
      <ErrorNotice error={error} title="Not added" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </div>
  );
}

/** The address's #fragment, followed as links and the back button change it. */
function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const f = () => setHash(window.location.hash);
    window.addEventListener("hashchange", f);
    window.addEventListener("popstate", f);
    window.addEventListener("cairn:navigate", f);
    return () => {
      window.removeEventListener("hashchange", f);
      window.removeEventListener("popstate", f);
      window.removeEventListener("cairn:navigate", f);
    };
  }, []);
  return decodeURIComponent(hash);
}
