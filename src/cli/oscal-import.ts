import { readFileSync, statSync } from "node:fs";
import type { Catalog, CatalogFile } from "../catalog/model.js";
import { checkCatalog } from "../catalog/parse.js";
import { CairnError } from "../core/problem.js";
import { parseStructured } from "../core/structured-text.js";
import { importOscalCatalog } from "../oscal/catalog-import.js";
import type { OscalCatalog } from "../oscal/types.js";
import { validateOscal } from "../oscal/validate.js";

/** OSCAL catalogs are untrusted input: refuse anything far larger than NIST's full SP 800-53. */
export const MAX_OSCAL_BYTES = 64 * 1024 * 1024;

export function importOscalFile(
  file: string,
  id?: string,
): { file: CatalogFile; catalog: Catalog; oscalVersion: string } {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CairnError(`no such file: ${file}`, [], 2);
  }
  if (size > MAX_OSCAL_BYTES)
    throw new CairnError(`${file}: ${size} bytes; an OSCAL catalog may be at most ${MAX_OSCAL_BYTES}`);
  const text = readFileSync(file, "utf8");
  const parsed = parseStructured(text, file, "json");
  if (parsed.value === undefined) throw new CairnError(`${file} is not valid JSON`, parsed.problems);
  const value = parsed.value as { catalog?: OscalCatalog };
  if (typeof value !== "object" || value === null || !("catalog" in value)) {
    throw new CairnError(`${file}: not an OSCAL catalog (no top-level "catalog" object)`);
  }
  const problems = validateOscal("catalog", value, file, text);
  if (problems.length > 0)
    throw new CairnError(`${file} is not valid against the OSCAL 1.2.1 catalog schema`, problems);
  const oscal = value.catalog as OscalCatalog;
  const catalogFile = importOscalCatalog(oscal, { id, sourceName: file });
  const checked = checkCatalog(catalogFile, `${file} (imported)`);
  if (!checked.catalog) throw new CairnError(`${file}: the imported catalog is not valid`, checked.problems);
  return { file: catalogFile, catalog: checked.catalog, oscalVersion: oscal.metadata["oscal-version"] };
}
