import type { Problem } from "../core/problem.js";

/** The object does not exist, or belongs to another organisation: the two are never told apart. */
export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** A stale version, a duplicate, or a change the object's state does not allow. */
export class ConflictError extends Error {
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

/** Input that passed the schema but is wrong against stored data (an unknown evidence id...). */
export class InvalidError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
    this.name = "InvalidError";
  }
}
