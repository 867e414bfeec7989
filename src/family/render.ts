import type { DocumentFamily } from "./model.js";

function mermaidId(id: string): string {
  return id.replace(/-/g, "_");
}

function quote(text: string): string {
  return text.replace(/"/g, "'");
}

/** A Mermaid flowchart: one node per document, one labelled arrow per edge. */
export function familyToMermaid(family: DocumentFamily): string {
  const lines = ["flowchart LR"];
  for (const d of family.documents) {
    lines.push(`  ${mermaidId(d.id)}["${quote(d.shortTitle)}<br/>${d.date.slice(0, 7)}"]`);
  }
  for (const e of family.edges) {
    const arrow = e.basis === "project" ? "-.->" : "-->";
    lines.push(`  ${mermaidId(e.from)} ${arrow}|${e.type}| ${mermaidId(e.to)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Graphviz DOT, for `dot -Tsvg`. */
export function familyToDot(family: DocumentFamily): string {
  const lines = ["digraph family {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];'];
  for (const d of family.documents) {
    lines.push(`  "${d.id}" [label="${quote(d.shortTitle)}\\n${d.date.slice(0, 7)}"];`);
  }
  for (const e of family.edges) {
    const style = e.basis === "project" ? ", style=dashed" : "";
    lines.push(`  "${e.from}" -> "${e.to}" [label="${e.type}"${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
