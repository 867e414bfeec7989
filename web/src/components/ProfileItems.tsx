import { useMemo, useState } from "react";
import { Link } from "../lib/router.js";
import type { Profile, ProfileItem } from "../types.js";
import { SelectField, TextField } from "./fields.js";
import { itemLink } from "./ItemDetail.js";

/** Why an item is in the profile: each rule, with the controls and mapping rows that carried it. */
function Explanation({ item }: { item: ProfileItem }) {
  return (
    <details>
      <summary>
        Why <span className="visually-hidden">{item.label}</span>
      </summary>
      <ul className="because">
        {item.because.map((b) => (
          <li key={`${b.rule}:${(b.controls ?? []).join(",")}:${(b.rows ?? []).join(",")}`}>
            Rule <code>{b.rule}</code>
            {b.controls && b.controls.length > 0 ? <> · SP 800-53 controls {b.controls.join(", ")}</> : null}
            {b.rows && b.rows.length > 0 ? (
              <>
                {" "}
                · mapping rows <code>{b.rows.join(", ")}</code>
              </>
            ) : null}
            {b.note ? <div className="muted">{b.note}</div> : null}
          </li>
        ))}
        {item.tailored ? <li>Added by tailoring.</li> : null}
      </ul>
      {item.evidence.length > 0 ? (
        <p>
          <strong>Evidence expected:</strong> {item.evidence.join("; ")}
        </p>
      ) : null}
    </details>
  );
}

/** The profile's items, filterable by text and catalog, each with its explanation. */
export function ProfileItems({ profile }: { profile: Profile }) {
  const [text, setText] = useState("");
  const [catalog, setCatalog] = useState("");
  const catalogs = useMemo(() => [...new Set(profile.items.map((i) => i.catalog))], [profile]);
  const f = text.trim().toLowerCase();
  const rows = profile.items.filter(
    (i) =>
      (!catalog || i.catalog === catalog) &&
      (!f || `${i.id} ${i.label} ${i.title}`.toLowerCase().includes(f)),
  );
  return (
    <section aria-labelledby="items">
      <h2 id="items">Required items</h2>
      <div className="filters inline">
        <TextField
          label="Filter items"
          type="search"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <SelectField
          label="Catalog"
          value={catalog}
          onChange={(e) => setCatalog(e.currentTarget.value)}
          options={[{ value: "", label: "All" }, ...catalogs.map((c) => ({ value: c, label: c }))]}
        />
      </div>
      <p role="status" className="muted">
        {rows.length} of {profile.items.length} items
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Stringency</th>
              <th scope="col">Obligation</th>
              <th scope="col">Verification</th>
              <th scope="col">Explanation</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <Link to={itemLink(i.id)}>
                    <span className="item-label">{i.label}</span>
                  </Link>{" "}
                  {i.title}
                  <div className="muted small">{i.catalog}</div>
                </th>
                <td>{i.stringency}</td>
                <td>{i.obligation}</td>
                <td>{i.method}</td>
                <td>
                  <Explanation item={i} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
