import { useState } from "react";
import { getProfile } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { ProfileItems } from "../components/ProfileItems.js";
import { TailoringForm } from "../components/TailoringForm.js";
import { can } from "../lib/permissions.js";
import { Link } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useResource } from "../lib/useResource.js";
import type { Profile } from "../types.js";

/** A stored profile: its context, what it requires and why, and its tailoring. */
export function ProfilePage({ id }: { id: string }) {
  const { me } = useSession();
  const r = useResource(() => getProfile(id), [id]);
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
        <code>{profile.id}</code> · made {profile.created} by {record.createdBy} · rules {profile.rules.id}{" "}
        {profile.rules.version} · {profile.items.length} items
        {can(me, "assessment.write") ? (
          <>
            {" "}
            ·{" "}
            <Link to={`/assessments?profile=${encodeURIComponent(profile.id)}`}>
              Assess a release against it
            </Link>
          </>
        ) : null}
      </p>
      <ContextSummary profile={profile} />
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
      <ProfileItems profile={profile} />
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
                      <code>{t.item}</code>
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

function ContextSummary({ profile }: { profile: Profile }) {
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
          <dd>{c.environment}</dd>
        </div>
        <div>
          <dt>Connectivity</dt>
          <dd>{c.connectivity}</dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>{c.data.join(", ")}</dd>
        </div>
        <div>
          <dt>Lifetime</dt>
          <dd>{c.lifetimeYears} years</dd>
        </div>
        <div>
          <dt>Markets</dt>
          <dd>{c.markets.join(", ")}</dd>
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
