import { loadCatalogs } from "../catalog/files.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { CairnError } from "../core/problem.js";

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  catalogs?: string[];
}

const registries = new Map<string, CatalogRegistry>();

/**
 * Loads and validates the bundled catalogs (plus any given with --catalogs) once per process. A
 * catalog that fails validation stops the command: results computed from broken reference data
 * would look authoritative and be wrong.
 */
export function catalogRegistry(opts: GlobalOptions): CatalogRegistry {
  const extra = opts.catalogs ?? [];
  const key = JSON.stringify(extra);
  const cached = registries.get(key);
  if (cached) return cached;
  const result = loadCatalogs({ extra });
  if (result.problems.length > 0) throw new CairnError("catalog files are invalid", result.problems);
  registries.set(key, result.registry);
  return result.registry;
}
