import type { Command } from "commander";
import { loadBundledFamily } from "../family/files.js";
import { familyToDot, familyToMermaid } from "../family/render.js";
import type { GlobalOptions } from "./context.js";
import { parseChoice, print, renderTable, toJson } from "./output.js";

export function registerDocsCommand(program: Command): void {
  program
    .command("docs")
    .description("the document family: the texts, their dates and audiences, and how they relate")
    .option("--format <format>", "table | mermaid | dot | json", "table")
    .action((_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { format: string }>();
      const format = opts.json
        ? "json"
        : parseChoice("--format", opts.format, ["table", "mermaid", "dot", "json"] as const);
      const family = loadBundledFamily();
      if (format === "json") return print(toJson(family));
      if (format === "mermaid") return print(familyToMermaid(family));
      if (format === "dot") return print(familyToDot(family));
      const titles = new Map(family.documents.map((d) => [d.id, d.shortTitle]));
      print(
        renderTable(family.documents, [
          { header: "DOCUMENT", value: (d) => d.shortTitle, max: 36 },
          { header: "DATE", value: (d) => d.date },
          { header: "AUDIENCE", value: (d) => d.audience, max: 34 },
          { header: "CATALOG", value: (d) => d.catalog ?? "-" },
          { header: "PURPOSE", value: (d) => d.purpose, max: 70 },
        ]),
      );
      print("");
      print(
        renderTable(family.edges, [
          { header: "FROM", value: (e) => titles.get(e.from) ?? e.from },
          { header: "RELATION", value: (e) => e.type },
          { header: "TO", value: (e) => titles.get(e.to) ?? e.to },
          { header: "BASIS", value: (e) => e.basis },
          { header: "NOTE", value: (e) => e.note ?? "", max: 60 },
        ]),
      );
    });
}
