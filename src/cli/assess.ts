import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import type {
  AssessmentCommand,
  ChangeContext,
  FindingUpdate,
  NewEvidenceRecord,
} from "../assessment/changes.js";
import type {
  Assessment,
  AssessmentKind,
  EvidenceRecord,
  EvidenceStrength,
  ImplementationSupport,
  Method,
  Verdict,
} from "../assessment/model.js";
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  METHODS,
  STRENGTHS,
  SUPPORTS,
  VERDICTS,
} from "../assessment/model.js";
import { notAFile } from "../core/file-errors.js";
import { CairnError, UsageError } from "../core/problem.js";
import { registerDesignCommands } from "./assess-design.js";
import { assessmentFolder, profileItemId, withAssessmentFolder } from "./assessment-arg.js";
import type { GlobalOptions } from "./context.js";
import { parseChoice, print, renderTable, setExitCode, toJson } from "./output.js";

const lib = () => import("./assess-lib.js");
type Opts = GlobalOptions & Record<string, unknown>;
const collect = (v: string, prev: string[]) => [...prev, v];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A date option: YYYY-MM-DD, a real day. A bad one is invalid input (exit 1). */
function date(value: unknown, name = "--date"): string {
  if (value === undefined) return today();
  const s = String(value);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(s) ||
    Number.isNaN(Date.parse(s)) ||
    new Date(s).toISOString().slice(0, 10) !== s
  )
    throw new CairnError(`${name} must be a date, YYYY-MM-DD (got "${s}")`);
  return s;
}

function who(opts: Opts): string {
  return String(opts.by ?? process.env.CAIRN_USER ?? userInfo().username);
}

function context(opts: Opts, name?: string): ChangeContext {
  const by = who(opts);
  return { by, name: name ?? by, at: date(opts.date) };
}

function counts(a: Assessment): Record<Verdict, number> {
  const c = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const f of a.findings) c[f.verdict]++;
  return c;
}

/** Resolves an item the user typed against the profile, loading the catalogs only for a label. */
function itemOf(
  input: string,
  profile: import("../profile/model.js").Profile,
  opts: Opts,
  L: Awaited<ReturnType<typeof lib>>,
): string {
  return profileItemId(input, profile, () => {
    const registry = L.catalogRegistry(opts);
    return (id) => registry.item(id)?.id;
  });
}

