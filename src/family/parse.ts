import familySchema from "../../schemas/document-family.schema.json" with { type: "json" };
import type { Problem } from "../core/problem.js";
import { compileSchema, schemaProblems } from "../core/schema-validation.js";
import { parseStructured, type TextFormat } from "../core/structured-text.js";
import type { DocumentFamily } from "./model.js";

const validate = compileSchema<DocumentFamily>(familySchema);

/** Parses a document-family file and checks that every edge joins two known documents. */
export function parseFamily(
  text: string,
  source: string,
  format: TextFormat,
): { family?: DocumentFamily; problems: Problem[] } {
  const parsed = parseStructured(text, source, format);
  if (parsed.value === undefined) return { problems: parsed.problems };
  const value = parsed.value;
  if (!validate(value)) return { problems: schemaProblems(validate.errors ?? [], { source, text }) };
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
