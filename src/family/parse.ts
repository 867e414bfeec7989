import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { parseStructured, type TextFormat } from "../core/structured-text.js";
import validateFamilySchema from "../generated/document-family.validator.js";
import type { DocumentFamily } from "./model.js";

/** Parses a document-family file and checks that every edge joins two known documents. */
export function parseFamily(
  text: string,
  source: string,
  format: TextFormat,
): { family?: DocumentFamily; problems: Problem[] } {
  const parsed = parseStructured(text, source, format);
  if (parsed.value === undefined) return { problems: parsed.problems };
  if (!validateFamilySchema(parsed.value)) {
    return { problems: schemaProblems(validateFamilySchema.errors ?? [], { source, text }) };
  }
  const value = parsed.value as DocumentFamily;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  value.documents.forEach((d, i) => {
    if (ids.has(d.id))
      problems.push({ source, location: `documents[${i}].id`, message: `duplicate document id "${d.id}"` });
    ids.add(d.id);
  });
  const edges = new Set<string>();
  value.edges.forEach((e, i) => {
    for (const end of ["from", "to"] as const) {
      if (!ids.has(e[end]))
        problems.push({ source, location: `edges[${i}].${end}`, message: `unknown document "${e[end]}"` });
    }
    if (e.from === e.to)
      problems.push({
        source,
        location: `edges[${i}]`,
        message: "an edge must join two different documents",
      });
    const key = `${e.from} ${e.type} ${e.to}`;
    if (edges.has(key)) problems.push({ source, location: `edges[${i}]`, message: `duplicate edge ${key}` });
    edges.add(key);
  });
  return problems.length > 0 ? { problems } : { family: value, problems };
}
