import type { Command } from "commander";
import type { Catalog } from "../catalog/model.js";
import { UsageError } from "../core/problem.js";
import { buildMatrix, type Matrix } from "../crosswalk/matrix.js";
import {
  cellText,
  LEGEND,
  matricesToXlsx,
  matrixToCsv,
  matrixToHtml,
  matrixToMarkdown,
} from "../crosswalk/matrix-render.js";
import { catalogRegistry, crosswalkSet, type GlobalOptions } from "./context.js";
import { parseChoice, parsePositiveInt, print, renderTable, toJson, writeOutput } from "./output.js";

type Opts = GlobalOptions & Record<string, unknown>;

const FORMATS = ["table", "csv", "xlsx", "md", "html", "json"] as const;

export function registerMatrixCommand(program: Command): void {
  program
    .command("matrix")
    .description("the consolidated provisions matrix: a row per anchor item, a column per text")
    .requiredOption(
      "--anchor <catalogs>",
      "catalog(s) whose items are the rows, comma-separated (one sheet each in xlsx)",
    )
    .option(
      "--columns <catalogs>",
      "catalogs for the columns, comma-separated (default: every other catalog reachable)",
    )
    .option("--depth <n>", "rows down to this depth (1 = top level; deeper items roll up)")
    .option("--format <format>", FORMATS.join(" | "), "table")
    .option("-o, --output <file>", "write to a file (required for xlsx)")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const format = opts.json ? "json" : parseChoice("--format", String(opts.format), FORMATS);
      const depth = opts.depth !== undefined ? parsePositiveInt("--depth", String(opts.depth)) : undefined;
      const registry = catalogRegistry(opts);
      const set = crosswalkSet(opts);
      const anchors = String(opts.anchor)
        .split(",")
        .map((s) => registry.require(s.trim()));
      const titles: Record<string, string> = {};
      for (const c of registry.latest()) titles[c.meta.id] = c.meta.shortTitle ?? c.meta.id;
      const matrices: Matrix[] = anchors.map((anchor) => {
        const columns: Catalog[] = opts.columns
          ? String(opts.columns)
              .split(",")
              .map((s) => registry.require(s.trim()))
          : set
              .catalogs()
              .filter((id) => id !== anchor.meta.id)
              .map((id) => registry.require(id));
        return buildMatrix(set, anchor, columns, depth !== undefined ? { depth } : {});
      });
      const out = opts.output as string | undefined;
      if (format === "xlsx") {
        if (!out || out === "-") throw new UsageError("--format xlsx needs -o <file>");
        writeOutput(out, await matricesToXlsx(matrices, titles));
        return print(
          `written ${out}: ${matrices.map((m) => `${m.anchor} ${m.rows.length} rows`).join(", ")}`,
        );
      }
      if (format === "json") {
        const doc = matrices.map((m) => ({
          anchor: m.anchor,
          columns: m.columns,
          rows: m.rows.map((r) => ({
            item: r.item,
            label: r.label,
            title: r.title,
            depth: r.depth,
            cells: Object.fromEntries(
              Object.entries(r.cells).map(([c, cells]) => [
                c,
                cells.map((x) => ({
                  id: x.id,
                  relationship: x.relationship,
                  ...(x.derived ? { derived: true, via: x.via } : {}),
                })),
              ]),
            ),
          })),
        }));
        return writeOutput(out, toJson(doc.length === 1 ? doc[0] : doc));
      }
      const text = matrices
        .map((m) => {
          if (format === "csv") return matrixToCsv(m, titles);
          if (format === "md") return matrixToMarkdown(m, titles);
          if (format === "html") return matrixToHtml(m, titles);
          const table = renderTable(m.rows, [
            { header: "ITEM", value: (r) => `${"  ".repeat(r.depth)}${r.label}`, max: 34 },
            ...m.columns.map((c) => ({
              header: titles[c] ?? c,
              value: (r: Matrix["rows"][number]) => cellText(r.cells[c]),
              max: 40,
            })),
          ]);
          return `${m.anchor}\n${table}\n\n${LEGEND}\n`;
        })
        .join("\n");
      writeOutput(out, text);
    });
}
