import type { ApiError } from "../api.js";

/** An API error as the user should read it: the message, and each field problem. */
export function ErrorNotice({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{title ?? (error.missingRoute ? "Not available on this server" : "Error")}:</strong>{" "}
        {error.message}
        {error.status > 0 ? (
          <span className="muted">
            {" "}
            ({error.code}, HTTP {error.status})
          </span>
        ) : null}
      </p>
      {error.problems.length > 0 ? (
        <ul>
          {error.problems.map((p) => (
            <li key={`${p.location}:${p.message}`}>
              {p.location ? <code>{p.location}</code> : null} {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
