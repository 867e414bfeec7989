/**
 * A problem found in user-supplied or bundled data. Every layer reports problems in this one shape
 * so that the CLI and the server can name the place (file, item, line) without knowing which
 * parser produced them.
 */
export interface Problem {
  /** File name or other source description, as the user gave it. */
  source?: string;
  /** Where inside the source: a path such as `items[12] (ref AC-2).kind`. */
  location?: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  let where = p.source ?? "";
  if (p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ""}`;
  const loc = p.location ? `${where ? " " : ""}${p.location}` : "";
  const head = `${where}${loc}`;
  return head ? `${head}: ${p.message}` : p.message;
}

/** An error that carries problems and the process exit code it maps to (1: data, 2: usage). */
export class CairnError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "CairnError";
  }
}

export class UsageError extends CairnError {
  constructor(message: string) {
    super(message, [], 2);
    this.name = "UsageError";
  }
}
