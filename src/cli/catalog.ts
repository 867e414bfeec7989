import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type CatalogDiff, diffCatalogs } from "../catalog/diff.js";
import { loadBundledGlossary, readCatalogFile } from "../catalog/files.js";
import { type Catalog, type CatalogItem, countKinds } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { SearchIndex } from "../catalog/search.js";
import { notAFile } from "../core/file-errors.js";
import { CairnError } from "../core/problem.js";
import { catalogRegistry, type GlobalOptions } from "./context.js";
import {
  type Column,
  parseChoice,
  parsePositiveInt,
  print,
  renderTable,
  toJson,
  toYaml,
  writeOutput,
} from "./output.js";

type Opts = GlobalOptions & Record<string, unknown>;

function catalogSummary(c: Catalog) {
  const counts = countKinds(c);
  const toVerify = c.items.filter((i) => i.verification === "to-verify").length;
  return {
    id: c.meta.id,
    version: c.meta.version,
    key: c.key,
    title: c.meta.title,
    shortTitle: c.meta.shortTitle,
    publisher: c.meta.publisher,
    published: c.meta.published,
    status: c.meta.status,
    terms: c.meta.terms,
    itemCount: c.items.length,
    kinds: counts,
    verification: {
      checked: c.items.length - toVerify,
      toVerify,
      state: verificationState(c.items.length, toVerify),
    },
    completeness: c.meta.completeness ?? { status: "unstated" },
    source: c.meta.source,
  };
}

/** One word for how far a catalog's wording was compared with a second copy. */
function verificationState(items: number, toVerify: number): "checked" | "partly checked" | "to verify" {
  if (toVerify === 0) return "checked";
  return toVerify === items ? "to verify" : "partly checked";
}

function itemJson(item: CatalogItem) {
  const out: Record<string, unknown> = {
    id: item.id,
    label: item.label,
    kind: item.kind,
    parent: item.parent ?? null,
    title: item.title,
  };
  if (item.text !== undefined) out.text = item.text;
  out.order = item.order;
  out.depth = item.depth;
  out.props = item.props;
  out.verification = item.verification;
  if (item.notes !== undefined) out.notes = item.notes;
  return out;
}

function requireItem(registry: CatalogRegistry, id: string): CatalogItem {
  const item = registry.item(id);
  if (item) return item;
  const colon = id.indexOf(":");
  if (colon < 0)
    throw new CairnError(`"${id}" is not an item id: write <catalog>:<ref>, e.g. nist-ir-8259a:1`);
  const catalog = registry.get(id.slice(0, colon));
  if (!catalog) registry.require(id.slice(0, colon));
  const near = new SearchIndex([catalog as Catalog]).search(id.slice(colon + 1), { limit: 3 });
  const hint = near.length > 0 ? `; did you mean ${near.map((h) => h.item.id).join(", ")}?` : "";
  throw new CairnError(`unknown item "${id}" in ${(catalog as Catalog).key}${hint}`);
}

/** A catalog named by id[@version] from the registry, or by the path of a catalog file. */
function catalogArg(registry: CatalogRegistry, arg: string): Catalog {
  if (/[/\\]|\.(json|ya?ml)$/i.test(arg) && existsSync(arg)) {
    const result = readCatalogFile(arg);
    if (!result.catalog) throw new CairnError(`${arg} is not a valid catalog`, result.problems);
    return result.catalog;
  }
  return registry.require(arg);
}

