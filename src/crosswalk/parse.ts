import type { CatalogRegistry } from "../catalog/registry.js";
import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { parseStructured, type TextFormat } from "../core/structured-text.js";
import validateCrosswalkSchema from "../generated/crosswalk.validator.js";
import type { Crosswalk, CrosswalkFile, Mapping } from "./model.js";

export interface CrosswalkParseResult {
  crosswalk?: Crosswalk;
  problems: Problem[];
}

export function parseCrosswalk(
  text: string,
  source: string,
  format: TextFormat,
  registry: CatalogRegistry,
): CrosswalkParseResult {
  const parsed = parseStructured(text, source, format);
  if (parsed.value === undefined) return { problems: parsed.problems };
  return checkCrosswalk(parsed.value, source, registry, text);
}

function rowName(i: number, id: string | undefined): string {
  return `mappings[${i}]${id ? ` (id ${id})` : ""}`;
}

/**
 * Checks a crosswalk against its schema and against the catalogs it names: both catalog versions
 * loaded, every ref an item of its catalog, row ids unique, no row repeated or contradicted.
 */
export function checkCrosswalk(
  value: unknown,
  source: string,
  registry: CatalogRegistry,
  text?: string,
): CrosswalkParseResult {
  if (!validateCrosswalkSchema(value)) {
    // The value failed the schema: any field may have any type. Only a string id is shown.
    const idOf = (i: number): string | undefined => {
      const rows = (value as { mappings?: unknown } | null)?.mappings;
      const id = Array.isArray(rows) ? (rows[i] as { id?: unknown } | null)?.id : undefined;
      return typeof id === "string" ? id : undefined;
    };
    return {
      problems: schemaProblems(validateCrosswalkSchema.errors ?? [], {
        source,
        text,
        limit: 50,
        describe: (path) =>
          path
            .map((p, i) => {
              if (typeof p !== "number") return i === 0 ? p : `.${p}`;
              if (i === 1 && path[0] === "mappings") return `[${p}]${idOf(p) ? ` (id ${idOf(p)})` : ""}`;
              return `[${p}]`;
            })
            .join(""),
      }),
    };
  }
  const file = value as CrosswalkFile;
  const meta = file.crosswalk;
  const problems: Problem[] = [];
  const src = registry.get(`${meta.source.catalog}@${meta.source.version}`);
  const tgt = registry.get(`${meta.target.catalog}@${meta.target.version}`);
  if (!src) {
    problems.push({
      source,
      location: "crosswalk.source",
      message: `catalog ${meta.source.catalog}@${meta.source.version} is not loaded`,
    });
  }
  if (!tgt) {
    problems.push({
      source,
      location: "crosswalk.target",
      message: `catalog ${meta.target.catalog}@${meta.target.version} is not loaded`,
    });
  }
  if (meta.source.catalog === meta.target.catalog) {
    problems.push({
      source,
      location: "crosswalk",
      message: "source and target must be two different catalogs",
    });
  }
  if (!src || !tgt || problems.length > 0) return { problems };

  const ids = new Map<string, number>();
  const pairs = new Map<string, { index: number; relationship: string }>();
  const mappings: Mapping[] = [];
  file.mappings.forEach((row, i) => {
    const where = rowName(i, row.id);
    const rowId = row.id ?? String(i + 1);
    if (row.id !== undefined) {
      const first = ids.get(row.id);
      if (first !== undefined)
        problems.push({
          source,
          location: `${where}.id`,
          message: `duplicate row id (first at mappings[${first}])`,
        });
      else ids.set(row.id, i);
    }
    const check = (refs: string[], side: "sources" | "targets", catalog: typeof src) => {
      const seen = new Set<string>();
      refs.forEach((ref, k) => {
        if (!catalog.byRef.has(ref)) {
          problems.push({
            source,
            location: `${where}.${side}[${k}]`,
            message: `"${ref}" is not an item of ${catalog.key}`,
          });
        }
        if (seen.has(ref))
          problems.push({ source, location: `${where}.${side}[${k}]`, message: `"${ref}" is listed twice` });
        seen.add(ref);
      });
    };
    check(row.sources, "sources", src);
    check(row.targets, "targets", tgt);
    const pair = `${[...row.sources].sort().join(" + ")} -> ${[...row.targets].sort().join(" + ")}`;
    const prev = pairs.get(pair);
    if (prev) {
      const what =
        prev.relationship === row.relationship
          ? `duplicate of mappings[${prev.index}]`
          : `contradicts mappings[${prev.index}] (${prev.relationship} vs ${row.relationship})`;
      problems.push({ source, location: where, message: `${what}: ${pair}` });
    } else pairs.set(pair, { index: i, relationship: row.relationship });
    const mapping: Mapping = {
      key: `${meta.id}#${rowId}`,
      crosswalk: meta.id,
      rowId,
      sources: row.sources.map((r) => `${src.meta.id}:${r}`),
      targets: row.targets.map((r) => `${tgt.meta.id}:${r}`),
      relationship: row.relationship,
      rationale: row.rationale,
      review: row.review,
    };
    if (row.strength !== undefined) mapping.strength = row.strength;
    if (row.note !== undefined) mapping.note = row.note;
    mappings.push(mapping);
  });
  if (problems.length > 0) return { problems };
  return { crosswalk: { meta, sourceKey: src.key, targetKey: tgt.key, mappings }, problems };
}
