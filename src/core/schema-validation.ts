import type { ErrorObject } from "ajv";
import type { Problem } from "./problem.js";
import { createPositionFinder, pointerToPath } from "./structured-text.js";

export interface ProblemContext {
  source: string;
  text?: string;
  /** Turns a data path into words a person recognises, e.g. `items[3] (ref AC-2)`. */
  describe?: (path: (string | number)[]) => string;
  /** Cap on reported problems: one bad field repeated in 1000 items is still one kind of mistake. */
  limit?: number;
}

export function defaultDescribe(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Converts ajv errors to problems that name the place (path and line) and the problem in words. */
export function schemaProblems(errors: ErrorObject[], ctx: ProblemContext): Problem[] {
  const describe = ctx.describe ?? defaultDescribe;
  const find = ctx.text !== undefined ? createPositionFinder(ctx.text) : undefined;
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of errors) {
    // oneOf/anyOf failures repeat what their branches said; keep the branch-free summary only.
    if (e.keyword === "if") continue;
    const path = pointerToPath(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case "additionalProperties":
        message = `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
        path.push((e.params as { additionalProperty: string }).additionalProperty);
        break;
      case "required":
        message = `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
        break;
      case "enum":
        message = `must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "const":
        message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
        break;
      case "type":
        message = `must be of type ${(e.params as { type: string }).type}`;
        break;
      default:
        message = e.message ?? `fails ${e.keyword}`;
    }
    const location = describe(path) || "(document)";
    const key = `${location}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = find?.(path);
    out.push({ source: ctx.source, location, message, ...(pos ?? {}) });
    if (ctx.limit !== undefined && out.length >= ctx.limit) break;
  }
  return out;
}
