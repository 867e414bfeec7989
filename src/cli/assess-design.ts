/**
 * `cairn assess measure|risk|proposals|plan`: the guide's step 2 (design measures, risk register),
 * crosswalk reuse inside an assessment, and the path through the four steps. Every change is a
 * command of the assessment core, as on the server.
 */
import type { Command } from "commander";
import type { AssessmentCommand, ChangeContext, NewLink } from "../assessment/changes.js";
import type { Assessment, Coverage, Proposal, RiskLevel } from "../assessment/model.js";
import {
  COVERAGES,
  MEASURE_KINDS,
  MEASURE_VERDICTS,
  METHODS,
  RISK_DECISIONS,
  RISK_LEVELS,
} from "../assessment/model.js";
import { CairnError, UsageError } from "../core/problem.js";
import type { Profile } from "../profile/model.js";
import { assessmentFolder, withAssessmentFolder } from "./assessment-arg.js";
import type { GlobalOptions } from "./context.js";
import { parseChoice, print, renderTable, toJson } from "./output.js";

const lib = () => import("./assess-lib.js");
type Opts = GlobalOptions & Record<string, unknown>;
const collect = (v: string, prev: string[]) => [...prev, v];

export interface DesignHelpers {
  context(opts: Opts): ChangeContext;
  /** Resolves an item the user typed against the profile. */
  itemOf(input: string, profile: Profile, opts: Opts): Promise<string>;
}

/** `--link item[=full|partial]`: full unless said. */
async function linksOf(values: string[], profile: Profile, opts: Opts, h: DesignHelpers): Promise<NewLink[]> {
  const out: NewLink[] = [];
  for (const v of values) {
    const at = v.lastIndexOf("=");
    const item = at > 0 ? v.slice(0, at) : v;
    const coverage: Coverage = at > 0 ? parseChoice("--link coverage", v.slice(at + 1), COVERAGES) : "full";
    out.push({ item: await h.itemOf(item, profile, opts), coverage });
  }
  return out;
}

