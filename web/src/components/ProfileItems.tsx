import { useMemo, useState } from "react";
import { explainItem } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { Profile, ProfileItem } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { SelectField, TextField } from "./fields.js";
import { itemLink } from "./ItemDetail.js";
import { Loading } from "./Loading.js";

const WORDS: Record<string, string> = {
  "independent-assessment": "independent assessment",
  "self-attestation": "self-attestation",
};

/** Why an item is in the profile, in words: each rule's title and rationale, asked for when opened. */
function Why({ profileId, item }: { profileId: string; item: ProfileItem }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Why <span className="visually-hidden">{item.label} is required</span>
      </summary>
      {open ? <WhyBody profileId={profileId} item={item} /> : null}
    </details>
  );
}

function WhyBody({ profileId, item }: { profileId: string; item: ProfileItem }) {
  const r = useResource(() => explainItem(profileId, item.id), [profileId, item.id]);
  if (r.error) return <ErrorNotice error={r.error} />;
  const e = r.data?.items[0];
  if (!e) return <Loading what="Finding the reasons" />;
  return (
    <div className="why">
      <ul className="because">
        {e.because.map((b) => (
          <li key={`${b.rule}:${(b.controls ?? []).join(",")}:${(b.rows ?? []).join(",")}`}>
            <strong>{b.title}</strong>
            {b.rationale ? <div>{b.rationale}</div> : null}
            {b.note ? <div className="muted">{b.note}</div> : null}
            {b.controls && b.controls.length > 0 ? (
              <div className="muted small">Through the SP 800-53 controls {b.controls.join(", ")}</div>
            ) : null}
            <div className="muted small">
              Rule <code>{b.rule}</code>
              {b.source ? ` · ${b.source}` : ""}
              {b.rows && b.rows.length > 0 ? ` · mapping rows ${b.rows.join(", ")}` : ""}
            </div>
          </li>
        ))}
      </ul>
      {e.evidence.length > 0 ? (
        <p>
          <strong>Evidence expected:</strong> {e.evidence.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

interface Group {
  catalog: string;
  title: string;
  items: ProfileItem[];
  required: number;
  recommended: number;
  conditional: number;
}

/**
 * The profile's items grouped by text, each group with its counts, folded until opened (the page
 * stays short and fast however many items the profile has); filters by words, text, obligation
 * and stringency open the groups that match.
 */
/** `profileId` is the server's id of the profile (its record), which the API is asked with. */
export function ProfileItems({
  profile,
  profileId,
  titles,
}: {
  profile: Profile;
  profileId: string;
  titles: Record<string, string>;
}) {
  const [text, setText] = useState("");
  const [catalog, setCatalog] = useState("");
  const [obligation, setObligation] = useState("");
  const [stringency, setStringency] = useState("");
  const groups = useMemo(() => {
    const by = new Map<string, Group>();
    for (const i of profile.items) {
      let g = by.get(i.catalog);
      if (!g) {
        g = {
          catalog: i.catalog,
          title: titles[i.catalog] ?? i.catalog,
          items: [],
          required: 0,
          recommended: 0,
          conditional: 0,
        };
        by.set(i.catalog, g);
      }
      g.items.push(i);
      g[i.obligation]++;
    }
    return [...by.values()];
  }, [profile, titles]);
  const f = text.trim().toLowerCase();
  const filtering = Boolean(f || obligation || stringency);
  const keep = (i: ProfileItem) =>
    (!obligation || i.obligation === obligation) &&
    (!stringency || i.stringency === stringency) &&
    (!f || `${i.label} ${i.title} ${i.id}`.toLowerCase().includes(f));
  const shown = groups
    .filter((g) => !catalog || g.catalog === catalog)
    .map((g) => ({ ...g, rows: g.items.filter(keep) }));
  const count = shown.reduce((n, g) => n + g.rows.length, 0);
  return (
    <section aria-labelledby="items">
      <h2 id="items">Required items</h2>
      <div className="table-wrap">
        <table className="summary-table">
          <caption>Items per text</caption>
          <thead>
            <tr>
              <th scope="col">Text</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Required
              </th>
              <th scope="col" className="num">
                Recommended
              </th>
              <th scope="col" className="num">
                Conditional
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.catalog}>
                <th scope="row">
                  <a href={`#group-${g.catalog}`}>{g.title}</a>
                </th>
                <td className="num">{g.items.length}</td>
                <td className="num">{g.required}</td>
                <td className="num">{g.recommended}</td>
                <td className="num">{g.conditional}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="filters inline">
        <TextField
          label="Filter items by words"
          type="search"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <SelectField
          label="Text"
          value={catalog}
          onChange={(e) => setCatalog(e.currentTarget.value)}
          options={[
            { value: "", label: "All" },
            ...groups.map((g) => ({ value: g.catalog, label: g.title })),
          ]}
        />
        <SelectField
          label="Obligation"
          value={obligation}
          onChange={(e) => setObligation(e.currentTarget.value)}
          options={[
            { value: "", label: "All" },
            { value: "required", label: "required" },
            { value: "recommended", label: "recommended" },
            { value: "conditional", label: "conditional" },
          ]}
        />
        <SelectField
          label="Stringency"
          value={stringency}
          onChange={(e) => setStringency(e.currentTarget.value)}
          options={[
            { value: "", label: "All" },
            { value: "low", label: "low" },
            { value: "moderate", label: "moderate" },
            { value: "high", label: "high" },
          ]}
        />
      </div>
      <p role="status" className="muted">
        {count} of {profile.items.length} items{filtering ? " match" : ""}
      </p>
      {shown.map((g) =>
        g.rows.length === 0 ? null : (
          <details
            key={`${g.catalog}:${filtering || catalog ? "open" : "folded"}`}
            id={`group-${g.catalog}`}
            className="item-group"
            open={filtering || Boolean(catalog) || shown.length === 1}
          >
            <summary>
              <span className="group-title">{g.title}</span>{" "}
              <span className="muted">
                {g.rows.length === g.items.length
                  ? `${g.items.length} items`
                  : `${g.rows.length} of ${g.items.length} items`}
              </span>
            </summary>
            <ul className="profile-items">
              {g.rows.map((i) => (
                <li key={i.id} className="profile-item">
                  <div className="pi-name">
                    <Link to={itemLink(i.id)}>
                      <span className="item-label">{i.label}</span>
                    </Link>{" "}
                    {i.title !== i.label ? i.title : null}
                  </div>
                  <div className="pi-facts muted small">
                    {i.obligation} · stringency {i.stringency} · verified by {WORDS[i.method] ?? i.method}
                    {i.tailored ? " · added by tailoring" : ""}
                  </div>
                  <Why profileId={profileId} item={i} />
                </li>
              ))}
            </ul>
          </details>
        ),
      )}
    </section>
  );
}
