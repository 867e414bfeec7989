import { useMemo } from "react";
import { getPitfalls, listCatalogs } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { Pitfall, ProfileItem } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { itemLink } from "./ItemDetail.js";
import { ItemName } from "./ItemName.js";
import { Loading } from "./Loading.js";
import { pitfallHref } from "./Stepper.js";

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

const ITEM_REF = /^[a-z0-9][a-z0-9.-]*(@[^:]+)?:/;

/** A reference of a pitfall: an item by its label and title (linked), else the text as it is. */
function Ref({ r, item }: { r: string; item: ProfileItem | undefined }) {
  if (!ITEM_REF.test(r)) return <code>{r}</code>;
  return <Link to={itemLink(r)}>{item ? <ItemName label={item.label} title={item.title} /> : r}</Link>;
}

/** The items a pitfall is about, folded per text: a pitfall may name hundreds. */
function RefList({ refs, byId }: { refs: string[]; byId: Map<string, ProfileItem> }) {
  return (
    <ul className="ref-list">
      {refs.map((x) => (
        <li key={x}>
          <Ref r={x} item={byId.get(x)} />
        </li>
      ))}
    </ul>
  );
}

function RefGroups({
  refs,
  byId,
  titles,
}: {
  refs: string[];
  byId: Map<string, ProfileItem>;
  titles: Record<string, string>;
}) {
  const groups = new Map<string, string[]>();
  for (const r of refs) {
    const catalog = ITEM_REF.test(r) ? (byId.get(r)?.catalog ?? r.slice(0, r.indexOf(":"))) : "";
    groups.set(catalog, [...(groups.get(catalog) ?? []), r]);
  }
  return (
    <details className="small">
      <summary>
        About {refs.length} items
        {groups.size > 1 ? ` in ${groups.size} texts` : ""}
      </summary>
      {[...groups].map(([catalog, list]) => (
        <div key={catalog} className="ref-group">
          <p>
            <strong>{catalog ? (titles[catalog] ?? catalog) : "Other"}</strong> ({list.length})
          </p>
          <RefList refs={list} byId={byId} />
        </div>
      ))}
    </details>
  );
}

/**
 * Known mistakes caught in the assessment, errors first: each says what to do with a link to do it,
 * and names what it is about by the items' labels and titles (folded per text when there are many).
 */
export function PitfallsSection({
  id,
  revision,
  given,
  waiting = false,
  items = [],
  profileId,
}: {
  id: string;
  revision: number;
  /** The pitfalls as the page already has them (the plan carries them): no request of its own. */
  given?: Pitfall[] | undefined;
  /** The page is still loading what will give them. */
  waiting?: boolean;
  /** The profile's items, to name the items a pitfall is about by their words. */
  items?: ProfileItem[];
  /** The assessment's profile, for the pitfalls acted on there. */
  profileId?: string | undefined;
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
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  // The texts' names, asked for only when a pitfall names more items than are shown inline.
  const many = list.some((p) => (p.refs ?? []).length > SHOWN);
  const catalogs = useResource(() => (many ? listCatalogs() : Promise.resolve({ catalogs: [] })), [many]);
  const titles = useMemo(() => {
    const t: Record<string, string> = {};
    for (const c of catalogs.data?.catalogs ?? []) t[c.id] = c.shortTitle ?? c.title;
    return t;
  }, [catalogs.data]);
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
            const [href, words] = profileId ? pitfallHref(p, { assessment: id, profile: profileId }) : [];
            const act = href && !href.endsWith("#pitfalls") ? <Link to={href}>{words}</Link> : null;
            return (
              <li key={`${p.id}:${p.message}`} className={`pitfall pitfall-${p.severity}`}>
                <strong>
                  {p.severity === "error" ? "Error" : "Warning"}: {p.title}
                </strong>
                <p>{p.message}</p>
                {ACTION[p.id] || act ? (
                  <p>
                    <strong>What to do:</strong> {ACTION[p.id] ?? ""} {act}
                  </p>
                ) : null}
                {refs.length > 0 ? (
                  refs.length <= SHOWN ? (
                    <div className="small">
                      <p>About:</p>
                      <RefList refs={refs} byId={byId} />
                    </div>
                  ) : (
                    <RefGroups refs={refs} byId={byId} titles={titles} />
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
