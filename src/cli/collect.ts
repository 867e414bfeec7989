import { type Command, Help, Option } from "commander";
import type {
  CollectorContext,
  CollectorLimits,
  CollectorOption,
  CollectorReport,
} from "../collect/contract.js";
import { DEFAULT_LIMITS } from "../collect/contract.js";
import { CairnError, UsageError } from "../core/problem.js";
import type { GlobalOptions } from "./context.js";
import { parsePositiveInt, print, renderTable, setExitCode, toJson } from "./output.js";

type Opts = GlobalOptions & Record<string, unknown>;
const repeat = (v: string, prev: string[] = []) => [...prev, v];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function isoDate(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s)))
    throw new CairnError(`${name} must be YYYY-MM-DD (got "${s}")`);
  return s;
}

function limitsOf(opts: Opts): Partial<CollectorLimits> {
  const out: Partial<CollectorLimits> = {};
  if (opts.maxInputMb !== undefined)
    out.maxInputBytes = parsePositiveInt("--max-input-mb", String(opts.maxInputMb)) * 1024 * 1024;
  if (opts.timeoutS !== undefined)
    out.timeoutMs = parsePositiveInt("--timeout-s", String(opts.timeoutS)) * 1000;
  if (opts.maxHeapMb !== undefined) out.maxHeapMb = parsePositiveInt("--max-heap-mb", String(opts.maxHeapMb));
  return out;
}

