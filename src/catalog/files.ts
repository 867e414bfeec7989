import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { bundledPath } from "../core/paths.js";
import { CairnError, type Problem } from "../core/problem.js";
import { formatFromName } from "../core/structured-text.js";
import { type Glossary, parseGlossary } from "./glossary.js";
import type { Catalog } from "./model.js";
import { type CatalogParseResult, parseCatalog } from "./parse.js";
import { CatalogRegistry } from "./registry.js";
import { phraseKey } from "./search.js";

/** Catalog files are small; anything larger than this is not a catalog and is refused unread. */
export const MAX_CATALOG_BYTES = 32 * 1024 * 1024;

export function bundledCatalogDir(): string {
  return bundledPath("catalogs");
}

export function readCatalogFile(file: string): CatalogParseResult {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CATALOG_BYTES) {
      return {
        problems: [
          { source: file, message: `file is ${size} bytes; a catalog may be at most ${MAX_CATALOG_BYTES}` },
        ],
      };
    }
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
  return parseCatalog(text, file, formatFromName(file));
}

/** The catalog files directly in a folder (sub-folders hold mappings, rules and the family). */
export function catalogFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(json|ya?ml)$/i.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

export interface LoadOptions {
  /** Extra folders or files with catalogs (e.g. a licensee's EN 18031 text, test fixtures). */
  extra?: string[];
  /** Leave out the bundled catalogs. */
  noBundled?: boolean;
}

export interface LoadResult {
  registry: CatalogRegistry;
  catalogs: Catalog[];
  problems: Problem[];
}

export function loadCatalogs(options: LoadOptions = {}): LoadResult {
  const files: string[] = options.noBundled ? [] : catalogFilesIn(bundledCatalogDir());
  for (const path of options.extra ?? []) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CairnError(`catalog path not found: ${path}`, [], 2);
    }
    files.push(...(isDir ? catalogFilesIn(path) : [path]));
  }
  const catalogs: Catalog[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const result = readCatalogFile(file);
    problems.push(...result.problems);
    if (!result.catalog) continue;
    const first = seen.get(result.catalog.key);
    if (first) {
      problems.push({ source: file, message: `catalog ${result.catalog.key} is also defined in ${first}` });
      continue;
    }
    seen.set(result.catalog.key, file);
    catalogs.push(result.catalog);
  }
  return { registry: new CatalogRegistry(catalogs), catalogs, problems };
}

/** The field glossary search expands queries with (`catalogs/glossary/search-glossary.json`). */
export function loadBundledGlossary(): Glossary {
  const file = bundledPath("catalogs", "glossary", "search-glossary.json");
  const result = parseGlossary(readFileSync(file, "utf8"), file, phraseKey);
  if (!result.glossary) throw new CairnError("the bundled search glossary is invalid", result.problems);
  return result.glossary;
}
