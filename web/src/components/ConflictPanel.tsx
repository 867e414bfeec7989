import { type Draft, draftOf } from "../lib/finding-draft.js";
import type { FindingDto } from "../types.js";

const FIELDS: { key: keyof Draft; label: string }[] = [
  { key: "verdict", label: "Verdict" },
  { key: "method", label: "Method" },
  { key: "support", label: "Statement" },
  { key: "detail", label: "Statement detail" },
  { key: "notes", label: "Notes" },
  { key: "evidence", label: "Evidence" },
];

const show = (v: Draft[keyof Draft]) => (Array.isArray(v) ? v.join(", ") : v) || "—";

/** Someone saved the finding first: their version beside the user's, and the two ways on. */
export function ConflictPanel({
  mine,
  theirs,
  busy,
  onKeepMine,
  onTakeTheirs,
}: {
  mine: Draft;
  theirs: FindingDto;
  busy: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const now = draftOf(theirs);
  return (
    <div className="notice notice-warning conflict" role="alert">
      <p>
        <strong>Changed by someone else.</strong>{" "}
        {theirs.updated ? `${theirs.updated.by} saved` : "Another save made"} version {theirs.version} while
        you were editing. Compare, then keep yours or take theirs.
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Your changes and the current finding</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Yours</th>
              <th scope="col">Now saved</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => {
              const a = show(mine[f.key]);
              const b = show(now[f.key]);
              return (
                <tr key={f.key} className={a !== b ? "differs" : undefined}>
                  <th scope="row">{f.label}</th>
                  <td>{a}</td>
                  <td>{b}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={onTakeTheirs}>
          Take theirs (discard mine)
        </button>
        <button type="button" disabled={busy} onClick={onKeepMine}>
          Retry with mine
        </button>
      </div>
    </div>
  );
}
