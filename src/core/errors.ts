import { CairnError, type Problem } from "./problem.js";

/**
 * The errors a rule of the domain raises, shared by every edge: the CLI prints them and exits 1,
 * the server answers 404, 409 or 400. They are CairnErrors, so a rule written once in the core
 * reads the same from the command line and from the API.
 */

/** The object does not exist, or belongs to another organisation: the two are never told apart. */
export class NotFoundError extends CairnError {
  constructor(readonly what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** A stale version, a duplicate, or a change the object's state does not allow. */
export class ConflictError extends CairnError {
  constructor(
    readonly code: string,
    message: string,
    /** The object as it is now, so the client can merge and retry. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = "ConflictError";
  }
}

/** Input that is well-formed but wrong against the stored data (an unknown evidence id...). */
export class InvalidError extends CairnError {
  constructor(message: string, problems: Problem[]) {
    super(message, problems);
    this.name = "InvalidError";
  }
}
