import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Catalog } from "../catalog/model.js";
import { notAFile } from "../core/file-errors.js";
import { CairnError, type Problem } from "../core/problem.js";
import { coverage } from "../crosswalk/coverage.js";
import { readCrosswalkFile } from "../crosswalk/files.js";
import { catalogOfId, infer, RESULTS, type Result } from "../crosswalk/inference.js";
import { catalogPath } from "../crosswalk/matrix.js";
import { RELATIONSHIP_MARK, type Relationship } from "../crosswalk/model.js";
import { catalogRegistry, crosswalkSet, type GlobalOptions } from "./context.js";
import { print, renderTable, toJson } from "./output.js";

type Opts = GlobalOptions & Record<string, unknown>;

/** Reads the `--results` file: a JSON object from item id to result, all on one catalog. */
export function readResults(file: string, opts: GlobalOptions): Map<string, Result> {
  const wrong = notAFile(file, "results file");
  if (wrong) throw new CairnError(wrong, [], 2);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CairnError(`${file}: malformed JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CairnError(`${file}: expected a JSON object from item id to result (${RESULTS.join(", ")})`);
  }
  const registry = catalogRegistry(opts);
  const problems: Problem[] = [];
  const results = new Map<string, Result>();
  for (const [id, result] of Object.entries(value as Record<string, unknown>)) {
    const item = registry.item(id);
    if (!item) problems.push({ source: file, location: JSON.stringify(id), message: "unknown item id" });
    if (typeof result !== "string" || !(RESULTS as readonly string[]).includes(result)) {
      problems.push({
        source: file,
        location: JSON.stringify(id),
        message: `result must be one of ${RESULTS.join(", ")}`,
      });
    }
    if (item && problems.length === 0) results.set(item.id, result as Result);
  }
  const catalogs = new Set([...results.keys()].map(catalogOfId));
  if (catalogs.size > 1)
    problems.push({
      source: file,
      message: `results must be on one catalog; found ${[...catalogs].join(", ")}`,
    });
  if (problems.length > 0) throw new CairnError(`${file}: invalid results`, problems);
  if (results.size === 0) throw new CairnError(`${file}: no results`);
  return results;
}

function requirePath(opts: GlobalOptions, from: Catalog, to: Catalog): void {
  if (from.meta.id === to.meta.id)
    throw new CairnError(`--from and --to name the same catalog (${from.meta.id})`);
  if (!catalogPath(crosswalkSet(opts), from.meta.id, to.meta.id)) {
    throw new CairnError(`no crosswalk path from ${from.meta.id} to ${to.meta.id}`);
  }
}

export function registerCrosswalkCommands(program: Command): void {
  const cw = program
    .command("crosswalk")
    .description("mappings between catalogs: list, show, validate, gaps, infer");

  cw.command("list")
    .description("the bundled crosswalks")
    .action((_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const rows = crosswalkSet(opts).crosswalks.map((c) => {
        const rel: Partial<Record<Relationship, number>> = {};
        for (const m of c.mappings) rel[m.relationship] = (rel[m.relationship] ?? 0) + 1;
        return {
          id: c.meta.id,
          source: c.sourceKey,
          target: c.targetKey,
          provenance: c.meta.provenance.kind,
          version: c.meta.version,
          rowCount: c.mappings.length,
          reviewed: c.mappings.filter((m) => m.review === "reviewed").length,
          relationships: rel,
        };
      });
      if (opts.json) return print(toJson(rows));
      print(
        renderTable(rows, [
          { header: "ID", value: (r) => r.id },
          { header: "SOURCE", value: (r) => r.source },
          { header: "TARGET", value: (r) => r.target },
          { header: "PROVENANCE", value: (r) => r.provenance },
          { header: "ROWS", value: (r) => r.rowCount, align: "right" },
          { header: "REVIEWED", value: (r) => r.reviewed, align: "right" },
          {
            header: "RELATIONSHIPS",
            value: (r) =>
              Object.entries(r.relationships)
                .map(([k, n]) => `${RELATIONSHIP_MARK[k as Relationship]}${n}`)
                .join(" "),
          },
        ]),
      );
    });

  cw.command("show")
    .description("one crosswalk: provenance and rows")
    .argument("<id>")
    .action((id: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const set = crosswalkSet(opts);
      const c = set.get(id);
      if (!c)
        throw new CairnError(
          `unknown crosswalk "${id}"; crosswalks: ${set.crosswalks.map((x) => x.meta.id).join(", ")}`,
        );
      if (opts.json) return print(toJson({ crosswalk: c.meta, mappings: c.mappings }));
      print(
        `${c.meta.title}\n${c.sourceKey} -> ${c.targetKey}  provenance: ${c.meta.provenance.kind}  version ${c.meta.version}`,
      );
      print(`basis: ${c.meta.provenance.basis}\n`);
      print(
        renderTable(c.mappings, [
          { header: "ROW", value: (m) => m.rowId },
          {
            header: "SOURCES",
            value: (m) => m.sources.map((s) => s.slice(s.indexOf(":") + 1)).join(" + "),
            max: 30,
          },
          { header: "REL", value: (m) => RELATIONSHIP_MARK[m.relationship] },
          {
            header: "TARGETS",
            value: (m) => m.targets.map((s) => s.slice(s.indexOf(":") + 1)).join(", "),
            max: 40,
          },
          { header: "WHY", value: (m) => m.rationale },
          { header: "REVIEW", value: (m) => m.review },
          { header: "NOTE", value: (m) => m.note ?? "", max: 60 },
        ]),
      );
    });

  cw.command("validate")
    .description("validate a crosswalk file against its schema and the catalogs it names")
    .argument("<file>")
    .action((file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const wrong = notAFile(file, "crosswalk file");
      if (wrong) throw new CairnError(wrong, [], 2);
      const r = readCrosswalkFile(file, catalogRegistry(opts));
      if (opts.json) {
        print(
          toJson({
            file,
            valid: r.crosswalk !== undefined,
            crosswalk: r.crosswalk
              ? { id: r.crosswalk.meta.id, rowCount: r.crosswalk.mappings.length }
              : null,
            problems: r.problems,
          }),
        );
      } else if (r.crosswalk)
        print(`${file}: valid crosswalk ${r.crosswalk.meta.id}, ${r.crosswalk.mappings.length} rows`);
      if (!r.crosswalk) throw new CairnError(`${file} is not a valid crosswalk`, r.problems);
    });

  cw.command("gaps")
    .description("how far one catalog covers another: per target item full, partial or none")
    .requiredOption("--from <catalog>", "the catalog whose items are met")
    .requiredOption("--to <catalog>", "the catalog to cover")
    .option("--only <coverage>", "list only targets with this coverage (full, partial, none)")
    .action((_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const registry = catalogRegistry(opts);
      const from = registry.require(String(opts.from));
      const to = registry.require(String(opts.to));
      requirePath(opts, from, to);
      const report = coverage(crosswalkSet(opts), from, to);
      if (opts.json) return print(toJson(report));
      const only = opts.only as string | undefined;
      const targets = only ? report.targets.filter((t) => t.coverage === only) : report.targets;
      print(
        renderTable(targets, [
          { header: "TARGET", value: (t) => t.label, max: 36 },
          { header: "KIND", value: (t) => t.kind },
          { header: "COVERAGE", value: (t) => t.coverage },
          {
            header: "FROM",
            value: (t) => t.sources.map((s) => s.slice(s.indexOf(":") + 1)).join(", "),
            max: 70,
          },
        ]),
      );
      print(
        `\n${report.from} -> ${report.to}: ${report.counts.full} full, ${report.counts.partial} partial, ${report.counts.none} none; ${report.unmappedSources.length} source items reach nothing`,
      );
    });

  cw.command("infer")
    .description("derive results on other catalogs from results on one catalog, through the crosswalks")
    .requiredOption(
      "--results <file>",
      "JSON object from item id to pass | partial | fail | not-applicable | unknown",
    )
    .option("--to <catalog>", "only results on this catalog")
    .action((_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const input = readResults(String(opts.results), opts);
      const registry = catalogRegistry(opts);
      const origin = registry.require(catalogOfId([...input.keys()][0] as string));
      const toOpt = opts.to as string | undefined;
      const to = toOpt ? registry.require(toOpt) : undefined;
      if (to) requirePath(opts, origin, to);
      const derived = infer(crosswalkSet(opts), input);
      const selected = [...derived.values()].filter((d) => !to || catalogOfId(d.item) === to.meta.id);
      if (opts.json) {
        const out: Record<string, unknown> = {};
        for (const d of selected) {
          out[d.item] = {
            result: d.result,
            derived: true,
            derivedFrom: d.derivedFrom.map((x) => ({ result: x.result, path: x.path, rows: x.rows })),
          };
        }
        return print(toJson(out));
      }
      print(
        renderTable(selected, [
          { header: "ITEM", value: (d) => d.item, max: 40 },
          { header: "RESULT", value: (d) => d.result },
          { header: "PATHS", value: (d) => d.derivedFrom.length, align: "right" },
          { header: "VIA", value: (d) => (d.derivedFrom[0]?.path ?? []).join(" -> "), max: 90 },
        ]),
      );
      print(`\n${selected.length} derived results (proposals, not verdicts).`);
    });
}