function showMarkdown(c: Catalog, items: CatalogItem[]): string {
  const lines = [`# ${c.meta.shortTitle ?? c.meta.id}: ${c.meta.title}`, ""];
  lines.push(`- Catalog: \`${c.key}\` (${c.meta.status}, published ${c.meta.published})`);
  lines.push(`- Publisher: ${c.meta.publisher}`);
  lines.push(`- Source: ${c.meta.source.reference}${c.meta.source.url ? ` <${c.meta.source.url}>` : ""}`);
  lines.push(`- Terms: ${c.meta.terms}`, "");
  for (const item of items) {
    const indent = "  ".repeat(item.depth);
    const label = item.label === item.title ? `**${item.label}**` : `**${item.label}** ${item.title}`;
    lines.push(`${indent}- ${label}${item.text ? `: ${item.text.replace(/\s*\n\s*/g, " ")}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

function renderDiff(d: CatalogDiff): string {
  const lines = [
    `${d.from} -> ${d.to}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`,
  ];
  for (const i of d.added) lines.push(`+ ${i.ref}  ${i.title}`);
  for (const i of d.removed) lines.push(`- ${i.ref}  ${i.title}`);
  for (const c of d.changed) {
    lines.push(`~ ${c.ref}`);
    for (const f of c.changes)
      lines.push(`    ${f.field}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}`);
  }
  return lines.join("\n");
}

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("browse, search, validate, diff and import catalogs");

  catalog
    .command("list")
    .description("the bundled catalogs: id, version, status, terms, item count")
    .action((_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const rows = catalogRegistry(opts).list().map(catalogSummary);
      if (opts.json) return print(toJson(rows));
      const columns: Column<(typeof rows)[number]>[] = [
        { header: "ID", value: (r) => r.id },
        { header: "VERSION", value: (r) => r.version },
        { header: "STATUS", value: (r) => r.status },
        { header: "TERMS", value: (r) => r.terms },
        { header: "ITEMS", value: (r) => r.itemCount, align: "right" },
        { header: "TO VERIFY", value: (r) => r.verification.toVerify, align: "right" },
        { header: "VERIFICATION", value: (r) => r.verification.state },
        { header: "CONTENT", value: (r) => r.completeness.status },
        { header: "TITLE", value: (r) => `${r.shortTitle ? `${r.shortTitle}: ` : ""}${r.title}`, max: 60 },
      ];
      print(renderTable(rows, columns));
      // What a catalog is known to lack, or reported to lack: a partial text must not pass for a whole one.
      const gaps = rows.flatMap((r) =>
        ("gaps" in r.completeness ? (r.completeness.gaps ?? []) : []).map(
          (g) => `  ${r.id}: ${g.kind === "missing" ? "missing" : "reported, to verify"}: ${g.description}`,
        ),
      );
      if (gaps.length > 0) print(`\nGaps:\n${gaps.join("\n")}`);
      print(
        `\n${rows.length} catalogs, ${rows.reduce((n, r) => n + r.itemCount, 0)} items. VERIFICATION: wording compared with a second copy (checked) or not yet (to verify); CONTENT: the whole text or part of it. Try: cairn catalog show nist-ir-8259a`,
      );
    });

  catalog
    .command("show")
    .description("a catalog's metadata and items")
    .argument("<catalog>", "catalog id, optionally with @version, or a catalog file")
    .option("--depth <n>", "only items this many levels deep (1 = top level)")
    .option("--format <format>", "table | json | yaml | md", "table")
    .option("-o, --output <file>", "write to a file instead of standard output")
    .action((ref: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const format = opts.json
        ? "json"
        : parseChoice("--format", String(opts.format), ["table", "json", "yaml", "md"] as const);
      const depth = opts.depth !== undefined ? parsePositiveInt("--depth", String(opts.depth)) : undefined;
      const c = catalogArg(catalogRegistry(opts), ref);
      const items = depth === undefined ? c.items : c.items.filter((i) => i.depth < depth);
      const out = opts.output as string | undefined;
      if (format === "json" || format === "yaml") {
        const doc = {
          catalog: { ...c.meta, key: c.key, itemCount: c.items.length },
          items: items.map(itemJson),
        };
        return writeOutput(out, format === "json" ? toJson(doc) : toYaml(doc, { lineWidth: 0 }));
      }
      if (format === "md") return writeOutput(out, showMarkdown(c, items));
      const head = [
        `${c.meta.shortTitle ?? c.meta.id}: ${c.meta.title}`,
        `${c.key}  ${c.meta.status}  published ${c.meta.published}  ${c.meta.publisher}  terms ${c.meta.terms}`,
        `source: ${c.meta.source.reference}`,
        "",
      ].join("\n");
      const table = renderTable(items, [
        { header: "LABEL", value: (i) => `${"  ".repeat(i.depth)}${i.label}`, max: 40 },
        { header: "KIND", value: (i) => i.kind },
        { header: "TITLE", value: (i) => i.title, max: 90 },
      ]);
      writeOutput(out, `${head}${table}\n`);
    });

  catalog
    .command("item")
    .description("one item with its ancestors and children")
    .argument("<item-id>", "e.g. nist-ir-8259a:1, nist-sp-800-53:AC-2(1), etsi-en-303-645:5.1-1")
    .action((id: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const registry = catalogRegistry(opts);
      const item = requireItem(registry, id);
      const c = registry.catalogOf(item);
      const ancestors = registry.ancestors(item);
      const children = registry.children(item);
      if (opts.json) {
        return print(
          toJson({
            catalog: c.key,
            item: itemJson(item),
            ancestors: ancestors.map(itemJson),
            children: children.map(itemJson),
          }),
        );
      }
      const lines: string[] = [];
      for (const a of ancestors)
        lines.push(`${"  ".repeat(a.depth)}${a.label}  ${a.title === a.label ? "" : a.title}`.trimEnd());
      lines.push(
        `${"  ".repeat(item.depth)}> ${item.label}  ${item.title === item.label ? "" : item.title}`.trimEnd(),
      );
      lines.push(
        "",
        `id:           ${item.id}`,
        `catalog:      ${c.key} (${c.meta.shortTitle ?? c.meta.title})`,
      );
      lines.push(`kind:         ${item.kind}`, `verification: ${item.verification}`);
      for (const [k, v] of Object.entries(item.props))
        lines.push(`${`${k}:`.padEnd(14)}${Array.isArray(v) ? v.join(", ") : String(v)}`);
      if (item.text) lines.push("", item.text);
      if (item.notes) lines.push("", `note: ${item.notes}`);
      if (children.length > 0) {
        lines.push("", `children (${children.length}):`);
        for (const ch of children) lines.push(`  ${ch.id}  ${ch.title}`);
      }
      print(lines.join("\n"));
    });

  catalog
    .command("search")
    .description(
      "ranked full-text search over labels, titles and texts, with the field glossary's synonyms and abbreviations (SBOM, VDP, OTA...)",
    )
    .argument(
      "<words...>",
      "words to find; items matching all of them come first, then partial matches (a word also matches longer words it starts)",
    )
    .option("--catalog <id>", "search one catalog only")
    .option("--limit <n>", "how many results", "20")
    .action((words: string[], _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const registry = catalogRegistry(opts);
      const limit = parsePositiveInt("--limit", String(opts.limit));
      const only = opts.catalog as string | undefined;
      if (only) registry.require(only);
      const text = words.join(" ");
      const r = new SearchIndex(registry.latest(), { glossary: loadBundledGlossary() }).query(text, {
        catalog: only,
        limit,
      });
      if (opts.json) {
        return print(
          toJson(
            r.hits.map((h) => ({
              id: h.item.id,
              catalog: h.item.catalogId,
              label: h.item.label,
              kind: h.item.kind,
              title: h.item.title,
              score: Math.round(h.score * 1000) / 1000,
              matched: h.matched,
              missing: h.missing,
            })),
          ),
        );
      }
      const also = r.concepts.filter((c) => c.alsoSearched.length > 0);
      for (const c of also) print(`"${c.text}" also searched as: ${c.alsoSearched.join(", ")}`);
      if (r.hits.length === 0)
        return print(
          `no item matches "${text}"${r.suggestions.length > 0 ? `; try: ${r.suggestions.map((x) => `"${x}"`).join(", ")}` : ""}`,
        );
      print(
        renderTable(r.hits, [
          { header: "SCORE", value: (h) => h.score.toFixed(2), align: "right" },
          { header: "ID", value: (h) => h.item.id, max: 50 },
          { header: "KIND", value: (h) => h.item.kind },
          { header: "TITLE", value: (h) => h.item.title, max: 80 },
          { header: "MISSING", value: (h) => h.missing.join(", "), max: 30 },
        ]),
      );
      if (r.complete < r.total)
        print(
          `${r.complete} of ${r.total} items match every word; the others match some (MISSING says which not)`,
        );
    });

  catalog
    .command("validate")
    .description("validate a catalog file (JSON or YAML) against the catalog schema and its structure rules")
    .argument("<file>")
    .action((file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const wrong = notAFile(file, "catalog file");
      if (wrong) throw new CairnError(wrong, [], 2);
      const result = readCatalogFile(file);
      const c = result.catalog;
      if (opts.json) {
        print(
          toJson({
            file,
            valid: c !== undefined,
            catalog: c ? { id: c.meta.id, version: c.meta.version, itemCount: c.items.length } : null,
            problems: result.problems,
          }),
        );
      } else if (c) {
        print(`${file}: valid catalog ${c.key}, ${c.items.length} items`);
      }
      if (!c) throw new CairnError(`${file} is not a valid catalog`, result.problems);
    });

  catalog
    .command("diff")
    .description("items added, removed and changed between two catalog versions")
    .argument("<from>", "id@version, or a catalog file")
    .argument("<to>", "id@version, or a catalog file")
    .action((a: string, b: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const registry = catalogRegistry(opts);
      const d = diffCatalogs(catalogArg(registry, a), catalogArg(registry, b));
      if (!opts.json) return print(renderDiff(d));
      print(
        toJson({
          from: d.from,
          to: d.to,
          // Versioned ids: a removed item exists only in the older version.
          added: d.added.map((i) => `${d.to}:${i.ref}`),
          removed: d.removed.map((i) => `${d.from}:${i.ref}`),
          changed: d.changed.map((c) => ({ ref: c.ref, changes: c.changes })),
          unchanged: d.unchanged,
        }),
      );
    });

  catalog
    .command("export-oscal")
    .description("a catalog as an OSCAL 1.2.1 catalog (the target of exported Cairn profiles)")
    .argument("<catalog>", "catalog id, optionally with @version")
    .option("-o, --output <file>", "write here (default standard output)")
    .action(async (ref: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const c = catalogArg(catalogRegistry(opts), ref);
      const { exportCatalogToOscal } = await import("../oscal/catalog-export.js");
      const { validateOscal } = await import("../oscal/validate.js");
      const doc = exportCatalogToOscal(c);
      const problems = validateOscal("catalog", doc, `${c.key} (exported)`);
      if (problems.length > 0) throw new CairnError("the exported OSCAL catalog is not valid", problems);
      writeOutput(opts.output as string | undefined, toJson(doc));
    });

  catalog
    .command("import-oscal")
    .description("import an OSCAL catalog (validated against the OSCAL 1.2.1 schema) as a Cairn catalog")
    .argument("<file>", "OSCAL catalog in JSON")
    .option("--id <id>", "id of the Cairn catalog (default: from the OSCAL title)")
    .option("-o, --output <file>", "write the Cairn catalog here (.json or .yaml)")
    .action(async (file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const { importOscalFile } = await import("./oscal-import.js");
      const result = importOscalFile(file, opts.id as string | undefined);
      const out = opts.output as string | undefined;
      if (out) {
        const body = /\.ya?ml$/i.test(out) ? toYaml(result.file, { lineWidth: 0 }) : toJson(result.file);
        writeOutput(out, body);
      }
      const summary = {
        source: file,
        oscalVersion: result.oscalVersion,
        catalog: {
          id: result.catalog.meta.id,
          version: result.catalog.meta.version,
          itemCount: result.catalog.items.length,
        },
        kinds: countKinds(result.catalog),
        output: out ?? null,
      };
      if (opts.json) return print(toJson(summary));
      const kinds = Object.entries(summary.kinds)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ");
      print(`${file}: valid OSCAL ${result.oscalVersion} catalog -> ${result.catalog.key}: ${kinds}`);
      print(out ? `written to ${out}` : "not written: add -o <file> to save it");
    });
}
