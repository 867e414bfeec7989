import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The path of a worker thread's script, given the calling module's URL and the script's name as
 * built (`dossier-worker.js`, beside the caller). When the caller runs from the TypeScript sources
 * (tests), the built copy under dist/ (a worker thread cannot run .ts).
 */
export function workerScript(callerUrl: string, script: string): string {
  const here = fileURLToPath(callerUrl);
  if (!here.endsWith(".ts")) return join(dirname(here), script);
  const at = here.lastIndexOf(`${sep}src${sep}`);
  return join(here.slice(0, at), "dist", dirname(here.slice(at + 1)), script);
}
