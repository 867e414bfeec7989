import { existsSync, readFileSync, statSync } from "node:fs";
import { catalogFilesIn } from "../catalog/files.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { bundledPath } from "../core/paths.js";
import { CairnError, type Problem } from "../core/problem.js";
import { formatFromName } from "../core/structured-text.js";
import type { Crosswalk } from "./model.js";
import { type CrosswalkParseResult, parseCrosswalk } from "./parse.js";
import { CrosswalkSet } from "./set.js";

export const MAX_CROSSWALK_BYTES = 32 * 1024 * 1024;

export function bundledMappingDir(): string {
  return bundledPath("catalogs", "mappings");
}

export function readCrosswalkFile(file: string, registry: CatalogRegistry): CrosswalkParseResult {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CROSSWALK_BYTES)
      return {
        problems: [{ source: file, message: `file is ${size} bytes; at most ${MAX_CROSSWALK_BYTES}` }],
      };
    text = readFileSync(file, "utf8");
  } catch (err) {
    return {
      problems: [
        {
          source: file,
          message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        },
      ],
    };
  }
  return parseCrosswalk(text, file, formatFromName(file), registry);
}

/** Loads the bundled crosswalks (and extra files or folders), checked against the registry. */
export function loadCrosswalks(
  registry: CatalogRegistry,
  extra: string[] = [],
): { set: CrosswalkSet; problems: Problem[] } {
  const dir = bundledMappingDir();
  const files = existsSync(dir) ? catalogFilesIn(dir) : [];
  for (const path of extra) {
    if (!existsSync(path)) throw new CairnError(`crosswalk path not found: ${path}`, [], 2);
    files.push(...(statSync(path).isDirectory() ? catalogFilesIn(path) : [path]));
  }
  const crosswalks: Crosswalk[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const r = readCrosswalkFile(file, registry);
    problems.push(...r.problems);
    if (!r.crosswalk) continue;
    const first = seen.get(r.crosswalk.meta.id);
    if (first) {
      problems.push({
        source: file,
        message: `crosswalk ${r.crosswalk.meta.id} is also defined in ${first}`,
      });
      continue;
    }
    seen.set(r.crosswalk.meta.id, file);
    crosswalks.push(r.crosswalk);
  }
  return { set: new CrosswalkSet(crosswalks), problems };
}
