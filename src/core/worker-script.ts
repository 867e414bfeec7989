import { bundledPath } from "./paths.js";

/**
 * The built script of a worker thread, by its path under src/ (`jobs/dossier-worker.js`): always
 * the tsc output in dist/src/, whether the caller runs from there, from the bundled CLI (dist/cli/)
 * or from the TypeScript sources in tests (a worker thread cannot run .ts).
 */
export function workerScript(path: string): string {
  return bundledPath("dist", "src", ...path.split("/"));
}
