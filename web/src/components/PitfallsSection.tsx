import { getPitfalls } from "../api.js";
import { useResource } from "../lib/useResource.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { Loading } from "./Loading.js";

/** Known mistakes caught in the assessment, errors first. */
export function PitfallsSection({ id, revision }: { id: string; revision: number }) {
  const r = useResource(() => getPitfalls(id), [id, revision]);
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
          {list.map((p) => (
            <li key={`${p.id}:${p.message}`} className={`pitfall pitfall-${p.severity}`}>
              <strong>
                {p.severity === "error" ? "Error" : "Warning"}: {p.title}
              </strong>
              <p>{p.message}</p>
              {p.refs && p.refs.length > 0 ? (
                <p className="muted small">
                  About: <code>{p.refs.join(", ")}</code>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
