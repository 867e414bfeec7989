import type { ApiError } from "../api.js";
import { Link } from "../lib/router.js";

/**
 * What an error means to the person looking at the page, and what to do: an address that names
 * nothing (a mistyped id is refused by the server's pattern check) reads "nothing at this address",
 * not `params.id must match pattern`. Field problems of a form are listed as the server names them.
 */
function inWords(error: ApiError): { title: string; text: string; fields: boolean } | undefined {
  if (error.missingRoute) return undefined;
  const address = error.problems.length > 0 && error.problems.every((p) => p.location.startsWith("params."));
  if ((error.status === 400 && address) || (error.status === 404 && error.code === "not-found"))
    return {
      title: "Nothing at this address",
      text: "The link may be mistyped or cut short, or what it pointed to was deleted or belongs to another organisation.",
      fields: false,
    };
  if (error.status === 0)
    return {
      title: "The server could not be reached",
      text: "Check the connection, then reload the page.",
      fields: false,
    };
  if (error.status === 403)
    return {
      title: "Not allowed",
      text: `${error.message}. Ask an admin of your organisation.`,
      fields: false,
    };
  return undefined;
}

/** An API error as the user should read it: the message, and each field problem. */
export function ErrorNotice({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  const words = inWords(error);
  if (words)
    return (
      <div className="notice notice-error" role="alert">
        <p>
          <strong>{title && error.status !== 404 && error.status !== 400 ? title : words.title}:</strong>{" "}
          {words.text}
        </p>
        {error.status === 404 || error.status === 400 ? (
          <p>
            <Link to="/">Go to the start page</Link> · <Link to="/assessments">Assessments</Link> ·{" "}
            <Link to="/profiles">Profiles</Link> · <Link to="/catalogs">Catalogs</Link>
          </p>
        ) : null}
      </div>
    );
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
