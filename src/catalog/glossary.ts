import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { parseStructured } from "../core/structured-text.js";
import validateGlossarySchema from "../generated/search-glossary.validator.js";

/** One idea and the phrases that name it; `terms[0]` is the name shown to users. */
export interface GlossaryGroup {
  id: string;
  terms: string[];
  note?: string;
}

/** The field glossary search expands queries with (catalogs/glossary/search-glossary.json). */
export interface Glossary {
  format: "cairn-search-glossary/1";
  id: string;
  version: string;
  notes?: string[];
  groups: GlossaryGroup[];
}

/**
 * Parses a glossary and checks what the schema cannot: group ids are unique, and a phrase (as
 * search reads it: `key` below) names one group only, since a phrase in two groups would make a
 * search mean two things at once.
 */
export function parseGlossary(
  text: string,
  source: string,
  key: (phrase: string) => string,
): { glossary?: Glossary; problems: Problem[] } {
  const parsed = parseStructured(text, source, "json");
  if (parsed.value === undefined) return { problems: parsed.problems };
  if (!validateGlossarySchema(parsed.value))
    return { problems: schemaProblems(validateGlossarySchema.errors ?? [], { source, text }) };
  const glossary = parsed.value as Glossary;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const phrases = new Map<string, string>();
  glossary.groups.forEach((g, i) => {
    if (ids.has(g.id))
      problems.push({ source, location: `groups[${i}].id`, message: `duplicate group ${g.id}` });
    ids.add(g.id);
    g.terms.forEach((t, j) => {
      const k = key(t);
      const where = `groups[${i}].terms[${j}]`;
      if (k === "") problems.push({ source, location: where, message: `"${t}" has no searchable word` });
      const other = phrases.get(k);
      if (other !== undefined)
        problems.push({
          source,
          location: where,
          message: `"${t}" reads as "${k}", already a phrase of group ${other}`,
        });
      else phrases.set(k, g.id);
    });
  });
  return problems.length > 0 ? { problems } : { glossary, problems };
}
