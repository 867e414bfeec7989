import { getItem, getItemMappings, listCatalogs } from "../api.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { ItemName } from "./ItemName.js";
import { Loading } from "./Loading.js";

const catalogOf = (id: string) => id.slice(0, id.indexOf(":")).replace(/@.*$/, "");
const itemLink = (id: string) =>
  `/catalogs/${encodeURIComponent(catalogOf(id))}?item=${encodeURIComponent(id)}`;

/** The catalogs' property names in words; a name not listed is spelled out from its camel case. */
const PROP_LABEL: Record<string, string> = {
  modal: "Modal verb",
  status: "Status (EN 303 645 Table B.1)",
  tableB1Conditions: "Conditions (Table B.1)",
  enClause: "EN 303 645 clause",
  testKind: "Kind of test",
  ixit: "IXIT",
  ojRestriction: "OJ restriction",
  minSupportYears: "Minimum support period (years)",
  harmonisedStandard: "Harmonised standard",
  baselines: "SP 800-53B baselines",
  withdrawnTo: "Withdrawn into",
  withdrawnRelation: "How it was withdrawn",
  thirdParty: "Third-party testing",
  deemedCompliance: "Deemed compliance through",
  deemed: "Deemed to meet",
  via: "Through",
  stars: "Stars",
};

/**
 * How the item was transcribed and cross-checked, not what the text asks: folded away under its
 * own heading so the item's content comes first.
 */
const PROVENANCE = new Set([
  "checkedAgainst",
  "structureFrom",
  "sourceRef",
  "sourceWording",
  "cswp33Wording",
  "mappingRow",
  "mappingName",
  "anchor",
  "printedLabel",
  "permalink",
  "truncated",
  "sources",
]);

const ITEM_ID = /^[a-z0-9][a-z0-9.-]*:[A-Za-z0-9][\w.()-]*$/;

function propLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return PROP_LABEL[key] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

function PropValue({ v }: { v: unknown }) {
  const one = (x: unknown, i: number) => {
    const text = typeof x === "boolean" ? (x ? "yes" : "no") : String(x);
    return (
      <span key={`${i}:${text}`}>
        {i > 0 ? ", " : ""}
        {typeof x === "string" && ITEM_ID.test(x) ? <Link to={itemLink(x)}>{x}</Link> : text}
      </span>
    );
  };
  return <>{Array.isArray(v) ? v.map(one) : one(v, 0)}</>;
}

function PropList({ props }: { props: [string, unknown][] }) {
  return (
    <dl className="props">
      {props.map(([k, v]) => (
        <div key={k}>
          <dt>{propLabel(k)}</dt>
          <dd>
            <PropValue v={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The item's properties by name in words, item ids linked; the transcription's provenance folded. */
function Properties({ props }: { props: [string, unknown][] }) {
  const content = props.filter(([k]) => !PROVENANCE.has(k));
  const provenance = props.filter(([k]) => PROVENANCE.has(k));
  if (props.length === 0) return null;
  return (
    <>
      {content.length > 0 ? (
        <>
          <h3>Properties</h3>
          <PropList props={content} />
        </>
      ) : null}
      {provenance.length > 0 ? (
        <details className="provenance">
          <summary>How this item was transcribed</summary>
          <PropList props={provenance} />
        </details>
      ) : null}
    </>
  );
}

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
      <Properties props={props} />
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
