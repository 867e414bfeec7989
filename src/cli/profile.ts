import { existsSync } from "node:fs";
import type { Command } from "commander";
import { CairnError, UsageError } from "../core/problem.js";
import type { Profile, ProfileItem } from "../profile/model.js";
import type { RuleSet } from "../profile/rules.js";
import type { GlobalOptions } from "./context.js";
import { parseChoice, print, renderTable, toJson, writeOutput } from "./output.js";

// The implementation is loaded when a command runs, not when the CLI starts: `cairn profile
// resolve` must start, read and resolve the SP 800-53 HIGH baseline well within 150 ms.
const lib = () => import("./profile-lib.js");
type Lib = Awaited<ReturnType<typeof lib>>;

type Opts = GlobalOptions & Record<string, unknown>;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function dateOption(value: unknown): string {
  if (value === undefined) return today();
  const s = String(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s)))
    throw new UsageError(`--date must be YYYY-MM-DD (got "${s}")`);
  return s;
}

function rulesFor(L: Lib, opts: GlobalOptions): RuleSet {
  return L.loadBundledRules(L.catalogRegistry(opts), L.crosswalkSet(opts));
}

/** A profile named by file, or `preset:<id>` for a preset built on the fly. */
export async function profileArg(arg: string, opts: GlobalOptions): Promise<Profile> {
  const L = await lib();
  if (arg.startsWith("preset:")) return presetProfile(L, arg.slice("preset:".length), opts, today());
  if (!existsSync(arg))
    throw new CairnError(
      `no such profile file: ${arg} (or write preset:<name>; see cairn profile presets)`,
      [],
      2,
    );
  return L.readProfileFile(arg);
}

