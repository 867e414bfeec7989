import { getItem, getItemMappings, listCatalogs } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { ItemName } from "./ItemName.js";
import { Loading } from "./Loading.js";

const catalogOf = (id: string) => id.slice(0, id.indexOf(":")).replace(/@.*$/, "");
const itemLink = (id: string) =>
  `/catalogs/${encodeURIComponent(catalogOf(id))}?item=${encodeURIComponent(id)}`;

/** One item: where it sits, what it says, its properties and its children. */
export function ItemDetail({ id }: { id: string }) {
  const r = useResource(() => getItem(id), [id]);
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!r.data) return <Loading what="Loading the item" />;
  const { item, catalog, ancestors, children } = r.data;
  const props = Object.entries(item.props ?? {});
  return (
    <article className="item-detail" aria-labelledby="item-heading">
      {ancestors.length > 0 ? (
        <nav aria-label="Item ancestors" className="breadcrumb">
          <ol>
            {ancestors.map((a) => (
              <li key={a.id}>
                <Link to={itemLink(a.id)}>{a.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <h2 id="item-heading">
        <ItemName label={item.label} title={item.title} />
      </h2>
      <p className="muted">
        <code>{item.id}</code> · {item.kind} · {catalog.key}
        {item.verification === "to-verify" ? " · text to verify against the source" : ""}
      </p>
      {item.text ? (
        <p className="item-text">{item.text}</p>
      ) : (
        <p className="muted">No text in this catalog (ids only).</p>
      )}
      {item.notes ? <p className="note">{item.notes}</p> : null}
      {props.length > 0 ? (
        <>
          <h3>Properties</h3>
          <dl className="props">
            {props.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{Array.isArray(v) ? v.join(", ") : String(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      <ItemMappings id={item.id} />
      {children.length > 0 ? (
        <>
          <h3>Contains</h3>
          <ul>
            {children.map((c) => (
              <li key={c.id}>
                <Link to={itemLink(c.id)}>
                  <ItemName label={c.label} title={c.title} />
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

const RELATION: Record<string, string> = {
  equal: "equal to",
  "subset-of": "subset of",
  "superset-of": "superset of",
  "intersects-with": "intersects with",
  "not-related": "not related to",
};

/** The crosswalk rows naming the item, to and from every text, read from the item's side. */
function ItemMappings({ id }: { id: string }) {
  const r = useResource(() => getItemMappings(id), [id]);
  const catalogs = useResource(listCatalogs, []);
  const title = (c: string) => catalogs.data?.catalogs.find((x) => x.id === c)?.shortTitle ?? c;
  if (r.error) return <ErrorNotice error={r.error} title="The mappings could not be loaded" />;
  if (!r.data) return <Loading what="Loading the mappings" />;
  const rows = r.data.mappings;
  return (
    <section id="item-mappings" aria-labelledby="item-mappings-heading">
      <h3 id="item-mappings-heading">Mappings to other texts</h3>
      {rows.length === 0 ? (
        <p className="muted">No crosswalk names this item.</p>
      ) : (
        <ul className="mappings">
          {rows.map((m) => (
            <li key={`${m.key}:${m.forward}`}>
              <strong>{title(m.catalog)}</strong>: this item is {RELATION[m.relationship] ?? m.relationship}{" "}
              {m.items.map((x, i) => (
                <span key={x.id}>
                  {i > 0 ? ", " : ""}
                  <Link to={itemLink(x.id)}>
                    <ItemName label={x.label} title={x.title} />
                  </Link>
                </span>
              ))}
              {m.with.length > 0 ? (
                <span className="muted"> (together with {m.with.map((x) => x.label).join(", ")})</span>
              ) : null}
              <div className="muted small">
                {m.rationale} rationale{m.strength !== undefined ? `, strength ${m.strength}` : ""} ·{" "}
                {m.review} · {m.crosswalk.title} ({m.crosswalk.provenance}) · row {m.key}
                {m.note ? ` · ${m.note}` : ""}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export { itemLink };
