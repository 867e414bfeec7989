import type { Catalog, CatalogFile } from "../../src/catalog/model.js";
import { checkCatalog } from "../../src/catalog/parse.js";
import { CatalogRegistry } from "../../src/catalog/registry.js";
import type { Crosswalk, CrosswalkFile, MappingRecord } from "../../src/crosswalk/model.js";
import { checkCrosswalk } from "../../src/crosswalk/parse.js";

/** A small flat catalog with items r1..rN, for tests of crosswalk logic. */
export function syntheticCatalog(id: string, refs: string[]): Catalog {
  const file: CatalogFile = {
    format: "cairn-catalog/1",
    catalog: {
      id,
      title: id,
      publisher: "tests",
      version: "1",
      published: "2024-01",
      status: "final",
      source: { reference: "tests", basis: "made up" },
      terms: "full-text",
      verification: "checked",
    },
    items: refs.map((ref) => ({ ref, label: ref, kind: "provision", title: `${id} ${ref}` })),
  };
  const r = checkCatalog(file, id);
  if (!r.catalog) throw new Error(JSON.stringify(r.problems));
  return r.catalog;
}

export type Row = [string[], MappingRecord["relationship"], string[]];

export function syntheticCrosswalk(
  registry: CatalogRegistry,
  from: string,
  to: string,
  rows: Row[],
  id = `${from}--${to}`,
): Crosswalk {
  const file: CrosswalkFile = {
    format: "cairn-crosswalk/1",
    crosswalk: {
      id,
      title: id,
      version: "1",
      source: { catalog: from, version: "1" },
      target: { catalog: to, version: "1" },
      provenance: { kind: "authored", basis: "tests" },
    },
    mappings: rows.map(([sources, relationship, targets], i) => ({
      id: `r${i + 1}`,
      sources,
      targets,
      relationship,
      rationale: "semantic",
      review: "reviewed",
    })),
  };
  const r = checkCrosswalk(file, id, registry);
  if (!r.crosswalk) throw new Error(JSON.stringify(r.problems));
  return r.crosswalk;
}

export function registryOf(...catalogs: Catalog[]): CatalogRegistry {
  return new CatalogRegistry(catalogs);
}