export function registerDesignCommands(assess: Command, h: DesignHelpers): void {
  const measure = assess
    .command("measure")
    .description(
      "design measures (step 2): mechanisms and processes, the items they implement, their verification",
    );

  withAssessmentFolder(measure.command("add").description("add a measure, by hand or from the library"))
    .option("--from-library <id>", "a measure of the library (cairn assess measure library)")
    .option("--title <text>")
    .option("--description <text>")
    .option("--owner <name>")
    .option("--kind <kind>", MEASURE_KINDS.join(" | "))
    .option(
      "--link <item[=coverage]>",
      "an item it implements, full (default) or partial (repeatable)",
      collect,
      [],
    )
    .option("--evidence-id <id>", "an evidence record documenting it (repeatable)", collect, [])
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const { profile } = await handle.read();
      const entry = opts.fromLibrary === undefined ? undefined : L.libraryMeasure(String(opts.fromLibrary));
      if (opts.fromLibrary !== undefined && !entry)
        throw new CairnError(
          `--from-library: no measure "${String(opts.fromLibrary)}" in the library (cairn assess measure library)`,
        );
      const title = opts.title !== undefined ? String(opts.title) : entry?.title;
      if (!title) throw new UsageError("give --title or --from-library");
      const links = await linksOf(opts.link as string[], profile, opts, h);
      const evidence = opts.evidenceId as string[];
      const given = {
        ...(opts.title !== undefined ? { title: String(opts.title) } : {}),
        ...(opts.description !== undefined ? { description: String(opts.description) } : {}),
        ...(opts.owner !== undefined ? { owner: String(opts.owner) } : {}),
        ...(opts.kind !== undefined ? { kind: parseChoice("--kind", String(opts.kind), MEASURE_KINDS) } : {}),
        ...(links.length > 0 ? { links } : {}),
        ...(evidence.length > 0 ? { evidence } : {}),
      };
      const measure = entry ? L.measureFromLibrary(entry, profile, given) : { ...given, title };
      const r = await L.runCommands(handle, [{ type: "add-measure", measure }], h.context(opts));
      const m = (r.results[0] ?? {}) as { id: string; links: unknown[] };
      if (opts.json) return print(toJson(m));
      print(`${m.id}: ${title} (${m.links.length} items linked)`);
    });

  measure
    .command("library")
    .description("the library of common IoT measures and the NISTIR 8259A/8259B elements each implements")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      if (opts.json) return print(toJson(L.MEASURE_LIBRARY));
      for (const m of L.MEASURE_LIBRARY)
        print(
          `${m.id}  ${m.title}\n    ${m.links.map((l) => `${l.item}${l.coverage === "partial" ? " (partial)" : ""}`).join(", ")}`,
        );
    });

  withAssessmentFolder(
    measure.command("list").description("the measures, their links and verification"),
  ).action(async (folder: string | undefined, _o, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts>();
    const L = await lib();
    const { assessment } = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
    const measures = assessment.measures ?? [];
    if (opts.json) return print(toJson(measures));
    if (measures.length === 0) return print("no measures yet (cairn assess measure add)");
    print(
      renderTable(measures, [
        { header: "ID", value: (m) => m.id },
        { header: "TITLE", value: (m) => (m.removed ? `${m.title} (removed)` : m.title) },
        { header: "ITEMS", value: (m) => m.links.filter((l) => !l.removed).length, align: "right" as const },
        { header: "VERIFIED", value: (m) => m.verification?.verdict ?? "-" },
      ]),
    );
  });

  const measureArg = (c: Command) =>
    c.argument("<measure>", "measure id, e.g. M-001").argument("[folder]").option("--dir <folder>");

  measureArg(measure.command("link").description("link items the measure implements"))
    .option("--item <item[=coverage]>", "an item, full (default) or partial (repeatable)", collect, [])
    .option("--unlink <item>", "remove a link (repeatable)", collect, [])
    .option("--force", "unlink even when the link settles a verdict (the verdict then shows stale)")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (id: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const { profile } = await handle.read();
      const commands: AssessmentCommand[] = [];
      const links = await linksOf(opts.item as string[], profile, opts, h);
      if (links.length > 0) commands.push({ type: "link-measure", measure: id, links });
      const gone = opts.unlink as string[];
      if (gone.length > 0)
        commands.push({ type: "unlink-measure", measure: id, items: gone, force: opts.force === true });
      if (commands.length === 0) throw new UsageError("give --item or --unlink");
      const r = await L.runCommands(handle, commands, h.context(opts));
      const m = r.assessment.measures?.find((x) => x.id === id);
      print(`${id}: ${m?.links.filter((l) => !l.removed).length ?? 0} items linked`);
    });

  measureArg(measure.command("verify").description("record the measure's own verification on this release"))
    .requiredOption("--verdict <verdict>", `${MEASURE_VERDICTS.join(" | ")} | withdrawn`)
    .option("--method <method>", METHODS.join(" | "), "test")
    .option("--notes <text>")
    .option("--evidence-id <id>", "attach an evidence record (repeatable)", collect, [])
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (id: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const verdict =
        opts.verdict === "withdrawn"
          ? null
          : parseChoice("--verdict", String(opts.verdict), MEASURE_VERDICTS);
      await L.runCommands(
        handle,
        [
          {
            type: "verify-measure",
            measure: id,
            verification: {
              verdict,
              method: parseChoice("--method", String(opts.method), METHODS),
              ...(opts.notes !== undefined ? { notes: String(opts.notes) } : {}),
              ...((opts.evidenceId as string[]).length > 0 ? { attach: opts.evidenceId as string[] } : {}),
            },
          },
        ],
        h.context(opts),
      );
      print(`${id}: ${verdict ?? "verification withdrawn"}`);
    });

  measureArg(measure.command("remove").description("remove a measure (refused while it settles verdicts)"))
    .option("--force", "remove it anyway: the verdicts it settled show as stale")
    .option("--reason <text>")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (id: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      await L.runCommands(
        handle,
        [
          {
            type: "remove-measure",
            measure: id,
            force: opts.force === true,
            ...(opts.reason !== undefined ? { reason: String(opts.reason) } : {}),
          },
        ],
        h.context(opts),
      );
      print(`${id}: removed`);
    });

  const risk = assess.command("risk").description("the risk register (CRA Article 13, Annex I Part I (1))");
  withAssessmentFolder(
    risk.command("add").description("add a risk: asset, threat, likelihood, impact, treatment"),
  )
    .requiredOption("--asset <text>")
    .requiredOption("--threat <text>")
    .requiredOption("--likelihood <level>", RISK_LEVELS.join(" | "))
    .requiredOption("--impact <level>", RISK_LEVELS.join(" | "))
    .requiredOption("--residual <level>", RISK_LEVELS.join(" | "))
    .option("--decision <decision>", RISK_DECISIONS.join(" | "), "mitigate")
    .option("--measure <id>", "a measure treating it (repeatable)", collect, [])
    .option("--notes <text>")
    .option("--owner <name>")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const level = (name: string, v: unknown): RiskLevel => parseChoice(name, String(v), RISK_LEVELS);
      const r = await L.runCommands(
        handle,
        [
          {
            type: "add-risk",
            risk: {
              asset: String(opts.asset),
              threat: String(opts.threat),
              likelihood: level("--likelihood", opts.likelihood),
              impact: level("--impact", opts.impact),
              residual: level("--residual", opts.residual),
              treatment: {
                decision: parseChoice("--decision", String(opts.decision), RISK_DECISIONS),
                measures: opts.measure as string[],
                ...(opts.notes !== undefined ? { notes: String(opts.notes) } : {}),
              },
              ...(opts.owner !== undefined ? { owner: String(opts.owner) } : {}),
            },
          },
        ],
        h.context(opts),
      );
      const added = r.results[0] as { id: string };
      print(opts.json ? toJson(added) : `${added.id}: ${String(opts.threat)}`);
    });
  withAssessmentFolder(risk.command("list").description("the risk register")).action(
    async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const risks = (
        L.readAssessmentFolder(assessmentFolder(folder, opts.dir)).assessment.risks ?? []
      ).filter((r) => !r.removed);
      if (opts.json) return print(toJson(risks));
      if (risks.length === 0) return print("no risks yet (cairn assess risk add)");
      print(
        renderTable(risks, [
          { header: "ID", value: (r) => r.id },
          { header: "ASSET", value: (r) => r.asset },
          { header: "THREAT", value: (r) => r.threat },
          { header: "L/I", value: (r) => `${r.likelihood}/${r.impact}` },
          { header: "TREATMENT", value: (r) => `${r.treatment.decision} ${r.treatment.measures.join(" ")}` },
          { header: "RESIDUAL", value: (r) => r.residual },
        ]),
      );
    },
  );

  withAssessmentFolder(
    assess
      .command("proposals")
      .description(
        "verdicts and measure links proposed through the crosswalks and by collectors; accept or reject them",
      ),
  )
    .option("--kind <kind>", "verdict | link")
    .option("--accept <id>", "accept a proposal (repeatable)", collect, [])
    .option("--accept-all", "accept every proposal listed (with --kind, of that kind)")
    .option("--reject <id>", "reject a proposal (repeatable)", collect, [])
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const { assessment, profile } = await handle.read();
      const kind =
        opts.kind === undefined ? undefined : parseChoice("--kind", String(opts.kind), ["verdict", "link"]);
      const search = catalogSearch(assessment, opts, L);
      const all = L.allProposals(assessment, profile, L.crosswalkSet(opts), undefined, search).filter(
        (p) => kind === undefined || p.kind === kind,
      );
      const byId = new Map(all.map((p) => [p.id, p]));
      const pick = (id: string): Proposal => {
        const p = byId.get(id);
        if (!p) throw new CairnError(`no open proposal ${id} (cairn assess proposals lists them)`);
        return p;
      };
      const accept = opts.acceptAll ? all : (opts.accept as string[]).map(pick);
      const reject = (opts.reject as string[]).map(pick);
      if (accept.length + reject.length > 0) {
        const r = await L.runCommands(
          handle,
          [
            ...accept.map((p) => ({ type: "accept-proposal" as const, proposal: p })),
            ...reject.map((p) => ({ type: "reject-proposal" as const, proposal: p })),
          ],
          h.context(opts),
        );
        const f = L.deriveVerdicts(r.assessment, profile).figures;
        const line = { accepted: accept.length, rejected: reject.length, settled: f.settled, items: f.items };
        return print(
          opts.json
            ? toJson(line)
            : `${accept.length} accepted, ${reject.length} rejected; ${f.settled}/${f.items} items settled`,
        );
      }
      if (opts.json) return print(toJson(all));
      if (all.length === 0) return print("no open proposals");
      print(
        renderTable(all, [
          { header: "ID", value: (p) => p.id },
          { header: "ITEM", value: (p) => p.item },
          {
            header: "PROPOSES",
            value: (p) => (p.kind === "link" ? `link to ${p.measure} (${p.coverage})` : p.verdict),
          },
          {
            header: "FROM",
            value: (p) =>
              p.kind === "link"
                ? p.source.kind === "crosswalk"
                  ? p.source.from
                  : `search: ${p.source.matched.join(", ")}`
                : p.source.kind === "crosswalk"
                  ? p.source.from.map((x) => x.item).join(" ")
                  : `${p.source.collector} ${p.source.evidence}`,
          },
        ]),
      );
    });

  withAssessmentFolder(
    assess
      .command("plan")
      .description(
        "what is left, in the order of the guide's four steps, each unit with the items it would settle",
      ),
  )
    .option("--as-of <yyyy-mm-dd>", "date for expiry checks (default today)")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
      const asOf = opts.asOf === undefined ? new Date().toISOString().slice(0, 10) : String(opts.asOf);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
        throw new CairnError(`--as-of must be a date, YYYY-MM-DD (got "${asOf}")`);
      const derivation = L.deriveVerdicts(f.assessment, f.profile);
      const plan = L.planAssessment({
        assessment: f.assessment,
        profile: f.profile,
        derivation,
        pitfalls: L.lintAssessment(f.assessment, f.profile, asOf),
        proposals: L.allProposals(
          f.assessment,
          f.profile,
          L.crosswalkSet(opts),
          derivation,
          catalogSearch(f.assessment, opts, L),
        ),
        profileChanged: f.profileSha256 !== f.assessment.profile.sha256,
      });
      if (opts.json) return print(toJson(plan));
      const fig = plan.figures;
      print(
        `${fig.settled}/${fig.items} items settled; ${fig.humanVerdicts} verdicts by a person, ${fig.derivedVerdicts} derived; ${fig.notAssessed} not assessed, ${fig.stale} stale`,
      );
      for (const s of plan.steps) {
        print(`\n${s.done ? "[x]" : "[ ]"} Step ${s.step}. ${s.title}`);
        for (const u of s.units)
          print(
            `    ${u.done ? "[x]" : "[ ]"} ${u.title}${u.items.length > 0 ? ` (${u.items.length} items)` : ""}`,
          );
        for (const p of s.pitfalls) print(`    ! ${p.severity}: ${p.title}`);
      }
      if (plan.next) print(`\nNext: ${plan.next.title}: ${plan.next.detail}`);
      else print("\nNothing left: every step is done.");
    });
}

/** A catalog search proposes links for measures with none yet: the index is built only when one exists. */
function catalogSearch(assessment: Assessment, opts: Opts, L: Awaited<ReturnType<typeof lib>>) {
  return L.needsCatalogSearch(assessment)
    ? L.searchBy(new L.SearchIndex(L.catalogRegistry(opts).latest(), { glossary: L.loadBundledGlossary() }))
    : undefined;
}
