import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { createPositionFinder, parseStructured, type TextFormat } from "../core/structured-text.js";
import validateCatalogSchema from "../generated/catalog.validator.js";
import {
  type Catalog,
  type CatalogFile,
  type CatalogItem,
  type CatalogItemRecord,
  catalogKey,
  itemId,
} from "./model.js";

export interface CatalogParseResult {
  catalog?: Catalog;
  problems: Problem[];
}

/** Parses and fully checks the text of one catalog file. Pure: the caller reads the file. */
export function parseCatalog(text: string, source: string, format: TextFormat): CatalogParseResult {
  const parsed = parseStructured(text, source, format);
  if (parsed.value === undefined) return { problems: parsed.problems };
  return checkCatalog(parsed.value, source, text);
}

function describeItemPath(data: unknown): (path: (string | number)[]) => string {
  return (path) => {
    const parts: string[] = [];
    for (let i = 0; i < path.length; i++) {
      const p = path[i] as string | number;
      if (typeof p === "number") {
        let s = `[${p}]`;
        if (i === 1 && path[0] === "items") {
          const ref = (data as { items?: { ref?: unknown }[] }).items?.[p]?.ref;
          if (typeof ref === "string") s += ` (ref ${ref})`;
        }
        parts.push(s);
      } else parts.push(parts.length === 0 ? p : `.${p}`);
    }
    return parts.join("");
  };
}

/** Validates a parsed value against the catalog schema, then its tree structure. */
export function checkCatalog(value: unknown, source: string, text?: string): CatalogParseResult {
  if (!validateCatalogSchema(value)) {
    return {
      problems: schemaProblems(validateCatalogSchema.errors ?? [], {
        source,
        text,
        describe: describeItemPath(value),
        limit: 50,
      }),
    };
  }
  return buildCatalog(value as CatalogFile, source, text);
}

/**
 * Builds the loaded form of a schema-valid catalog: checks duplicate refs, parents that do not
 * resolve and cycles, then orders the tree.
 */
export function buildCatalog(file: CatalogFile, source: string, text?: string): CatalogParseResult {
  const problems: Problem[] = [];
  const find = text !== undefined ? createPositionFinder(text) : undefined;
  const at = (index: number, rec: CatalogItemRecord, field?: string): Partial<Problem> => ({
    source,
    location: `items[${index}] (ref ${rec.ref})${field ? `.${field}` : ""}`,
    ...(find?.(field ? ["items", index, field] : ["items", index]) ?? {}),
  });

  const indexByRef = new Map<string, number>();
  file.items.forEach((rec, i) => {
    const first = indexByRef.get(rec.ref);
    if (first !== undefined) {
      problems.push({
        ...at(i, rec, "ref"),
        message: `duplicate ref "${rec.ref}" (first at items[${first}])`,
      });
    } else indexByRef.set(rec.ref, i);
  });
  file.items.forEach((rec, i) => {
    if (rec.parent !== undefined && !indexByRef.has(rec.parent)) {
      problems.push({
        ...at(i, rec, "parent"),
        message: `parent "${rec.parent}" is not an item of this catalog`,
      });
    }
  });
  if (problems.length > 0) return { problems };

  // Cycle detection: walk up from each item, colouring the path.
  const state = new Uint8Array(file.items.length); // 0 new, 1 on current path, 2 done
  for (let start = 0; start < file.items.length; start++) {
    const path: number[] = [];
    let i: number | undefined = start;
    while (i !== undefined && state[i] === 0) {
      state[i] = 1;
      path.push(i);
      const parent: string | undefined = file.items[i]?.parent;
      i = parent === undefined ? undefined : indexByRef.get(parent);
    }
    if (i !== undefined && state[i] === 1) {
      const cycleStart = path.indexOf(i);
      const refs = path.slice(cycleStart).map((k) => file.items[k]?.ref);
      const rec = file.items[i] as CatalogItemRecord;
      problems.push({ ...at(i, rec, "parent"), message: `parent cycle: ${[...refs, rec.ref].join(" -> ")}` });
    }
    for (const k of path) state[k] = 2;
  }
  if (problems.length > 0) return { problems };

  const meta = file.catalog;
  const childrenRecs = new Map<string, { rec: CatalogItemRecord; pos: number }[]>();
  file.items.forEach((rec, pos) => {
    const key = rec.parent ?? "";
    const list = childrenRecs.get(key);
    if (list) list.push({ rec, pos });
    else childrenRecs.set(key, [{ rec, pos }]);
  });

  const items: CatalogItem[] = [];
  const byRef = new Map<string, CatalogItem>();
  const children = new Map<string, CatalogItem[]>();
  const visit = (parentRef: string, parentId: string | undefined, depth: number): void => {
    const list = childrenRecs.get(parentRef);
    if (!list) return;
    list.sort((a, b) => (a.rec.order ?? a.pos) - (b.rec.order ?? b.pos) || a.pos - b.pos);
    const loaded: CatalogItem[] = [];
    list.forEach(({ rec }, n) => {
      const item: CatalogItem = {
        id: itemId(meta.id, rec.ref),
        catalogId: meta.id,
        ref: rec.ref,
        label: rec.label,
        kind: rec.kind,
        title: rec.title,
        order: rec.order ?? n,
        depth,
        props: rec.props ?? {},
        verification: rec.verification ?? meta.verification,
      };
      if (rec.text !== undefined) item.text = rec.text;
      if (parentId !== undefined) item.parent = parentId;
      if (rec.notes !== undefined) item.notes = rec.notes;
      items.push(item);
      byRef.set(rec.ref, item);
      loaded.push(item);
      visit(rec.ref, item.id, depth + 1);
    });
    children.set(parentId ?? "", loaded);
  };
  visit("", undefined, 0);

  return { catalog: { meta, key: catalogKey(meta), items, byRef, children }, problems };
}
