import { getPitfalls } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { Pitfall } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { itemLink } from "./ItemDetail.js";
import { Loading } from "./Loading.js";

/** What to do about each known pitfall, in a sentence. */
const ACTION: Record<string, string> = {
  "checklist-without-profile": "Make an SP 800-213 profile for the device's context and assess against it.",
  "no-8259b":
    "Add findings for the NISTIR 8259B items: documentation, query reception, dissemination, education.",
  "8425-for-federal": "Assess against NISTIR 8259A and SP 800-213, not NISTIR 8425, for a federal buyer.",
  "8259a-for-consumer-label": "Assess against NISTIR 8425 for the Cyber Trust Mark.",
  "fips-140-3-without-evidence": "Attach the FIPS 140-3 certificate of the cryptographic module as evidence.",
  "no-sbom": "Upload the software bill of materials (CycloneDX or SPDX) as evidence tagged sbom.",
  "no-vulnerability-disclosure":
    "Link the published vulnerability disclosure policy or security.txt as evidence tagged vdp.",
  "no-support-period": "Declare the release's support end date.",
  "support-period-too-short": "Extend the declared support period to at least the profile's minimum.",
  "expired-evidence": "Upload a current revision of the expired evidence (it supersedes the old record).",
  "evidence-older-than-release": "Check that the evidence still holds for this release, or renew it.",
  "stale-findings": "Review the stale findings and give their verdicts again for this release.",
  "unsigned-findings": "An assessor signs off the findings (in the finding editor).",
};

const SHOWN = 12;

function Ref({ r }: { r: string }) {
  return /^[a-z0-9][a-z0-9.-]*(@[^:]+)?:/.test(r) ? (
    <Link to={itemLink(r)}>{r.slice(r.indexOf(":") + 1)}</Link>
  ) : (
    <code>{r}</code>
  );
}

/** Known mistakes caught in the assessment, errors first, each with what to do and what it is about. */
export function PitfallsSection({
  id,
  revision,
  given,
  waiting = false,
}: {
  id: string;
  revision: number;
  /** The pitfalls as the page already has them (the plan carries them): no request of its own. */
  given?: Pitfall[] | undefined;
  /** The page is still loading what will give them. */
  waiting?: boolean;
}) {
  const r = useResource(
    () =>
      given
        ? Promise.resolve({ pitfalls: given })
        : waiting
          ? new Promise<{ pitfalls: Pitfall[] }>(() => {})
          : getPitfalls(id),
    [id, revision, given, waiting],
  );
  const list = [...(r.data?.pitfalls ?? [])].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  return (
    <section id="pitfalls" aria-labelledby="pitfalls-heading">
      <h2 id="pitfalls-heading">Pitfalls</h2>
      <ErrorNotice error={r.error} />
      {r.loading && !r.data ? <Loading what="Checking for pitfalls" /> : null}
      {r.data && list.length === 0 ? <p className="notice notice-ok">No known pitfall found.</p> : null}
      {list.length > 0 ? (
        <ul className="pitfalls">
          {list.map((p) => {
            const refs = p.refs ?? [];
            return (
              <li key={`${p.id}:${p.message}`} className={`pitfall pitfall-${p.severity}`}>
                <strong>
                  {p.severity === "error" ? "Error" : "Warning"}: {p.title}
                </strong>
                <p>{p.message}</p>
                {ACTION[p.id] ? (
                  <p>
                    <strong>What to do:</strong> {ACTION[p.id]}
                  </p>
                ) : null}
                {refs.length > 0 ? (
                  refs.length <= SHOWN ? (
                    <p className="small">
                      About:{" "}
                      {refs.map((x, i) => (
                        <span key={x}>
                          {i > 0 ? ", " : ""}
                          <Ref r={x} />
                        </span>
                      ))}
                    </p>
                  ) : (
                    <details className="small">
                      <summary>About {refs.length} items</summary>
                      <ul className="ref-list">
                        {refs.map((x) => (
                          <li key={x}>
                            <Ref r={x} />
                          </li>
                        ))}
                      </ul>
                    </details>
                  )
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