function presetProfile(L: Lib, id: string, opts: GlobalOptions, created: string): Profile {
  const preset = L.loadPresets().find((p) => p.id === id);
  if (!preset)
    throw new UsageError(
      `unknown preset "${id}"; presets: ${L.loadPresets()
        .map((p) => p.id)
        .join(", ")}`,
    );
  return L.profileFromPreset(preset, rulesFor(L, opts), L.catalogRegistry(opts), L.crosswalkSet(opts), {
    id,
    title: preset.title,
    created,
  });
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function profileJson(p: Profile) {
  return p;
}

function summary(p: Profile): string {
  const byCatalog = new Map<string, number>();
  for (const i of p.items) byCatalog.set(i.catalog, (byCatalog.get(i.catalog) ?? 0) + 1);
  const lines = [
    `${p.title} (${p.id}, ${p.created})`,
    `context: C/I/A ${p.context.impact.confidentiality}/${p.context.impact.integrity}/${p.context.impact.availability} -> high-water mark ${p.highWaterMark}, SP 800-53B ${p.baseline}; ${p.context.environment}, ${p.context.connectivity}; data ${p.context.data.join(", ")}; ${p.context.lifetimeYears} years; markets ${p.context.markets.join(", ")}`,
    `requirements: FIPS 140-3 ${p.requirements.fips140_3 ? "yes" : "no"}, ${p.requirements.independentAssessment ? "independent assessment" : "self-attestation"}, support at least ${p.requirements.minSupportYears} years`,
    `items: ${p.items.length} (${[...byCatalog].map(([c, n]) => `${c} ${n}`).join(", ")})`,
  ];
  for (const b of p.requirementsBasis ?? [])
    lines.push(
      `  ${b.requirement}: ${b.rule} (${b.basis === "policy" ? "Cairn policy" : "required by the texts"})`,
    );
  if (p.tailoring.length > 0)
    lines.push(`tailoring: ${p.tailoring.length} change(s), see cairn profile show --json`);
  for (const n of p.notices ?? []) lines.push(`NOTE: ${n}`);
  for (const w of p.warnings) lines.push(`WARNING: ${w}`);
  return lines.join("\n");
}

function itemsTable(items: ProfileItem[]): string {
  return renderTable(items, [
    { header: "ITEM", value: (i) => i.id, max: 40 },
    { header: "STRINGENCY", value: (i) => i.stringency },
    { header: "OBLIGATION", value: (i) => i.obligation },
    { header: "BECAUSE", value: (i) => [...new Set(i.because.map((b) => b.rule))].join(", "), max: 40 },
    { header: "TITLE", value: (i) => i.title, max: 60 },
  ]);
}

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command("profile")
    .description("SP 800-213 profiles: from a device's context to required capabilities");
  registerProfileOscalCommands(profile);
  registerProfileImportCommand(profile);

  profile
    .command("presets")
    .description("the bundled example contexts")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const presets = L.loadPresets();
      if (opts.json) return print(toJson(presets));
      print(
        renderTable(presets, [
          { header: "PRESET", value: (p) => p.id },
          {
            header: "C/I/A",
            value: (p) =>
              `${p.context.impact.confidentiality}/${p.context.impact.integrity}/${p.context.impact.availability}`,
          },
          { header: "MARKETS", value: (p) => p.context.markets.join(",") },
          { header: "TAILORED", value: (p) => (p.tailoring ? "yes" : "") },
          { header: "TITLE", value: (p) => p.title, max: 70 },
        ]),
      );
    });

  profile
    .command("new")
    .description("build a profile from a context (or a preset)")
    .option("--preset <name>", "start from a bundled preset (see cairn profile presets)")
    .option("--name <text>", "device or use-case name")
    .option("--confidentiality <level>", "FIPS 199 impact: low | moderate | high")
    .option("--integrity <level>", "FIPS 199 impact: low | moderate | high")
    .option("--availability <level>", "FIPS 199 impact: low | moderate | high")
    .option("--environment <env>", "operational environment")
    .option("--connectivity <c>", "isolated | internal-network | internet-exposed")
    .option("--data <kinds>", "data processed, comma-separated")
    .option("--lifetime <years>", "expected lifetime in years")
    .option("--market <markets>", "target markets, comma-separated")
    .option(
      "--features <features>",
      "device features some markets need (radio, internet-connected, ...), comma-separated",
    )
    .option("--id <id>", "profile id")
    .option("--date <yyyy-mm-dd>", "creation date recorded in the profile (default today)")
    .option("-o, --output <file>", "write the profile JSON here")
    .addHelpText(
      "after",
      "\nEvery context value is checked against the rules' vocabulary; nothing defaults. With --preset, options given override the preset.",
    )
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const rules = rulesFor(L, opts);
      const preset = opts.preset ? L.loadPresets().find((p) => p.id === opts.preset) : undefined;
      if (opts.preset && !preset)
        throw new UsageError(
          `unknown preset "${String(opts.preset)}"; presets: ${L.loadPresets()
            .map((p) => p.id)
            .join(", ")}`,
        );
      const base: Record<string, unknown> = preset
        ? (structuredClone(preset.context) as unknown as Record<string, unknown>)
        : {};
      const impact = { ...((base.impact as Record<string, unknown>) ?? {}) };
      for (const k of ["confidentiality", "integrity", "availability"])
        if (opts[k] !== undefined) impact[k] = opts[k];
      if (Object.keys(impact).length > 0) base.impact = impact;
      if (opts.name !== undefined) base.name = opts.name;
      if (opts.environment !== undefined) base.environment = opts.environment;
      if (opts.connectivity !== undefined) base.connectivity = opts.connectivity;
      if (opts.data !== undefined) base.data = list(opts.data);
      if (opts.market !== undefined) base.markets = list(opts.market);
      if (opts.features !== undefined) base.features = list(opts.features);
      if (opts.lifetime !== undefined) {
        const n = Number(opts.lifetime);
        base.lifetimeYears = /^\d+$/.test(String(opts.lifetime)) ? n : String(opts.lifetime);
      }
      const { context, problems } = L.checkContext(base, rules, "context");
      if (!context) throw new CairnError("the context is incomplete or invalid", problems);
      const id = String(
        opts.id ??
          preset?.id ??
          (context.name
            ? context.name
                .toLowerCase()
                .replace(/[^a-z0-9]+/g, "-")
                .replace(/^-|-$/g, "")
            : "profile"),
      );
      const built = L.buildProfile(context, rules, L.catalogRegistry(opts), L.crosswalkSet(opts), {
        id: id || "profile",
        title: preset?.title ?? context.name ?? id,
        created: dateOption(opts.date),
      });
      // A preset's documented tailoring (e.g. the guide's minimal sensor set) is applied and logged.
      const p = preset?.tailoring
        ? L.applyPresetTailoring(built, preset.tailoring, L.catalogRegistry(opts))
        : built;
      const out = opts.output as string | undefined;
      if (out) writeOutput(out, toJson(profileJson(p)));
      if (opts.json)
        return out ? print(toJson({ written: out, items: p.items.length })) : print(toJson(profileJson(p)));
      print(summary(p));
      if (out) print(`written to ${out}`);
      else print("\n(add -o profile.json to save it; cairn profile show|explain|clauses read it)");
    });

  profile
    .command("show")
    .description("a profile's context, requirements and items")
    .argument("<profile>", "profile file, or preset:<name>")
    .action(async (arg: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const _L = await lib();
      const p = await profileArg(arg, opts);
      if (opts.json) return print(toJson(p));
      print(`${summary(p)}\n\n${itemsTable(p.items)}`);
    });

  profile
    .command("explain")
    .description("why the profile holds an item (or every item): the rules and controls that selected it")
    .argument("<profile>", "profile file, or preset:<name>")
    .argument("[item-id]")
    .action(async (arg: string, itemId: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const p = await profileArg(arg, opts);
      const rules = rulesFor(L, opts);
      let ids: string[] | undefined;
      if (itemId) {
        const item = L.catalogRegistry(opts).item(itemId);
        ids = [item?.id ?? itemId];
        if (!p.items.some((i) => i.id === ids?.[0]))
          throw new CairnError(`${itemId} is not in profile ${p.id}`);
      }
      const explained = L.explainItems(p, rules, ids);
      if (opts.json) return print(toJson(explained));
      const lines: string[] = [];
      for (const e of explained) {
        lines.push(`${e.id}  ${e.title}`, `  stringency ${e.stringency}, ${e.method}, ${e.obligation}`);
        for (const b of e.because) {
          lines.push(`  because ${b.rule}: ${b.title}${b.note ? ` (${b.note})` : ""}`);
          if (b.controls) lines.push(`    SP 800-53 ${p.baseline} controls: ${b.controls.join(", ")}`);
          if (b.rows) lines.push(`    mapping rows: ${b.rows.join(", ")}`);
          if (b.rationale && itemId) lines.push(`    ${b.rationale}`);
        }
      }
      print(lines.join("\n"));
    });

  profile
    .command("tailor")
    .description("add or remove an item, with a rationale and an author kept in the profile's log")
    .argument("<profile>", "profile file (rewritten unless -o is given)")
    .option("--add <item-id>", "item to add")
    .option("--remove <item-id>", "item to remove")
    .requiredOption("--rationale <text>", "why (mandatory)")
    .requiredOption("--author <name>", "who (mandatory)")
    .option("--date <yyyy-mm-dd>", "date of the change (default today)")
    .option("-o, --output <file>", "write the tailored profile here instead of over the input")
    .action(async (arg: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      if ((opts.add === undefined) === (opts.remove === undefined))
        throw new UsageError("give exactly one of --add or --remove");
      const p = L.readProfileFile(arg);
      const next = L.tailor(p, L.catalogRegistry(opts), {
        action: opts.add !== undefined ? "add" : "remove",
        item: String(opts.add ?? opts.remove),
        rationale: String(opts.rationale),
        author: String(opts.author),
        at: dateOption(opts.date),
      });
      const out = (opts.output as string | undefined) ?? arg;
      writeOutput(out, toJson(next));
      const newWarnings = next.warnings.slice(p.warnings.length);
      if (opts.json)
        return print(toJson({ written: out, items: next.items.length, warnings: next.warnings }));
      print(`${out}: ${next.items.length} items, ${next.tailoring.length} tailoring entries`);
      for (const w of newWarnings) print(`WARNING: ${w}`);
    });

  profile
    .command("diff")
    .description("what changes between two profiles")
    .argument("<a>", "profile file, or preset:<name>")
    .argument("<b>", "profile file, or preset:<name>")
    .action(async (a: string, b: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const d = L.diffProfiles(await profileArg(a, opts), await profileArg(b, opts));
      if (opts.json) {
        return print(toJson({ ...d, added: d.added.map((i) => i.id), removed: d.removed.map((i) => i.id) }));
      }
      const lines: string[] = [];
      for (const c of d.context)
        lines.push(`context ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
      if (d.baseline) lines.push(`baseline: ${d.baseline.before} -> ${d.baseline.after}`);
      for (const c of d.requirements)
        lines.push(`requirement ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
      lines.push(`items: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
      for (const i of d.added) lines.push(`+ ${i.id}  ${i.title}`);
      for (const i of d.removed) lines.push(`- ${i.id}  ${i.title}`);
      for (const c of d.changed)
        lines.push(`~ ${c.id}  ${c.changes.map((x) => `${x.field} ${x.before} -> ${x.after}`).join("; ")}`);
      print(lines.join("\n"));
    });

  profile
    .command("clauses")
    .description("the profile as acquisition requirements in contract language")
    .argument("<profile>", "profile file, or preset:<name>")
    .option("--format <format>", "md | html", "md")
    .option("-o, --output <file>")
    .action(async (arg: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const format = parseChoice("--format", String(opts.format), ["md", "html"] as const);
      const p = await profileArg(arg, opts);
      const registry = L.catalogRegistry(opts);
      const c = L.acquisitionClauses(p, registry);
      if (opts.json) return writeOutput(opts.output as string | undefined, toJson(c));
      writeOutput(
        opts.output as string | undefined,
        format === "md" ? L.clausesToMarkdown(c, p, registry) : L.clausesToHtml(c, p, registry),
      );
    });
}

export function registerProfileOscalCommands(profile: Command): void {
  profile
    .command("export-oscal")
    .description(
      "the profile as an OSCAL 1.2.1 profile (imports the catalogs' OSCAL exports: cairn catalog export-oscal)",
    )
    .argument("<profile>", "profile file, or preset:<name>")
    .option("-o, --output <file>")
    .option("--no-validate", "skip validation against the OSCAL profile schema")
    .action(async (arg: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const p = await profileArg(arg, opts);
      const L = await lib();
      const { exportProfileToOscal } = await import("../oscal/profile-export.js");
      const doc = exportProfileToOscal(p, L.catalogRegistry(opts));
      if (opts.validate !== false) {
        const { validateOscal } = await import("../oscal/validate.js");
        const problems = validateOscal("profile", doc, `${arg} (exported)`);
        if (problems.length > 0) throw new CairnError("the exported OSCAL profile is not valid", problems);
      }
      writeOutput(opts.output as string | undefined, toJson(doc));
    });

  profile
    .command("resolve")
    .description("resolve an OSCAL profile into a catalog (NIST's profile resolution specification)")
    .argument("<oscal-profile>", "OSCAL profile JSON")
    .option(
      "--catalog <file>",
      "local file for an imported catalog or profile, matched by file name (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--import-root <folder>",
      "another folder imports may read from (repeatable; the profile's folder and the --catalog files' folders always may)",
      collect,
      [] as string[],
    )
    .option("-o, --output <file>", "write the resolved catalog here")
    .option(
      "--validate",
      "also validate the profile and the resolved catalog against the OSCAL 1.2.1 schemas",
    )
    .option(
      "--date <date-time>",
      "last-modified of the resolved catalog (default now; a date means midnight UTC)",
    )
    .option(
      "--flat-nesting <how>",
      "merge flat: keep child controls in their parent (keep, the default) or unnest them (unnest)",
    )
    .option("--timeout <seconds>", "stop a resolution that takes longer (default 10)")
    .action(async (file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const R = await import("./oscal-resolve.js");
      const lastModified = R.lastModifiedOption(opts.date);
      const flatNesting =
        opts.flatNesting === undefined
          ? undefined
          : parseChoice("--flat-nesting", String(opts.flatNesting), ["keep", "unnest"] as const);
      const timeMs = secondsOption(opts.timeout);
      const doc = R.readProfileFile(file);
      if (opts.validate) {
        const { validateOscal } = await import("../oscal/validate.js");
        const problems = validateOscal("profile", doc, file);
        if (problems.length > 0) throw new CairnError(`${file} is not a valid OSCAL profile`, problems);
      }
      const { result, warnings } = R.resolveProfileFile(file, doc, {
        catalogs: opts.catalog as string[],
        importRoots: opts.importRoot as string[],
        ...(lastModified ? { lastModified } : {}),
        ...(flatNesting ? { flatNesting } : {}),
        ...(timeMs ? { timeMs } : {}),
      });
      for (const p of warnings) process.stderr.write(`${p.severity}: ${p.location ?? ""} ${p.message}\n`);
      const invalid = R.writtenCatalogProblems(result.document, `${file} (resolved)`);
      if (invalid.length > 0) throw new CairnError("the resolved catalog is not valid OSCAL", invalid);
      if (opts.validate) {
        const { validateOscal } = await import("../oscal/validate.js");
        const problems = validateOscal("catalog", result.document, `${file} (resolved)`);
        if (problems.length > 0) throw new CairnError("the resolved catalog is not valid OSCAL", problems);
      }
      const out = opts.output as string | undefined;
      writeOutput(out, JSON.stringify(result.document));
      if (out) {
        let controls = 0;
        const count = (x: { controls?: unknown[]; groups?: unknown[] }): void => {
          for (const c of (x.controls ?? []) as { controls?: unknown[] }[]) {
            controls++;
            count(c);
          }
          for (const g of (x.groups ?? []) as { controls?: unknown[]; groups?: unknown[] }[]) count(g);
        };
        count(result.catalog as never);
        const summary = { resolved: file, output: out, controls, problems: result.problems.length };
        print(opts.json ? toJson(summary) : `${file} -> ${out}: ${controls} controls`);
      }
    });
}

const collect = (v: string, p: string[]) => [...p, v];

function secondsOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new UsageError(`--timeout must be a number of seconds between 0 and 3600, got "${String(value)}"`);
  return Math.round(n * 1000);
}

export function registerProfileImportCommand(profile: Command): void {
  profile
    .command("import-oscal")
    .description(
      "import an OSCAL profile (a Cairn export, or e.g. an SP 800-53B baseline) as a Cairn profile",
    )
    .argument("<oscal-profile>", "OSCAL profile JSON")
    .option(
      "--catalog <file>",
      "local file for an imported catalog (repeatable); Cairn's own catalogs need none",
      collect,
      [] as string[],
    )
    .option(
      "--import-root <folder>",
      "another folder imports may read from (repeatable)",
      collect,
      [] as string[],
    )
    .option("--preset <name>", "device context to use when the OSCAL profile carries none")
    .option("--id <id>", "profile id")
    .option("--date <yyyy-mm-dd>", "creation date (default today)")
    .option("-o, --output <file>", "write the Cairn profile here")
    .action(async (file: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const R = await import("./oscal-resolve.js");
      const { exportCatalogToOscal } = await import("../oscal/catalog-export.js");
      const { selectionFromResolved } = await import("../oscal/profile-import.js");
      const { CAIRN_NS } = await import("../oscal/ids.js");
      const registry = L.catalogRegistry(opts);
      const doc = R.readProfileFile(file) as {
        profile?: {
          metadata?: { title?: string; props?: { name: string; ns?: string; value: string }[] };
          "back-matter"?: {
            resources?: {
              props?: { name: string; ns?: string; value: string }[];
              rlinks?: { href: string }[];
            }[];
          };
        };
      };
      if (!doc.profile) throw new CairnError(`${file}: not an OSCAL profile (no top-level "profile")`);
      // Imports of Cairn's own catalogs are served from the registry, not from files.
      const cairnCatalogs = new Map<string, string>();
      for (const r of doc.profile["back-matter"]?.resources ?? []) {
        const key = r.props?.find((p) => p.name === "cairn-catalog" && p.ns === CAIRN_NS)?.value;
        for (const link of r.rlinks ?? []) if (key) cairnCatalogs.set(link.href.replace(/^.*\//, ""), key);
      }
      // Cairn's catalogs are exported once each: the same object for every import of one, so that
      // the resolver indexes it once.
      const exported = new Map<string, unknown>();
      const { result } = R.resolveProfileFile(file, doc, {
        catalogs: opts.catalog as string[],
        importRoots: opts.importRoot as string[],
        lastModified: `${dateOption(opts.date)}T00:00:00Z`,
        before: (href) => {
          const key = cairnCatalogs.get(href.replace(/^.*\//, ""));
          if (!key) return undefined;
          if (!exported.has(key)) exported.set(key, exportCatalogToOscal(registry.require(key)));
          return exported.get(key);
        },
      });
      const catalogs =
        cairnCatalogs.size > 0
          ? [...new Set([...cairnCatalogs.values()].map((k) => k.slice(0, k.indexOf("@"))))]
          : ["nist-sp-800-53"];
      const { selections, problems } = selectionFromResolved(result.catalog, registry, catalogs);
      if (problems.length > 0) throw new CairnError(`${file}: some controls match no Cairn item`, problems);

      const meta = new Map(
        (doc.profile.metadata?.props ?? []).filter((p) => p.ns === CAIRN_NS).map((p) => [p.name, p.value]),
      );
      const all = (name: string) =>
        (doc.profile?.metadata?.props ?? [])
          .filter((p) => p.ns === CAIRN_NS && p.name === name)
          .map((p) => p.value);
      const rules = rulesFor(L, opts);
      let contextValue: unknown;
      if (meta.has("environment")) {
        contextValue = {
          impact: {
            confidentiality: meta.get("confidentiality"),
            integrity: meta.get("integrity"),
            availability: meta.get("availability"),
          },
          environment: meta.get("environment"),
          connectivity: meta.get("connectivity"),
          data: all("data"),
          lifetimeYears: Number(meta.get("lifetime-years")),
          markets: all("market"),
          ...(meta.has("device-name") ? { name: meta.get("device-name") } : {}),
        };
      } else if (opts.preset) {
        contextValue = L.loadPresets().find((p) => p.id === opts.preset)?.context;
        if (!contextValue) throw new UsageError(`unknown preset "${String(opts.preset)}"`);
      } else {
        throw new CairnError(
          `${file} carries no device context: give --preset <name> so that the imported items sit in a profile (SP 800-213 profiles are made for a context)`,
        );
      }
      const { context, problems: ctxProblems } = L.checkContext(contextValue, rules, `${file} context`);
      if (!context) throw new CairnError(`${file}: the device context is invalid`, ctxProblems);
      const title = doc.profile.metadata?.title ?? file;
      const base = L.buildProfile(context, rules, registry, L.crosswalkSet(opts), {
        id: String(
          opts.id ??
            (title
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, "-")
              .replace(/^-|-$/g, "")
              .slice(0, 80) ||
              "imported"),
        ),
        title,
        created: dateOption(opts.date),
      });
      const method = base.requirements.independentAssessment ? "independent-assessment" : "self-attestation";
      base.items = selections.map((s) => ({
        id: s.item.id,
        catalog: s.item.catalogId,
        label: s.item.label,
        title: s.item.title,
        kind: s.item.kind,
        stringency: s.stringency ?? "moderate",
        method: s.method ?? method,
        ...L.obligationFields(s.item),
        ...(s.obligation ? { obligation: s.obligation } : {}),
        evidence: [],
        because: [{ rule: "OSCAL-IMPORT", note: `selected by OSCAL profile "${title}"` }],
      }));
      // The engine's order: catalogs as the rules select them for this context, items in catalog
      // order (a resolved OSCAL catalog lists top-level controls before groups).
      const catalogOrder = Object.keys(base.catalogs);
      const rank = (c: string) => (catalogOrder.includes(c) ? catalogOrder.indexOf(c) : catalogOrder.length);
      const position = (id: string) => {
        const item = registry.item(id);
        return item ? registry.catalogOf(item).items.indexOf(item) : 0;
      };
      base.items.sort((x, y) => rank(x.catalog) - rank(y.catalog) || position(x.id) - position(y.id));
      base.catalogs = Object.fromEntries(
        [...new Set(base.items.map((i) => i.catalog))].map((c) => [c, registry.require(c).meta.version]),
      );
      const out = opts.output as string | undefined;
      if (out) writeOutput(out, toJson(base));
      if (opts.json) return print(out ? toJson({ written: out, items: base.items.length }) : toJson(base));
      print(
        `${file}: ${base.items.length} items from ${Object.keys(base.catalogs).join(", ")}${out ? ` -> ${out}` : ""}`,
      );
    });
}