export function registerAssessCommands(program: Command): void {
  const assess = program
    .command("assess")
    .description(
      "assessment as code: a release against a profile, findings and evidence in a folder you keep in git",
    )
    .addHelpText(
      "after",
      "\nEvery subcommand takes the assessment folder as [folder] or --dir (default: the current folder).",
    );

  withAssessmentFolder(assess.command("init").description("start an assessment folder from a profile"))
    .requiredOption("--profile <file>", "profile file (cairn profile new -o ...), or preset:<name>")
    .requiredOption("--product-id <id>")
    .requiredOption("--manufacturer <name>")
    .requiredOption("--model <name>")
    .requiredOption("--category <category>", "e.g. smart thermostat, IP camera")
    .requiredOption("--release <version>", "firmware or software version under assessment")
    .requiredOption("--release-date <yyyy-mm-dd>")
    .option("--hardware <version>", "hardware version")
    .option("--support-end <yyyy-mm-dd>", "declared end of security updates for this release")
    .option("--kind <kind>", ASSESSMENT_KINDS.join(" | "), "self-attestation")
    .option("--assessor <name>", "assessor (repeatable)", collect, [] as string[])
    .option("--id <id>", "assessment id")
    .option("--title <text>")
    .option("--date <yyyy-mm-dd>", "creation date (default today)")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = assessmentFolder(folder, opts.dir, true);
      if (existsSync(join(dir, "assessment.json")))
        throw new CairnError(`${dir} already holds an assessment; nothing was changed`);
      const kind = parseChoice("--kind", String(opts.kind), ASSESSMENT_KINDS) as AssessmentKind;
      const created = date(opts.date);
      const release = {
        version: String(opts.release),
        date: date(opts.releaseDate, "--release-date"),
        ...(opts.hardware ? { hardwareVersion: String(opts.hardware) } : {}),
        ...(opts.supportEnd ? { supportEnd: date(opts.supportEnd, "--support-end") } : {}),
      };
      const arg = String(opts.profile);
      let profileText: string;
      if (arg.startsWith("preset:")) {
        const { profileArg } = await import("./profile.js");
        profileText = toJson(await profileArg(arg, opts));
      } else {
        const wrong = notAFile(arg, "profile file");
        if (wrong) throw new CairnError(wrong);
        profileText = readFileSync(arg, "utf8");
      }
      mkdirSync(join(dir, "evidence"), { recursive: true });
      const profilePath = join(dir, "profile.json");
      if (arg.startsWith("preset:")) writeFileSync(profilePath, profileText);
      else copyFileSync(arg, profilePath);
      const profile = L.readProfileFile(profilePath);
      const id = String(opts.id ?? `${opts.productId}-${release.version}`).replace(/[^A-Za-z0-9._-]+/g, "-");
      const a = L.newAssessment(profile, {
        id,
        title: String(
          opts.title ?? `${opts.manufacturer} ${opts.model} ${release.version} against ${profile.title}`,
        ),
        kind,
        product: {
          id: String(opts.productId),
          manufacturer: String(opts.manufacturer),
          model: String(opts.model),
          category: String(opts.category),
        },
        release,
        assessors: (opts.assessor as string[]).map((name) => ({ name })),
        date: created,
        profileFile: "profile.json",
        profileSha256: L.sha256(readFileSync(profilePath)),
      });
      L.writeAssessment(dir, a);
      if (opts.json) return print(toJson({ dir, id: a.id, findings: a.findings.length }));
      print(
        `${dir}: assessment ${a.id}, ${a.findings.length} findings to record (cairn assess status ${dir})`,
      );
    });

  withAssessmentFolder(
    assess.command("status").description("verdicts, stale findings and what is left"),
  ).action(async (folder: string | undefined, _o, cmd: Command) => {
    const opts = cmd.optsWithGlobals<Opts>();
    const L = await lib();
    const f = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
    const a = f.assessment;
    const c = counts(a);
    const derivation = L.deriveVerdicts(a, f.profile);
    const fig = derivation.figures;
    const stale = [...derivation.items.values()].filter((v) => v.stale).map((v) => v.item);
    const check = L.checkAssessment(a, f.profile);
    const profileChanged = f.profileSha256 !== a.profile.sha256;
    // Effective verdicts (a person's, or derived from measures, roll-up or accepted proposals):
    // what the assessment says of each item, not only what was typed in.
    const COLUMNS = [...VERDICTS.filter((v) => v !== "not-assessed"), "partial", "not-assessed"] as const;
    type Column = (typeof COLUMNS)[number];
    const zero = () => Object.fromEntries(COLUMNS.map((v) => [v, 0])) as Record<Column, number>;
    const byCatalog = new Map<string, Record<Column, number>>();
    const effective = zero();
    for (const v of derivation.items.values()) {
      const cat = v.item.slice(0, v.item.indexOf(":"));
      const row = byCatalog.get(cat) ?? zero();
      row[v.verdict]++;
      effective[v.verdict]++;
      byCatalog.set(cat, row);
    }
    const summary = {
      id: a.id,
      status: a.status,
      release: a.release.version,
      profile: a.profile.id,
      profileChanged,
      findings: a.findings.length,
      // The guide's figures: how many items, how many verdicts a person gave (on items and on
      // measures), how many the core derived, what is left and what no longer holds.
      items: fig.items,
      humanVerdicts: fig.humanVerdicts,
      derivedVerdicts: fig.derivedVerdicts,
      notAssessed: fig.notAssessed,
      stale: fig.stale,
      settled: fig.settled,
      open: fig.open,
      bySource: fig.bySource,
      measures: fig.measures,
      risks: fig.risks,
      verdicts: effective,
      recordedVerdicts: c,
      staleItems: stale,
      evidence: a.evidence.length,
      check: { ok: check.ok, passing: check.passing, total: check.total },
      byCatalog: Object.fromEntries(byCatalog),
    };
    if (opts.json) return print(toJson(summary));
    print(
      `${a.title}\n${a.id}  ${a.status}  ${a.kind}  release ${a.release.version} (${a.release.date})  profile ${a.profile.id}`,
    );
    if (profileChanged)
      print("NOTE: profile.json changed since it was adopted: run cairn assess adopt-profile");
    print(
      renderTable(
        [...byCatalog],
        [
          { header: "CATALOG", value: ([k]) => k },
          ...COLUMNS.map((v) => ({
            header: v.toUpperCase(),
            value: ([, r]: [string, Record<Column, number>]) => r[v],
            align: "right" as const,
          })),
        ],
      ),
    );
    print(
      `\n${check.passing}/${check.total} required items pass; ${stale.length} stale; ${a.evidence.length} evidence records`,
    );
    print(
      `${fig.settled}/${fig.items} items settled: ${fig.humanVerdicts} verdicts given by a person (${fig.bySource.person} on items, ${fig.measures.verified} on measures), ${fig.derivedVerdicts} derived (${fig.bySource.measures} from measures, ${fig.bySource.rollUp} rolled up, ${fig.bySource.proposal} accepted proposals); ${fig.notAssessed} not assessed`,
    );
  });

  assess
    .command("set")
    .description("record a finding: verdict, method, implementation statement, evidence")
    .argument("<item>", "profile item id, e.g. nist-ir-8259a:5.2")
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])")
    .option(
      "--verdict <verdict>",
      `${VERDICTS.join(" | ")} (EN 303 645: not-applicable only for a conditional provision)`,
    )
    .option("--method <method>", METHODS.join(" | "))
    .option("--statement <support>", `implementation statement: ${SUPPORTS.join(" | ")}`)
    .option("--detail <text>", "how it is implemented, or why not")
    .option("--notes <text>")
    .option("--evidence <file>", "evidence file to store and attach (repeatable)", collect, [] as string[])
    .option(
      "--evidence-id <id>",
      "attach an evidence record already recorded (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--detach <id>",
      "detach an evidence record from the finding (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--strength <strength>",
      `strength of the evidence files given: ${STRENGTHS.join(" | ")}`,
      "supports",
    )
    .option(
      "--tag <tag>",
      "tag for the evidence files given (repeatable): sbom, vdp, security-txt, fips-140-3...",
      collect,
      [] as string[],
    )
    .option("--effective <yyyy-mm-dd>", "date the evidence holds from (default the record date)")
    .option("--expires <yyyy-mm-dd>")
    .option("--by <name>", "who records it (default $CAIRN_USER or the login name)")
    .option("--date <yyyy-mm-dd>", "date of the record (default today)")
    .action(async (itemArg: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = assessmentFolder(folder, opts.dir);
      const handle = new L.FolderAssessment(dir);
      const current = await handle.read();
      const item = itemOf(itemArg, current.profile, opts, L);
      const ctx = context(opts);
      const strength = parseChoice("--strength", String(opts.strength), STRENGTHS) as EvidenceStrength;
      const update: FindingUpdate = {
        ...(opts.verdict ? { verdict: parseChoice("--verdict", String(opts.verdict), VERDICTS) } : {}),
        ...(opts.method ? { method: parseChoice("--method", String(opts.method), METHODS) as Method } : {}),
        ...(opts.statement
          ? {
              statement: {
                support: parseChoice(
                  "--statement",
                  String(opts.statement),
                  SUPPORTS,
                ) as ImplementationSupport,
                ...(opts.detail ? { detail: String(opts.detail) } : {}),
              },
            }
          : {}),
        ...(opts.notes ? { notes: String(opts.notes) } : {}),
        ...((opts.evidenceId as string[]).length > 0 ? { attach: opts.evidenceId as string[] } : {}),
        ...((opts.detach as string[]).length > 0 ? { detach: opts.detach as string[] } : {}),
      };
      const effective = opts.effective ? date(opts.effective, "--effective") : undefined;
      const expires = opts.expires ? date(opts.expires, "--expires") : undefined;
      // Refused before any file is stored: the rules run once on what is there now.
      L.applyCommand(current.assessment, current.profile, { type: "record-finding", item, update }, ctx);
      const commands: AssessmentCommand[] = [];
      for (const file of opts.evidence as string[]) {
        const stored = await L.storeEvidenceFile(dir, file);
        commands.push({
          type: "add-evidence",
          record: {
            kind: "file",
            title: stored.name,
            strength,
            tags: opts.tag as string[],
            file: stored,
            ...(effective ? { effective } : {}),
            ...(expires ? { expires } : {}),
          },
          attachTo: [item],
        });
      }
      commands.push({ type: "record-finding", item, update });
      const r = await L.runCommands(handle, commands, ctx);
      const finding = r.assessment.findings.find((x) => x.item === item);
      if (opts.json) return print(toJson(finding));
      print(
        `${item}: ${finding?.verdict}${finding?.evidence.length ? `, evidence ${finding.evidence.join(", ")}` : ""}${r.events.length === 0 ? " (unchanged)" : ""}`,
      );
    });

  const evidence = assess
    .command("evidence")
    .description("evidence records: add, list (records are never edited; a revision supersedes)");
  withAssessmentFolder(evidence.command("add").description("record a file, link, attestation or tool result"))
    .requiredOption("--title <text>")
    .option("--file <file>")
    .option("--url <url>")
    .option("--text <attestation>")
    .option("--tool <name@version>", "tool that produced the result")
    .option("--command <command>", "the command that was run")
    .option("--output <file>", "the tool's raw output (stored, hashed)")
    .option("--strength <strength>", STRENGTHS.join(" | "), "supports")
    .option("--tag <tag>", "tag (repeatable)", collect, [] as string[])
    .option("--effective <yyyy-mm-dd>")
    .option("--expires <yyyy-mm-dd>")
    .option("--supersedes <id>", "the record this one replaces")
    .option(
      "--attach <item>",
      "attach the new record to this finding too (repeatable)",
      collect,
      [] as string[],
    )
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = assessmentFolder(folder, opts.dir);
      const handle = new L.FolderAssessment(dir);
      const current = await handle.read();
      const given = ["file", "url", "text", "tool"].filter((k) => opts[k] !== undefined);
      if (given.length !== 1) throw new UsageError("give exactly one of --file, --url, --text, --tool");
      if (opts.url && !/^https?:\/\//.test(String(opts.url)))
        throw new CairnError(`--url must be an http(s) URL (got "${opts.url}")`);
      const attachTo = (opts.attach as string[]).map((i) => itemOf(i, current.profile, opts, L));
      const base: Omit<NewEvidenceRecord, "kind"> = {
        title: String(opts.title),
        strength: parseChoice("--strength", String(opts.strength), STRENGTHS) as EvidenceStrength,
        tags: opts.tag as string[],
        ...(opts.effective ? { effective: date(opts.effective, "--effective") } : {}),
        ...(opts.expires ? { expires: date(opts.expires, "--expires") } : {}),
        ...(opts.supersedes ? { supersedes: String(opts.supersedes) } : {}),
      };
      let tool: EvidenceRecord["tool"];
      if (opts.tool) {
        const [name, version] = String(opts.tool).split("@");
        if (!name || !version) throw new CairnError(`--tool must be name@version (got "${opts.tool}")`);
        tool = { name, version, ...(opts.command ? { command: String(opts.command) } : {}) };
      }
      let record: NewEvidenceRecord;
      if (opts.file)
        record = { ...base, kind: "file", file: await L.storeEvidenceFile(dir, String(opts.file)) };
      else if (opts.url) record = { ...base, kind: "link", url: String(opts.url) };
      else if (opts.text) record = { ...base, kind: "attestation", text: String(opts.text) };
      else {
        const output = opts.output ? await L.storeEvidenceFile(dir, String(opts.output)) : undefined;
        record = {
          ...base,
          kind: "tool-result",
          tool: { ...(tool as NonNullable<typeof tool>), ...(output ? { outputSha256: output.sha256 } : {}) },
          ...(output ? { file: output } : {}),
        };
      }
      const r = await L.runCommands(handle, [{ type: "add-evidence", record, attachTo }], context(opts));
      const id = (r.results[0] as EvidenceRecord).id;
      print(opts.json ? toJson({ id }) : `recorded ${id}`);
    });
  withAssessmentFolder(evidence.command("list").description("the evidence records, oldest first")).action(
    async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
      if (opts.json) return print(toJson(f.assessment.evidence));
      print(
        renderTable(f.assessment.evidence, [
          { header: "ID", value: (e) => e.id },
          { header: "KIND", value: (e) => e.kind },
          { header: "STRENGTH", value: (e) => e.strength },
          { header: "EFFECTIVE", value: (e) => e.effective },
          { header: "EXPIRES", value: (e) => e.expires ?? "" },
          { header: "TAGS", value: (e) => e.tags.join(",") },
          {
            header: "TITLE",
            value: (e) => `${e.title}${e.supersedes ? ` (supersedes ${e.supersedes})` : ""}`,
            max: 50,
          },
        ]),
      );
    },
  );

  assess
    .command("sign-off")
    .description("a reviewer signs off a finding (or withdraws a sign-off)")
    .argument("<item>")
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])")
    .requiredOption("--reviewer <name>")
    .option("--withdraw", "withdraw the finding's sign-off")
    .option("--date <yyyy-mm-dd>")
    .action(async (itemArg: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const item = itemOf(itemArg, (await handle.read()).profile, opts, L);
      const reviewer = String(opts.reviewer);
      await L.runCommands(handle, [{ type: opts.withdraw ? "withdraw-sign-off" : "sign-off", item }], {
        by: reviewer,
        name: reviewer,
        at: date(opts.date),
      });
      print(opts.withdraw ? `${item}: sign-off withdrawn` : `${item}: signed off by ${reviewer}`);
    });

  withAssessmentFolder(
    assess
      .command("release")
      .description("move the assessment to a new release: earlier verdicts become stale"),
  )
    .requiredOption("--release <version>", "the new firmware or software version")
    .requiredOption("--release-date <yyyy-mm-dd>")
    .option("--hardware <version>")
    .option("--support-end <yyyy-mm-dd>")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const { assessment } = await handle.read();
      const release = {
        ...assessment.release,
        version: String(opts.release),
        date: date(opts.releaseDate, "--release-date"),
        ...(opts.hardware ? { hardwareVersion: String(opts.hardware) } : {}),
        ...(opts.supportEnd ? { supportEnd: date(opts.supportEnd, "--support-end") } : {}),
      };
      const r = await L.runCommands(handle, [{ type: "change-release", release }], context(opts));
      const verdicts = r.assessment.findings.filter((x) => L.isStale(x, r.assessment, r.profile)).length;
      const measures = (r.assessment.measures ?? []).filter((m) => !m.removed && m.verification).length;
      const items = L.deriveVerdicts(r.assessment, r.profile).figures.stale;
      print(
        `release ${release.version}: ${items} items now stale (${verdicts} findings and ${measures} measure verifications to record again)`,
      );
    });

  withAssessmentFolder(
    assess
      .command("adopt-profile")
      .description("take in a changed profile: new items added, removed items retired, changed items stale"),
  )
    .option("--profile <file>", "new profile file (default: the current profile.json, if it was edited)")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = assessmentFolder(folder, opts.dir);
      const handle = new L.FolderAssessment(dir);
      const { assessment } = await handle.read();
      const file = assessment.profile.file;
      const source = opts.profile ? String(opts.profile) : join(dir, file);
      const wrong = notAFile(source, "profile file");
      if (wrong) throw new CairnError(wrong);
      const bytes = readFileSync(source);
      const profile = L.readProfileFile(source);
      const r = await L.runCommands(
        handle,
        [{ type: "adopt-profile", profile, file, sha256: L.sha256(bytes), text: bytes.toString("utf8") }],
        context(opts),
      );
      print(
        `profile ${profile.id}: ${r.assessment.findings.length} findings, ${r.assessment.retiredFindings?.length ?? 0} retired, ${r.assessment.findings.filter((x) => L.isStale(x, r.assessment, profile)).length} stale`,
      );
    });

  assess
    .command("conformance")
    .description("EN 303 645 conformance statement: the supplier's declaration per provision")
    .argument("<provision>", "e.g. 5.1-1 or etsi-en-303-645:5.1-1")
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])")
    .requiredOption(
      "--support <support>",
      `${SUPPORTS.join(" | ")} (not-applicable only for a conditional provision, Table B.1 M C or R C)`,
    )
    .option("--justification <text>", "required when not supported or not applicable (EN 303 645 clause 4)")
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (provision: string, folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const id = provision.includes(":") ? provision : `etsi-en-303-645:${provision}`;
      const item = L.catalogRegistry(opts).item(id);
      if (item?.catalogId !== "etsi-en-303-645" || item.kind !== "provision")
        throw new CairnError(`${provision} is not an EN 303 645 provision`);
      const support = parseChoice("--support", String(opts.support), SUPPORTS) as ImplementationSupport;
      await L.runCommands(
        handle,
        [
          {
            type: "set-conformance",
            provision: item.ref,
            support,
            ...(opts.justification ? { justification: String(opts.justification) } : {}),
          },
        ],
        context(opts),
      );
      print(`${item.ref}: ${support}`);
    });

  withAssessmentFolder(
    assess
      .command("lint")
      .description(
        "the known pitfalls: no 8259B, 8425 for federal, FIPS without evidence, no SBOM, no VDP, support period...",
      ),
  )
    .option("--as-of <yyyy-mm-dd>", "date for expiry checks (default today)")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
      const pitfalls = L.lintAssessment(f.assessment, f.profile, date(opts.asOf, "--as-of"));
      const files = L.verifyEvidenceFiles(f);
      for (const x of files)
        pitfalls.push({
          id: "evidence-file-changed",
          severity: "error",
          title: "Evidence file missing or changed",
          message: `${x.id} ${x.path}: ${x.problem}`,
          refs: [x.id],
        });
      const problems = L.checkConsistency(f.assessment, f.profile);
      for (const p of problems)
        pitfalls.push({
          id: "inconsistent",
          severity: "error",
          title: "Inconsistent record",
          message: `${p.location}: ${p.message}`,
        });
      if (opts.json) print(toJson(pitfalls));
      else if (pitfalls.length === 0) print("no pitfalls found");
      else
        for (const p of pitfalls)
          print(
            `${p.severity.toUpperCase()} ${p.id}: ${p.title}. ${p.message}${p.refs ? ` [${p.refs.slice(0, 8).join(", ")}${p.refs.length > 8 ? ", ..." : ""}]` : ""}`,
          );
      if (pitfalls.some((p) => p.severity === "error")) setExitCode(1);
    });

  withAssessmentFolder(
    assess.command("readiness").description("readiness per market, direct or derived through the crosswalks"),
  )
    .option(
      "--market <ids>",
      "comma-separated markets (default: US federal, US consumer label, EU CRA, EN 303 645, and the other markets the profile targets)",
    )
    .option("--as-of <yyyy-mm-dd>", "date to say which requirements apply on (default today)")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(assessmentFolder(folder, opts.dir));
      const known = L.MARKETS.map((m) => m.id);
      const markets = opts.market ? String(opts.market).split(",") : L.defaultMarkets(f.profile);
      for (const m of markets)
        if (!known.includes(m)) throw new CairnError(`unknown market "${m}"; markets: ${known.join(", ")}`);
      const asOf = date(opts.asOf, "--as-of");
      const r = L.computeReadiness(
        f.assessment,
        f.profile,
        L.catalogRegistry(opts),
        L.crosswalkSet(opts),
        markets,
        { asOf },
      );
      if (opts.json) return print(toJson(r));
      print(`Readiness on ${asOf}:`);
      print(
        renderTable(r, [
          { header: "MARKET", value: (m) => m.label, max: 60 },
          { header: "ITEMS", value: (m) => m.items.length, align: "right" },
          {
            header: "APPLY NOW",
            value: (m) => (m.applicability ? m.applicability.applies : m.items.length),
            align: "right",
          },
          { header: "MET", value: (m) => m.counts.met, align: "right" },
          { header: "PARTIAL", value: (m) => m.counts.partial, align: "right" },
          { header: "MISSING", value: (m) => m.counts.missing, align: "right" },
          { header: "N/A", value: (m) => m.counts.notApplicable, align: "right" },
          { header: "UNKNOWN", value: (m) => m.counts.unknown, align: "right" },
          {
            header: "DERIVED",
            value: (m) => m.items.filter((i) => i.source === "derived" && i.result !== "unknown").length,
            align: "right",
          },
        ]),
      );
      print("\nDerived results come through crosswalks: proposals to confirm, not verdicts.");
      // When each market's requirements apply, and which deciding texts are only partly catalogued.
      for (const m of r) {
        const later = (m.timeline ?? []).filter((e) => e.date > asOf);
        const notYet = m.applicability?.notYet ?? 0;
        const ended = m.applicability?.ended ?? 0;
        if (notYet > 0) print(`${m.market}: ${notYet} item(s) do not apply yet on ${asOf}.`);
        if (ended > 0) print(`${m.market}: ${ended} item(s) no longer apply on ${asOf}.`);
        for (const e of later) print(`${m.market}: from ${e.date}, ${e.what} (${e.source}).`);
        for (const g of m.incomplete ?? []) print(`${m.market}: INCOMPLETE: ${g}`);
      }
    });

  withAssessmentFolder(assess.command("update").description("assessment status, title and assessors"))
    .option("--status <status>", ASSESSMENT_STATUSES.join(" | "))
    .option("--title <text>")
    .option("--assessor <name>", "add an assessor (repeatable)", collect, [] as string[])
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const handle = new L.FolderAssessment(assessmentFolder(folder, opts.dir));
      const { assessment } = await handle.read();
      const added = (opts.assessor as string[]).map((name) => ({ name }));
      const commands = L.updateCommands({
        ...(opts.status ? { status: parseChoice("--status", String(opts.status), ASSESSMENT_STATUSES) } : {}),
        ...(opts.title !== undefined ? { title: String(opts.title) } : {}),
        ...(added.length > 0 ? { assessors: [...assessment.assessors, ...added] } : {}),
      });
      if (commands.length === 0) throw new UsageError("give --status, --title or --assessor");
      const r = await L.runCommands(handle, commands, context(opts));
      print(`${r.assessment.id}: ${r.assessment.status}`);
    });

  registerDesignCommands(assess, {
    context,
    itemOf: async (input, profile, opts) => itemOf(input, profile, opts, await lib()),
  });
}

