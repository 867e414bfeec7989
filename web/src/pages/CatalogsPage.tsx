import { getCatalog, listCatalogs, search } from "../api.js";
import { CatalogTree } from "../components/CatalogTree.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { ItemDetail, itemLink } from "../components/ItemDetail.js";
import { ItemName } from "../components/ItemName.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { SearchBox } from "../components/SearchBox.js";
import { Link, navigate, useLocation } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { CatalogSummary } from "../types.js";

/** The catalogs: a list, one catalog's tree beside the selected item, and full-text search. */
export function CatalogsPage({ catalog }: { catalog?: string | undefined }) {
  const { query } = useLocation();
  const q = query.get("q") ?? "";
  const item = query.get("item") ?? undefined;
  const catalogs = useResource(listCatalogs, []);
  const current = catalogs.data?.catalogs.find((c) => c.id === catalog || c.key === catalog);
  const base = catalog ? `/catalogs/${encodeURIComponent(catalog)}` : "/catalogs";
  const onSearch = (text: string) => navigate(text ? `${base}?q=${encodeURIComponent(text)}` : base);

  return (
    <>
      <PageHeading title={current ? (current.shortTitle ?? current.title) : "Catalogs"}>
        {current ? (current.shortTitle ?? current.title) : "Catalogs"}
      </PageHeading>
      {current ? (
        <p className="muted">
          <Link to="/catalogs">All catalogs</Link> · {current.title} · version {current.version} ·{" "}
          {current.publisher} · {current.items} items · {current.terms}
        </p>
      ) : null}
      <SearchBox
        key={`${base}:${q}`}
        label={current ? `Search ${current.shortTitle ?? current.id}` : "Search every catalog"}
        initial={q}
        onSearch={onSearch}
        placeholder="default password, update, SBOM…"
      />
      <ErrorNotice error={catalogs.error} />
      {q ? <SearchResults q={q} catalog={current?.id} catalogs={catalogs.data?.catalogs ?? []} /> : null}
      {!catalog && catalogs.data ? <CatalogList catalogs={catalogs.data.catalogs} /> : null}
      {catalog ? <CatalogBrowser catalog={catalog} item={item} /> : null}
    </>
  );
}

function CatalogList({ catalogs }: { catalogs: CatalogSummary[] }) {
  return (
    <section aria-labelledby="catalog-list">
      <h2 id="catalog-list">Reference texts</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Catalog</th>
              <th scope="col">Version</th>
              <th scope="col">Publisher</th>
              <th scope="col">Status</th>
              <th scope="col">Terms</th>
              <th scope="col" className="num">
                Items
              </th>
            </tr>
          </thead>
          <tbody>
            {catalogs.map((c) => (
              <tr key={c.key}>
                <th scope="row">
                  <Link to={`/catalogs/${encodeURIComponent(c.id)}`}>{c.shortTitle ?? c.id}</Link>
                  <div className="muted small">{c.title}</div>
                </th>
                <td>{c.version}</td>
                <td>{c.publisher}</td>
                <td>{c.status}</td>
                <td>{c.terms}</td>
                <td className="num">{c.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SearchResults({
  q,
  catalog,
  catalogs,
}: {
  q: string;
  catalog: string | undefined;
  catalogs: CatalogSummary[];
}) {
  const r = useResource(() => search(q, catalog), [q, catalog]);
  // A hit names its text by the text's short title, not its id.
  const textOf = (id: string) => {
    const c =
      catalogs.find((x) => x.key === id || x.id === id) ?? catalogs.find((x) => id.startsWith(`${x.id}@`));
    return c ? (c.shortTitle ?? c.title) : id;
  };
  const base = catalog ? `/catalogs/${encodeURIComponent(catalog)}` : "/catalogs";
  const also = (r.data?.concepts ?? []).filter((c) => c.alsoSearched.length > 0);
  const partial = r.data ? (r.data.total ?? 0) - (r.data.complete ?? 0) : 0;
  return (
    <section aria-labelledby="search-results" className="card">
      <h2 id="search-results">Results for “{q}”</h2>
      <ErrorNotice error={r.error} />
      {r.loading ? <Loading what="Searching" /> : null}
      {also.length > 0 ? (
        <p className="muted small">
          {also.map((c) => (
            <span key={c.text}>
              “{c.text}” also searched for: {c.alsoSearched.join(", ")}.{" "}
            </span>
          ))}
        </p>
      ) : null}
      {r.data && (r.data.suggestions ?? []).length > 0 ? (
        <p>
          Did you mean{" "}
          {(r.data.suggestions ?? []).map((x, i) => (
            <span key={x}>
              {i > 0 ? " or " : ""}
              <Link to={`${base}?q=${encodeURIComponent(x)}`}>{x}</Link>
            </span>
          ))}
          ?
        </p>
      ) : null}
      {r.data ? (
        r.data.hits.length === 0 ? (
          <p>
            No item matches. Try fewer or other words, an abbreviation (SBOM, VDP, OTA), or search every
            catalog.
          </p>
        ) : (
          <>
            {partial > 0 ? (
              <p className="muted small">
                {r.data.complete} items match every word; {partial} more match some (marked with what they
                miss).
              </p>
            ) : null}
            <ol className="hits" aria-live="polite">
              {r.data.hits.map((h) => (
                <li key={h.id}>
                  <Link to={itemLink(h.id)}>
                    <ItemName label={h.label} title={h.title} />
                  </Link>{" "}
                  <span className="muted small">
                    {textOf(h.catalog)} · {h.kind}
                    {h.missing && h.missing.length > 0 ? ` · without “${h.missing.join("”, “")}”` : ""}
                  </span>
                </li>
              ))}
            </ol>
          </>
        )
      ) : null}
    </section>
  );
}

function CatalogBrowser({ catalog, item }: { catalog: string; item: string | undefined }) {
  const r = useResource(() => getCatalog(catalog), [catalog]);
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!r.data) return <Loading what="Loading the catalog" />;
  return (
    <div className="split">
      <nav
        aria-label={`Items of ${r.data.catalog.shortTitle ?? r.data.catalog.id}`}
        className="pane tree-pane"
      >
        <h2>Items</h2>
        <CatalogTree items={r.data.items} catalog={catalog} selected={item} />
      </nav>
      <section className="pane" aria-label="Item detail">
        {item ? <ItemDetail id={item} /> : <p className="muted">Choose an item in the tree, or search.</p>}
      </section>
    </div>
  );
}
