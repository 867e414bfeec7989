import { loadCatalogs } from "../catalog/files.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { CairnError } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import type { CrosswalkSet } from "../crosswalk/set.js";

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  catalogs?: string[];
  crosswalks?: string[];
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

const crosswalkSets = new Map<string, CrosswalkSet>();

/** The bundled crosswalks (plus --crosswalks), checked against the loaded catalogs. */
export function crosswalkSet(opts: GlobalOptions): CrosswalkSet {
  const extra = opts.crosswalks ?? [];
  const key = JSON.stringify([opts.catalogs ?? [], extra]);
  const cached = crosswalkSets.get(key);
  if (cached) return cached;
  const result = loadCrosswalks(catalogRegistry(opts), extra);
  if (result.problems.length > 0) throw new CairnError("crosswalk files are invalid", result.problems);
  crosswalkSets.set(key, result.set);
  return result.set;
}
