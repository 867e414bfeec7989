import { type OscalControl, type OscalParam, type OscalPart, prop } from "./types.js";

const INSERT = /\{\{\s*insert:\s*param,\s*([^}\s]+)\s*\}\}/g;

/**
 * Renders a control's statement the way NIST prints it: labelled items one per line, parameters
 * as "[Assignment: ...]" or "[Selection (one or more): ...]".
 */
export function renderStatement(
  control: OscalControl,
  params: ReadonlyMap<string, OscalParam>,
): string | undefined {
  const statement = control.parts?.find((p) => p.name === "statement");
  if (!statement) return undefined;
  const lines: string[] = [];
  const walk = (part: OscalPart) => {
    const label = prop(part.props, "label");
    const prose = part.prose !== undefined ? tidy(insertParams(part.prose, params, 0)) : "";
    const line = [label, prose].filter((s) => s).join(" ");
    if (line) lines.push(line);
    for (const child of part.parts ?? [])
      if (child.name === "item" || child.name === "statement") walk(child);
  };
  walk(statement);
  return lines.join("\n");
}

/**
 * OSCAL prose is Markdown with stray spaces around inserted parameters (" [Assignment: x] ]");
 * print it as NIST's own text does: links as their text, no emphasis marks, single spaces.
 */
function tidy(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\(#[^)]*\)/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/ \]/g, "]")
    .replace(/\[ /g, "[")
    .trim();
}

export function insertParams(text: string, params: ReadonlyMap<string, OscalParam>, depth: number): string {
  return text.replace(INSERT, (_m, id: string) => {
    const param = params.get(id);
    if (!param || depth > 4) return `[Assignment: ${id}]`;
    if (param.values && param.values.length > 0) return param.values.join(", ");
    if (param.select) {
      const many = param.select["how-many"] === "one-or-more" ? " (one or more)" : "";
      const choices = (param.select.choice ?? []).map((c) => insertParams(c, params, depth + 1).trim());
      return `[Selection${many}: ${choices.join("; ")}]`;
    }
    return `[Assignment: ${param.label ?? id}]`;
  });
}

/** All params of a control and its enhancements, by id (enhancement prose may cite the parent's). */
export function collectParams(
  controls: readonly OscalControl[],
  into = new Map<string, OscalParam>(),
): Map<string, OscalParam> {
  for (const c of controls) {
    for (const p of c.params ?? []) into.set(p.id, p);
    if (c.controls) collectParams(c.controls, into);
  }
  return into;
}