/** What the collector may know of the assessment: from the options (an --assessment folder will add to it). */
function contextOf(
  opts: Opts,
  collectorOptions: readonly CollectorOption[],
): Omit<CollectorContext, "progress"> {
  const context: Omit<CollectorContext, "progress"> = { date: isoDate(opts.date, "--date") ?? today() };
  if (opts.model !== undefined || opts.manufacturer !== undefined)
    context.product = { manufacturer: String(opts.manufacturer ?? ""), model: String(opts.model ?? "") };
  if (opts.release !== undefined) {
    const releaseDate = isoDate(opts.releaseDate, "--release-date");
    const supportEnd = isoDate(opts.supportEnd, "--support-end");
    context.release = {
      version: String(opts.release),
      ...(releaseDate ? { date: releaseDate } : {}),
      ...(supportEnd ? { supportEnd } : {}),
    };
  }
  const options: Record<string, unknown> = {};
  for (const o of collectorOptions)
    if (opts[camel(o.name)] !== undefined) options[o.name] = opts[camel(o.name)];
  context.options = options;
  return context;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const MARK: Record<string, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", info: "INFO" };

/** The terminal rendering: verdict line, failing and warning checks first, proposals, and the kind's findings. */
export function renderReport(r: CollectorReport): string {
  const lines: string[] = [];
  const counts = { pass: 0, fail: 0, warn: 0, info: 0 };
  for (const c of r.checks) counts[c.result]++;
  const size =
    r.input.bytes < 1024 * 1024
      ? `${(r.input.bytes / 1024).toFixed(1)} KiB`
      : `${(r.input.bytes / 2 ** 20).toFixed(1)} MiB`;
  lines.push(
    `${r.input.name ?? "input"}: ${r.kind} ${r.format}, ${r.valid ? "valid" : "INVALID"} (${size}, sha256 ${r.input.sha256.slice(0, 16)}...)`,
  );
  lines.push(`checks: ${counts.fail} fail, ${counts.warn} warn, ${counts.pass} pass, ${counts.info} info`);
  const order = { fail: 0, warn: 1, info: 2, pass: 3 };
  const sorted = [...r.checks].sort((a, b) => order[a.result] - order[b.result]);
  lines.push(
    renderTable(sorted, [
      { header: "", value: (c) => MARK[c.result] ?? c.result },
      { header: "CHECK", value: (c) => c.id },
      { header: "RESULT", value: (c) => `${c.message}${c.location ? `  [${c.location}]` : ""}`, max: 160 },
    ]).replace(/^\s*CHECK\s+RESULT\n/, ""),
  );
  if (r.proposals.length > 0) {
    lines.push("", "proposals (a person decides; recorded verdicts are never overridden):");
    lines.push(
      renderTable(r.proposals, [
        { header: "ITEM", value: (p) => p.item },
        { header: "VERDICT", value: (p) => p.verdict },
        { header: "STRENGTH", value: (p) => p.strength },
        { header: "WHY", value: (p) => p.reason, max: 140 },
      ]),
    );
  }
  const v = r.vulnerabilities as
    | {
        matches?: {
          component: { name: string };
          advisory: string;
          aliases: string[];
          kev?: { cve: string };
          status: string;
          vex: { status: string; format: string }[];
          fixed: string[];
          by: string;
        }[];
      }
    | undefined;
  if (v?.matches && v.matches.length > 0) {
    lines.push("", "vulnerabilities:");
    lines.push(
      renderTable(v.matches, [
        { header: "COMPONENT", value: (m) => m.component.name, max: 50 },
        { header: "ADVISORY", value: (m) => [m.advisory, ...m.aliases.slice(0, 1)].join(" "), max: 40 },
        { header: "KEV", value: (m) => (m.kev ? "yes" : "") },
        { header: "BY", value: (m) => m.by },
        { header: "STATUS", value: (m) => m.status },
        { header: "VEX", value: (m) => m.vex.map((x) => `${x.status} (${x.format})`).join(", "), max: 40 },
        { header: "FIXED IN", value: (m) => m.fixed.join(", "), max: 30 },
      ]),
    );
  }
  if (r.tags && r.tags.length > 0) lines.push("", `evidence tags: ${r.tags.join(", ")}`);
  return lines.join("\n");
}

export async function registerCollectCommands(program: Command): Promise<void> {
  const { collectorKinds, loadCollectors } = await import("../collect/registry.js");
  const collectors = await loadCollectors();
  // Kinds may share an option name (--keys: security-txt and firmware; --trust: mud and x509): one
  // flag, described per kind, shown under a heading naming the kinds that read it.
  const options = new Map<string, CollectorOption>();
  const readers = new Map<string, { kind: string; option: CollectorOption }[]>();
  for (const c of collectors)
    for (const o of c.options ?? []) {
      if (!options.has(o.name)) options.set(o.name, o);
      readers.set(o.name, [...(readers.get(o.name) ?? []), { kind: c.kind, option: o }]);
    }

  const cmd = program
    .command("collect")
    .description(
      "read an artifact (SBOM, security.txt, CSAF advisory, MUD file, device certificates, signed firmware, scanner results), check it and propose findings with their strength",
    )
    .argument(
      "<kind-or-file>",
      `collector kind (${collectorKinds().join(", ")}), or the file when the kind is detected`,
    )
    .argument("[file]", "the file to collect from")
    .option(
      "--assessment <folder>",
      "store the file as evidence of this assessment folder and its proposals for the profile's items (a person accepts them: cairn assess proposals); the product and release come from it",
    )
    .option("--by <name>", "who stores them, with --assessment (default $CAIRN_USER or the login name)")
    .option("--date <yyyy-mm-dd>", "the day the checks are judged on (default today)")
    .option("--manufacturer <name>", "the product's manufacturer, compared with what the input names")
    .option("--model <name>", "the product model, compared with what the input names")
    .option("--release <version>", "the release under assessment, compared with what the input names")
    .option("--release-date <yyyy-mm-dd>")
    .option("--support-end <yyyy-mm-dd>", "the release's declared end of security updates")
    .option(
      "--max-input-mb <n>",
      `largest input accepted (default ${DEFAULT_LIMITS.maxInputBytes / 2 ** 20})`,
    )
    .option("--timeout-s <n>", `wall-clock limit of the run (default ${DEFAULT_LIMITS.timeoutMs / 1000})`)
    .option(
      "--max-heap-mb <n>",
      `heap limit of the worker running the collector (default ${DEFAULT_LIMITS.maxHeapMb})`,
    );
  const optionOwners = new Map<Option, { kind: string; option: CollectorOption }[]>();
  for (const o of options.values()) {
    const by = readers.get(o.name) ?? [];
    const description =
      by.length > 1 ? by.map((r) => `${r.kind}: ${r.option.description}`).join("; ") : o.description;
    const option = new Option(`--${o.name} ${o.arg}`, description).helpGroup(
      `${by.map((r) => r.kind).join(" and ")} options:`,
    );
    if (o.repeatable) option.argParser(repeat);
    else if (o.default !== undefined) option.default(o.default);
    cmd.addOption(option);
    optionOwners.set(option, by);
  }
  // `cairn collect <kind> --help` shows that kind's options only, each with that kind's description;
  // commander has read the operands when it prints help, so the kind is the first of them.
  const inherited = cmd.configureHelp();
  cmd.configureHelp({
    ...inherited,
    visibleOptions(this: Help, c: Command): Option[] {
      const all = (inherited.visibleOptions ?? Help.prototype.visibleOptions).call(this, c);
      const kind = c.args[0];
      if (c !== cmd || kind === undefined || !collectors.some((x) => x.kind === kind)) return all;
      return all.flatMap((o) => {
        const owners = optionOwners.get(o);
        if (!owners) return [o];
        const mine = owners.find((r) => r.kind === kind);
        if (!mine) return [];
        return [new Option(o.flags, mine.option.description).helpGroup(`${kind} options:`)];
      });
    },
  });
  const width = Math.max(...collectors.map((c) => c.kind.length));
  cmd.addHelpText(
    "after",
    `\nKinds (detected from the file when not named):\n${collectors.map((c) => `  ${c.kind.padEnd(width)}  ${c.title}`).join("\n")}\n\nExit codes: 0 valid with no failing check, 1 invalid input, a bad option value, a failing check or a limit hit, 2 usage, 3 internal error.\nCheck ids, options and limits: docs/collectors.md.`,
  );
  cmd.action(async (first: string, second: string | undefined, _o: unknown, command: Command) => {
    const opts = command.optsWithGlobals<Opts>();
    const kinds = collectorKinds();
    let kind: string | undefined;
    let file: string;
    if (second !== undefined) {
      if (!kinds.includes(first))
        throw new UsageError(`unknown collector kind "${first}" (kinds: ${kinds.join(", ")})`);
      kind = first;
      file = second;
    } else file = first;
    const collectorOptions = kind
      ? (collectors.find((c) => c.kind === kind)?.options ?? [])
      : [...options.values()];
    if (kind)
      for (const o of options.values())
        if (opts[camel(o.name)] !== undefined && !collectorOptions.some((x) => x.name === o.name))
          throw new UsageError(
            `--${o.name} is not an option of ${kind} (it is one of ${(readers.get(o.name) ?? []).map((r) => r.kind).join(", ")})`,
          );
    let context = contextOf(opts, collectorOptions);
    const into = opts.assessment === undefined ? undefined : String(opts.assessment);
    if (into !== undefined) {
      const { readAssessmentFolder } = await import("../assessment/store.js");
      const { assessmentContext } = await import("./collect-assessment.js");
      // Read first: a folder that is not an assessment is refused before the collector runs.
      context = assessmentContext(readAssessmentFolder(into).assessment, context);
    }
    const limits = limitsOf(opts);
    const { runCollector } = await import("../collect/run.js");
    const { progress } = await import("./progress.js");
    const bar = progress("cairn collect");
    const result = await runCollector({
      ...(kind ? { kind } : {}),
      file,
      context,
      limits,
      // A count without a total says nothing on the line: only "done of total" is drawn.
      onProgress: (p) => bar.update(p.phase, p.total ? p.done : undefined, p.total),
    }).finally(() => bar.stop());
    if (!result.ok) {
      const f = result.failure;
      if (f.code === "usage") throw new UsageError(f.message);
      if (f.code === "internal") {
        const err = new Error(`collector failed: ${f.message}`);
        if (f.stack) err.stack = f.stack;
        throw err;
      }
      throw new CairnError(f.message, f.problems ?? []);
    }
    const r = result.report;
    let stored: Awaited<ReturnType<typeof import("./collect-assessment.js").storeCollected>> | undefined;
    if (into !== undefined) {
      const { storeCollected } = await import("./collect-assessment.js");
      stored = await storeCollected(into, file, r, {
        ...(opts.by !== undefined ? { by: String(opts.by) } : {}),
        ...(opts.date !== undefined ? { date: String(opts.date) } : {}),
      });
    }
    if (opts.json) print(toJson(stored ? { ...r, stored } : r));
    else {
      print(renderReport(r));
      if (stored)
        print(
          `\nstored in ${into}: evidence ${stored.evidence}; ${stored.proposals.length} proposal(s) to decide${stored.proposals.length > 0 ? ` (${stored.proposals.join(", ")}; cairn assess proposals ${into})` : ""}${stored.dropped.length > 0 ? `; ${stored.dropped.length} left out, not in the profile: ${stored.dropped.join(", ")}` : ""}`,
        );
    }
    if (!r.valid || r.checks.some((c) => c.result === "fail")) setExitCode(1);
  });
}

export function registerFeedsCommands(program: Command): void {
  const feeds = program
    .command("feeds")
    .description("offline vulnerability feeds (OSV, NVD CVE API 2.0, CISA KEV): never fetched, imported");
  feeds
    .command("import")
    .description("import a feed file, a zip of OSV records, or every feed file of a folder")
    .argument("<file-or-folder>")
    .option("--data <folder>", "feeds folder (default ./.cairn/feeds, or $CAIRN_FEEDS)")
    .action(async (path: string, _o: unknown, command: Command) => {
      const opts = command.optsWithGlobals<Opts>();
      const { feedsDir, importFeeds } = await import("../collect/vulns/feed-store.js");
      const dir = feedsDir(opts.data as string | undefined);
      const results = await importFeeds(path, dir, new Date().toISOString());
      const problems = results.flatMap((r) => r.problems);
      if (opts.json) print(toJson({ dir, imports: results }));
      else {
        print(
          renderTable(results, [
            { header: "FILE", value: (r) => r.file, max: 60 },
            { header: "KIND", value: (r) => r.kind ?? "-" },
            { header: "RECORDS", value: (r) => r.records, align: "right" },
            { header: "REJECTED", value: (r) => r.rejected, align: "right" },
            { header: "FEED DATE", value: (r) => r.feedDate?.slice(0, 10) ?? "" },
            { header: "STATUS", value: (r) => r.skipped ?? "imported" },
          ]),
        );
        for (const p of problems.slice(0, 20))
          process.stderr.write(`  ${p.source ?? ""}${p.location ? ` ${p.location}` : ""}: ${p.message}\n`);
        print(`feeds folder: ${dir}`);
      }
      if (problems.length > 0 || results.some((r) => r.skipped === "not a feed")) setExitCode(1);
    });
  feeds
    .command("list")
    .description("the imported feeds, with their counts and dates")
    .option("--data <folder>", "feeds folder (default ./.cairn/feeds, or $CAIRN_FEEDS)")
    .action(async (_o: unknown, command: Command) => {
      const opts = command.optsWithGlobals<Opts>();
      const { feedsDir, listFeeds } = await import("../collect/vulns/feed-store.js");
      const dir = feedsDir(opts.data as string | undefined);
      const list = listFeeds(dir);
      if (opts.json) return print(toJson({ dir, feeds: list }));
      if (list.length === 0) return print(`no feeds imported in ${dir} (cairn feeds import <file|folder>)`);
      print(
        renderTable(list, [
          { header: "KIND", value: (f) => f.kind },
          { header: "FILE", value: (f) => f.file, max: 60 },
          { header: "RECORDS", value: (f) => f.records, align: "right" },
          { header: "FEED DATE", value: (f) => f.feedDate?.slice(0, 10) ?? "" },
          { header: "OLDEST", value: (f) => f.oldestRecord?.slice(0, 10) ?? "" },
          { header: "IMPORTED", value: (f) => f.imported.slice(0, 10) },
        ]),
      );
    });
}