/**
 * The assessment and its profile from a Cairn server, for `cairn check --server`: the token comes
 * from an environment variable, never an argument (arguments show in `ps` and CI logs).
 */
async function fromServer(
  server: string,
  id: string,
  tokenEnv: string,
): Promise<{ assessment: Assessment; profile: import("../profile/model.js").Profile }> {
  if (!/^https?:\/\/[^/]+/.test(server)) throw new UsageError("--server must be an http(s) URL");
  const token = process.env[tokenEnv];
  if (!token)
    throw new UsageError(`set ${tokenEnv} to an API token (cairn_pat_...) to check against a server`);
  const get = async (path: string): Promise<unknown> => {
    const url = new URL(path, server.endsWith("/") ? server : `${server}/`);
    let r: Response;
    try {
      r = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        redirect: "error",
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new CairnError(`cannot reach ${url.origin}: ${(err as Error).message}`);
    }
    if (r.status === 404) throw new CairnError(`${path}: not found (or not in your organisation)`);
    if (!r.ok) throw new CairnError(`${path}: HTTP ${r.status}`);
    return r.json();
  };
  const assessment = (await get(`api/assessments/${encodeURIComponent(id)}`)) as Assessment & {
    profileId: string;
  };
  const { profile } = (await get(`api/profiles/${encodeURIComponent(assessment.profileId)}`)) as {
    profile: import("../profile/model.js").Profile;
  };
  return { assessment, profile };
}

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description("CI gate: exit 0 when every required finding passes on the current release, 1 otherwise")
    .argument(
      "[assessment]",
      "assessment folder (default: the current folder), or the assessment id with --server",
    )
    .option("--dir <folder>", "the assessment folder (the same as [assessment])")
    .option("--lint", "also fail on pitfalls of severity error")
    .option("--server <url>", "check an assessment stored on a Cairn server instead of a folder")
    .option("--token-env <var>", "environment variable holding the API token for --server", "CAIRN_TOKEN")
    .action(async (arg: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const { checkAssessment, checkConsistency } = await import("../assessment/ops.js");
      let f: { assessment: Assessment; profile: import("../profile/model.js").Profile };
      let dir: string;
      if (opts.server) {
        if (arg === undefined) throw new UsageError("give the assessment id to check with --server");
        dir = arg;
        f = await fromServer(String(opts.server), dir, String(opts.tokenEnv));
      } else {
        dir = assessmentFolder(arg, opts.dir);
        const { readAssessmentFolder } = await import("../assessment/store.js");
        f = readAssessmentFolder(dir);
      }
      const problems = checkConsistency(f.assessment, f.profile);
      if (problems.length > 0) throw new CairnError(`${dir}: the assessment is inconsistent`, problems);
      const r = checkAssessment(f.assessment, f.profile);
      let pitfalls: { id: string; severity: string; title: string }[] = [];
      if (opts.lint) {
        const { lintAssessment } = await import("../assessment/pitfalls.js");
        pitfalls = lintAssessment(f.assessment, f.profile, today()).filter((p) => p.severity === "error");
      }
      const ok = r.ok && pitfalls.length === 0;
      if (opts.json) print(toJson({ ...r, ok, pitfalls }));
      else {
        print(
          `${f.assessment.id} (release ${f.assessment.release.version}): ${r.passing}/${r.total} required items pass`,
        );
        const show = r.failing.slice(0, 20);
        for (const x of show) print(`  ${x.reason.padEnd(12)} ${x.item}`);
        if (r.failing.length > show.length)
          print(`  ... and ${r.failing.length - show.length} more (--json for all)`);
        for (const p of pitfalls) print(`  pitfall     ${p.id}: ${p.title}`);
        print(ok ? "PASS" : "FAIL");
      }
      setExitCode(ok ? 0 : 1);
    });
}
