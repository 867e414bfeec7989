import { EventEmitter } from "node:events";

/**
 * PostgreSQL's `text` cannot hold U+0000 and refuses the whole statement, so a NUL anywhere in a
 * request (even in a failed login's e-mail) would surface as a 500 there and be stored on SQLite.
 * No field of the API has a use for it: it is refused up front, on every backend alike, naming the
 * field. Pure: the server's preValidation hook calls it on the parsed body, query and parameters.
 */

/** The path (`body.release.version`, `body.tags[2]`) of the first string or key holding U+0000. */
export function findNul(value: unknown, root: string): string | undefined {
  // An explicit stack: a 2 MiB body can nest deeper than the call stack goes.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === "string") {
      if (v.includes("\u0000")) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (isPlainObject(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        if (key.includes("\u0000")) return at;
        stack.push([(v as Record<string, unknown>)[key], at]);
      }
    }
  }
  return undefined;
}

/**
 * Parsed values, not a stream: a route that takes its body as bytes (an evidence file pushed by
 * hash) has the request stream for a body, whose object graph is cyclic and is not walked.
 * (Query objects come with a prototype of their parser's own, so "plain" cannot mean Object's.)
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !(v instanceof EventEmitter) && !ArrayBuffer.isView(v);
}
