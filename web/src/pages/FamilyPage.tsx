import { useState } from "react";
import { getFamily } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { FamilyGraph } from "../components/FamilyGraph.js";
import { Loading } from "../components/Loading.js";
import { PageHeading } from "../components/PageHeading.js";
import { Link } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { DocumentFamily } from "../types.js";

/** The texts and how they cite, extend, specialise, mandate or assess each other. */
export function FamilyPage() {
  const r = useResource(getFamily, []);
  const [selected, setSelected] = useState<string>();
  return (
    <>
      <PageHeading title="Document family">Document family</PageHeading>
      <ErrorNotice error={r.error} />
      {r.loading ? <Loading what="Loading the document family" /> : null}
      {r.data ? (
        <>
          <section className="graph-scroll" aria-label="Graph of the document family">
            <FamilyGraph family={r.data} selected={selected} onSelect={setSelected} />
          </section>
          {selected ? <DocumentCard family={r.data} id={selected} /> : null}
          <RelationsTable family={r.data} selected={selected} />
        </>
      ) : null}
    </>
  );
}

function DocumentCard({ family, id }: { family: DocumentFamily; id: string }) {
  const d = family.documents.find((x) => x.id === id);
  if (!d) return null;
  return (
    <section className="card" aria-labelledby="doc-heading" aria-live="polite">
      <h2 id="doc-heading">{d.title}</h2>
      <dl className="props">
        <div>
          <dt>Publisher</dt>
          <dd>{d.publisher}</dd>
        </div>
        <div>
          <dt>Date</dt>
          <dd>{d.date}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{d.kind}</dd>
        </div>
        <div>
          <dt>Geography</dt>
          <dd>{d.geography}</dd>
        </div>
        <div>
          <dt>Audience</dt>
          <dd>{d.audience}</dd>
        </div>
        {d.status ? (
          <div>
            <dt>Status</dt>
            <dd>{d.status}</dd>
          </div>
        ) : null}
      </dl>
      <p>{d.purpose}</p>
      {d.note ? <p className="note">{d.note}</p> : null}
      <p>
        {d.catalog ? <Link to={`/catalogs/${encodeURIComponent(d.catalog)}`}>Browse its catalog</Link> : null}
        {d.catalog && d.url ? " · " : null}
        {d.url ? (
          <a href={d.url} rel="noreferrer noopener" target="_blank">
            Source (opens a new tab)
          </a>
        ) : null}
      </p>
    </section>
  );
}

function RelationsTable({ family, selected }: { family: DocumentFamily; selected: string | undefined }) {
  const name = new Map(family.documents.map((d) => [d.id, d.shortTitle]));
  const edges = selected
    ? family.edges.filter((e) => e.from === selected || e.to === selected)
    : family.edges;
  return (
    <section aria-labelledby="relations">
      <h2 id="relations">
        Relations{selected ? ` of ${name.get(selected) ?? selected}` : ""} ({edges.length})
      </h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Relation</th>
              <th scope="col">To</th>
              <th scope="col">Basis</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {edges.map((e) => (
              <tr key={`${e.from}>${e.to}>${e.type}`}>
                <td>{name.get(e.from) ?? e.from}</td>
                <td>{e.type}</td>
                <td>{name.get(e.to) ?? e.to}</td>
                <td>{e.basis}</td>
                <td>{e.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
