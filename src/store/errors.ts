// The domain's errors live in the core (src/core/errors.ts): the store and the server raise the same ones.
export { ConflictError, InvalidError, NotFoundError } from "../core/errors.js";
