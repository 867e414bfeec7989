import { type FormEvent, useId, useMemo, useState } from "react";
import { getMatrix, listCatalogs, type MatrixQuery, matrixExportUrl } from "../api.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { CheckboxGroup, SelectField, TextField } from "../components/fields.js";
import { GapsSection } from "../components/GapsSection.js";
import { Loading } from "../components/Loading.js";
import { MatrixTable } from "../components/MatrixTable.js";
import { PageHeading } from "../components/PageHeading.js";
import { navigate, useLocation } from "../lib/router.js";
import { useResource } from "../lib/useResource.js";
import type { CatalogSummary } from "../types.js";

const DEPTHS = [
  { value: "", label: "Every level" },
  { value: "1", label: "Top level only" },
  { value: "2", label: "Two levels" },
  { value: "3", label: "Three levels" },
];

/**
 * The texts a matrix compares against by default: the baseline, the EU's law and its harmonised
 * standard's precursor, and the US consumer label (the guide's main markets), minus the anchor.
 */
const DEFAULT_COLUMNS = ["nist-ir-8259a", "etsi-en-303-645", "eu-cra", "nist-ir-8425"];
const MAX_DEFAULT_COLUMNS = 3;

export function defaultColumns(ids: readonly string[], anchor: string): string[] {
  return DEFAULT_COLUMNS.filter((c) => c !== anchor && ids.includes(c)).slice(0, MAX_DEFAULT_COLUMNS);
}

/** The consolidated provisions matrix: one anchor text's items against other texts' items. */
export function MatrixPage() {
  const { query } = useLocation();
  const catalogs = useResource(listCatalogs, []);
  const anchor = query.get("anchor") ?? "";
  const columns = (query.get("columns") ?? "").split(",").filter(Boolean);
  const depth = query.get("depth") ?? "";
  const filter = query.get("filter") ?? "";
  const asked: MatrixQuery | undefined =
    anchor && columns.length > 0
      ? { anchor, columns, ...(depth ? { depth: Number(depth) } : {}) }
      : undefined;

  return (
    <>
      <PageHeading title="Crosswalk matrix">Crosswalk matrix</PageHeading>
      <p className="muted">
        Relationships (NIST IR 8477): = equal, ⊂ subset of, ⊃ superset of, ∩ intersects with. A cell in
        italics is composed along a chain of crosswalks, not mapped directly.
      </p>
      <ErrorNotice error={catalogs.error} />
      {catalogs.data ? (
        <MatrixForm
          key={`${anchor}|${columns.join(",")}|${depth}|${filter}`}
          catalogs={catalogs.data.catalogs}
          anchor={anchor}
          columns={columns}
          depth={depth}
          filter={filter}
        />
      ) : catalogs.error ? null : (
        <Loading what="Loading the texts" />
      )}
      {asked ? <MatrixResult q={asked} filter={filter} catalogs={catalogs.data?.catalogs ?? []} /> : null}
    </>
  );
}

function MatrixForm(props: {
  catalogs: CatalogSummary[];
  anchor: string;
  columns: string[];
  depth: string;
  filter: string;
}) {
  const ids = [...new Set(props.catalogs.map((c) => c.id))];
  const title = (id: string) => props.catalogs.find((c) => c.id === id)?.shortTitle ?? id;
  const [anchor, setAnchor] = useState(
    props.anchor || (ids.includes("nist-ir-8259a") ? "nist-ir-8259a" : (ids[0] ?? "")),
  );
  // Nothing asked yet: the main texts are ticked, so "Show matrix" works at once.
  const [columns, setColumns] = useState<string[]>(
    props.columns.length > 0 ? props.columns : defaultColumns(ids, anchor),
  );
  const chosen = columns.filter((c) => c !== anchor);
  const whyNot = useId();
  const [depth, setDepth] = useState(props.depth);
  const [filter, setFilter] = useState(props.filter);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    q.set("anchor", anchor);
    q.set("columns", columns.filter((c) => c !== anchor).join(","));
    if (depth) q.set("depth", depth);
    if (filter.trim()) q.set("filter", filter.trim());
    navigate(`/matrix?${q.toString()}`);
  };
  return (
    <form onSubmit={submit} className="card filters" aria-label="Matrix settings">
      <div className="grid-3">
        <SelectField
          label="Anchor text (rows)"
          value={anchor}
          onChange={(e) => setAnchor(e.currentTarget.value)}
          options={ids.map((id) => ({ value: id, label: title(id) }))}
        />
        <SelectField
          label="Depth"
          value={depth}
          onChange={(e) => setDepth(e.currentTarget.value)}
          options={DEPTHS}
        />
        <TextField
          label="Text filter"
          type="search"
          value={filter}
          hint="Keeps rows whose item or mapped items contain the text."
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
      </div>
      <div className="wide-choices">
        <CheckboxGroup
          legend="Columns"
          options={ids.filter((id) => id !== anchor).map((id) => ({ value: id, label: title(id) }))}
          values={columns}
          onChange={setColumns}
        />
      </div>
      <div className="actions">
        <button
          type="submit"
          disabled={chosen.length === 0}
          aria-describedby={chosen.length === 0 ? whyNot : undefined}
        >
          Show matrix
        </button>
        {chosen.length === 0 ? (
          <p id={whyNot} className="hint">
            Tick at least one text under Columns to compare {title(anchor)} with.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function MatrixResult({
  q,
  filter,
  catalogs,
}: {
  q: MatrixQuery;
  filter: string;
  catalogs: CatalogSummary[];
}) {
  const key = JSON.stringify(q);
  const r = useResource(() => getMatrix(q), [key]);
  const titles = useMemo(() => {
    const t: Record<string, string> = {};
    for (const c of catalogs) t[c.id] = c.shortTitle ?? c.id;
    return { ...t, ...(r.data?.titles ?? {}) };
  }, [catalogs, r.data]);
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!r.data) return <Loading what="Building the matrix" />;
  return (
    <>
      <section aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">
          {titles[q.anchor] ?? q.anchor} against {q.columns.map((c) => titles[c] ?? c).join(", ")}
        </h2>
        <p>
          Export:{" "}
          <a href={matrixExportUrl(q, "csv")} download>
            CSV
          </a>{" "}
          ·{" "}
          <a href={matrixExportUrl(q, "xlsx")} download>
            XLSX
          </a>
        </p>
        <MatrixTable matrix={r.data.matrix} titles={titles} filter={filter} />
      </section>
      <GapsSection
        key={key}
        from={q.anchor}
        to={q.columns.filter((c) => c !== q.anchor)}
        fromTitle={titles[q.anchor] ?? q.anchor}
      />
    </>
  );
}
