import { useMemo, useState } from "react";
import {
  clausesUrl,
  diffProfile,
  getClauses,
  getProfile,
  getVocabulary,
  listCatalogs,
  listPresets,
  listProfiles,
  oscalProfileUrl,
} from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { SelectField } from "../components/fields.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { ProfileItems } from "../components/ProfileItems.js";
import { TailoringForm } from "../components/TailoringForm.js";
import { can } from "../lib/permissions.js";
import { Link } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";
import type { Profile, Vocabulary } from "../types.js";

/** A stored profile: its context, what it requires and why, and its tailoring. */
export function ProfilePage({ id }: { id: string }) {
  const { me } = useSession();
  const r = useResource(() => getProfile(id), [id]);
  const catalogs = useResource(listCatalogs, []);
  const vocabulary = useResource(getVocabulary, []);
  const titles = useMemo(() => {
    const t: Record<string, string> = {};
    for (const c of catalogs.data?.catalogs ?? []) t[c.id] = c.shortTitle ?? c.title;
    return t;
  }, [catalogs.data]);
  const [tailorOpen, setTailorOpen] = useState(false);
  if (r.error)
    return (
      <>
        <PageHeading title="Profile">Profile</PageHeading>
        <ErrorNotice error={r.error} />
      </>
    );
  if (!r.data) return <Loading what="Loading the profile" />;
  const { profile, record } = r.data;
  return (
    <>
      <PageHeading title={profile.title}>{profile.title}</PageHeading>
      <p className="muted">
        Made {profile.created} by {r.data.author?.name ?? record.createdBy} · {profile.items.length} items ·
        rules {profile.rules.id} {profile.rules.version} · <code>{profile.id}</code>
        {can(me, "assessment.write") ? (
          <>
            {" "}
            ·{" "}
            <Link to={`/assessments?profile=${encodeURIComponent(record.id)}`}>
              Assess a release against it
            </Link>
          </>
        ) : null}
      </p>
      <nav aria-label="Sections of the profile" className="in-page">
        <ul>
          <li>
            <a href="#context">Context</a>
          </li>
          <li>
            <a href="#items">Items</a>
          </li>
          <li>
            <a href="#clauses">Acquisition clauses</a>
          </li>
          <li>
            <a href="#compare">Compare</a>
          </li>
          <li>
            <a href="#tailoring">Tailoring</a>
          </li>
        </ul>
      </nav>
      <ContextSummary profile={profile} vocabulary={vocabulary.data?.vocabulary} />
      {profile.warnings.length > 0 ? (
        <section className="notice notice-warning" aria-labelledby="warnings">
          <h2 id="warnings">Warnings</h2>
          <ul>
            {profile.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <ProfileItems profile={profile} profileId={record.id} titles={titles} />
      <ClausesSection id={record.id} />
      <CompareSection id={record.id} />
      <section aria-labelledby="tailoring">
        <h2 id="tailoring">Tailoring</h2>
        {profile.tailoring.length === 0 ? (
          <p className="muted">Not tailored: every item comes from the rules.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Item</th>
                  <th scope="col">Rationale</th>
                  <th scope="col">By</th>
                  <th scope="col">At</th>
                </tr>
              </thead>
              <tbody>
                {profile.tailoring.map((t) => (
                  <tr key={`${t.at}:${t.item}:${t.action}`}>
                    <td>{t.action}</td>
                    <td>
                      {profile.items.find((i) => i.id === t.item)?.label ?? t.item}{" "}
                      <span className="muted small">
                        {titles[t.item.slice(0, t.item.indexOf(":"))] ?? ""}
                      </span>
                    </td>
                    <td>{t.rationale}</td>
                    <td>{t.author}</td>
                    <td>{t.at}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {can(me, "profile.write") ? (
          tailorOpen ? (
            <TailoringForm
              profile={profile}
              profileId={record.id}
              version={record.version}
              onDone={(next) => {
                r.set(next);
                setTailorOpen(false);
              }}
              onCancel={() => setTailorOpen(false)}
            />
          ) : (
            <button type="button" onClick={() => setTailorOpen(true)}>
              Tailor this profile
            </button>
          )
        ) : null}
      </section>
    </>
  );
}

/** The acquisition requirements in contract language (`cairn profile clauses`), and the OSCAL export. */
function ClausesSection({ id }: { id: string }) {
  const [show, setShow] = useState(false);
  return (
    <section aria-labelledby="clauses">
      <h2 id="clauses">Acquisition clauses and exports</h2>
      <p>
        The profile as contract language for a buyer: general clauses, then one requirement per capability
        with how delivery is verified and the evidence expected.
      </p>
      <p>
        Download: <a href={clausesUrl(id, "html")}>clauses (HTML)</a> ·{" "}
        <a href={clausesUrl(id, "md")}>clauses (Markdown)</a> ·{" "}
        <a href={oscalProfileUrl(id)}>OSCAL profile (JSON)</a>
      </p>
      {show ? (
        <Clauses id={id} />
      ) : (
        <button type="button" className="secondary" onClick={() => setShow(true)}>
          Show the clauses here
        </button>
      )}
    </section>
  );
}

function Clauses({ id }: { id: string }) {
  const r = useResource(() => getClauses(id), [id]);
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!r.data) return <Loading what="Writing the clauses" />;
  const c = r.data.clauses;
  return (
    <div className="clauses card">
      <h3>{c.title}</h3>
      <ol>
        {c.general.map((g) => (
          <li key={g}>{g}</li>
        ))}
      </ol>
      <h3>Capability requirements</h3>
      <ol>
        {c.groups.map((g) => (
          <li key={g.anchor.id}>
            <strong>
              {g.anchor.label}
              {g.anchor.title !== g.anchor.label ? ` ${g.anchor.title}` : ""}
            </strong>{" "}
            <span className="muted small">
              ({g.items.length} items, {g.stringency})
            </span>
            {g.evidence.length > 0 ? <div className="small">Evidence: {g.evidence.join("; ")}</div> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** What changes from a preset or another profile to this one (`cairn profile diff`). */
function CompareSection({ id }: { id: string }) {
  const presets = useResource(listPresets, []);
  const profiles = useResource(listProfiles, []);
  const [against, setAgainst] = useState("");
  const [asked, setAsked] = useState("");
  const options = [
    { value: "", label: "Choose a preset or a profile" },
    ...(presets.data?.presets ?? []).map((p) => ({ value: `preset:${p.id}`, label: `Preset: ${p.title}` })),
    ...(profiles.data?.profiles ?? [])
      .filter((p) => p.id !== id)
      .map((p) => ({ value: p.id, label: `Profile: ${p.title}` })),
  ];
  return (
    <section aria-labelledby="compare">
      <h2 id="compare">Compare with another profile</h2>
      <form
        className="filters inline"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(against);
        }}
      >
        <SelectField
          label="Compare with"
          value={against}
          onChange={(e) => setAgainst(e.currentTarget.value)}
          options={options}
        />
        <button type="submit" disabled={!against}>
          Compare
        </button>
      </form>
      {!against ? <p className="muted small">Choose what to compare with to enable Compare.</p> : null}
      {asked ? <Diff id={id} against={asked} /> : null}
    </section>
  );
}

function Diff({ id, against }: { id: string; against: string }) {
  const r = useResource(() => diffProfile(id, against), [id, against]);
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!r.data) return <Loading what="Comparing" />;
  const { diff, from, to } = r.data;
  return (
    <div className="card" role="status" id="diff-result">
      <p>
        From <strong>{from.title}</strong> ({from.items} items, {from.baseline}) to{" "}
        <strong>{to.title}</strong> ({to.items} items, {to.baseline}): {diff.added.length} added,{" "}
        {diff.removed.length} removed, {diff.changed.length} changed.
      </p>
      {diff.context.length + diff.requirements.length > 0 ? (
        <ul>
          {[...diff.context, ...diff.requirements].map((c) => (
            <li key={c.field}>
              {c.field}: {JSON.stringify(c.before)} → {JSON.stringify(c.after)}
            </li>
          ))}
        </ul>
      ) : null}
      {diff.added.length > 0 ? (
        <details>
          <summary>{diff.added.length} added</summary>
          <ul>
            {diff.added.map((i) => (
              <li key={i.id}>
                <span className="item-label">{i.label}</span> {i.title !== i.label ? i.title : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {diff.removed.length > 0 ? (
        <details>
          <summary>{diff.removed.length} removed</summary>
          <ul>
            {diff.removed.map((i) => (
              <li key={i.id}>
                <span className="item-label">{i.label}</span> {i.title !== i.label ? i.title : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function ContextSummary({ profile, vocabulary }: { profile: Profile; vocabulary: Vocabulary | undefined }) {
  const label = (kind: "environment" | "connectivity" | "data" | "markets", id: string) =>
    vocabulary?.[kind].find((t) => t.id === id)?.label ?? id;
  const c = profile.context;
  const req = profile.requirements;
  return (
    <section aria-labelledby="context" className="card">
      <h2 id="context">Context and requirements</h2>
      <dl className="props">
        {c.name ? (
          <div>
            <dt>Device</dt>
            <dd>{c.name}</dd>
          </div>
        ) : null}
        <div>
          <dt>Impact (C / I / A)</dt>
          <dd>
            {c.impact.confidentiality} / {c.impact.integrity} / {c.impact.availability}
          </dd>
        </div>
        <div>
          <dt>Baseline</dt>
          <dd>
            SP 800-53B {profile.baseline} (high-water mark {profile.highWaterMark})
          </dd>
        </div>
        <div>
          <dt>Environment</dt>
          <dd>{label("environment", c.environment)}</dd>
        </div>
        <div>
          <dt>Connectivity</dt>
          <dd>{label("connectivity", c.connectivity)}</dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>{c.data.map((d) => label("data", d)).join("; ")}</dd>
        </div>
        <div>
          <dt>Lifetime</dt>
          <dd>{c.lifetimeYears} years</dd>
        </div>
        <div>
          <dt>Markets</dt>
          <dd>
            <ul className="plain">
              {c.markets.map((m) => (
                <li key={m}>{label("markets", m)}</li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>FIPS 140-3 validated modules</dt>
          <dd>{req.fips140_3 ? "required" : "not required"}</dd>
        </div>
        <div>
          <dt>Verification</dt>
          <dd>{req.independentAssessment ? "independent assessment" : "self-attestation accepted"}</dd>
        </div>
        <div>
          <dt>Minimum support period</dt>
          <dd>{req.minSupportYears} years</dd>
        </div>
      </dl>
    </section>
  );
}
