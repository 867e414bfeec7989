import { readFileSync } from "node:fs";
import { bundledPath } from "../core/paths.js";
import { CairnError } from "../core/problem.js";
import type { DocumentFamily } from "./model.js";
import { parseFamily } from "./parse.js";

export function loadBundledFamily(): DocumentFamily {
  const file = bundledPath("catalogs", "family", "document-family.json");
  const result = parseFamily(readFileSync(file, "utf8"), file, "json");
  if (!result.family) throw new CairnError("the bundled document family is invalid", result.problems);
  return result.family;
}
