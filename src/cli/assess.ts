import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
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
import type { GlobalOptions } from "./context.js";
import { parseChoice, print, renderTable, setExitCode, toJson } from "./output.js";

const lib = () => import("./assess-lib.js");
type Opts = GlobalOptions & Record<string, unknown>;
const collect = (v: string, prev: string[]) => [...prev, v];

export const DEFAULT_DIR = "cairn-assessment";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function date(value: unknown, name = "--date"): string {
  if (value === undefined) return today();
  const s = String(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s)))
    throw new UsageError(`${name} must be YYYY-MM-DD (got "${s}")`);
  return s;
}

function who(opts: Opts): string {
  return String(opts.by ?? process.env.CAIRN_USER ?? userInfo().username);
}

function dirOf(opts: Opts): string {
  return String(opts.dir ?? DEFAULT_DIR);
}

function counts(a: Assessment): Record<Verdict, number> {
  const c = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const f of a.findings) c[f.verdict]++;
  return c;
}

export function registerAssessCommands(program: Command): void {
  const assess = program
    .command("assess")
    .description(
      "assessment as code: a release against a profile, findings and evidence in a folder you keep in git",
    );

  assess
    .command("init")
    .description("start an assessment folder from a profile")
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
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .option("--date <yyyy-mm-dd>", "creation date (default today)")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      if (existsSync(join(dir, "assessment.json")))
        throw new CairnError(`${dir} already holds an assessment; nothing was changed`);
      const kind = parseChoice("--kind", String(opts.kind), ASSESSMENT_KINDS) as AssessmentKind;
      mkdirSync(join(dir, "evidence"), { recursive: true });
      const arg = String(opts.profile);
      if (arg.startsWith("preset:")) {
        const { profileArg } = await import("./profile.js");
        const p = await profileArg(arg, opts);
        const { writeFileSync } = await import("node:fs");
        writeFileSync(join(dir, "profile.json"), toJson(p));
      } else copyFileSync(arg, join(dir, "profile.json"));
      const profile = L.readProfileFile(join(dir, "profile.json"));
      const created = date(opts.date);
      const release = {
        version: String(opts.release),
        date: date(opts.releaseDate, "--release-date"),
        ...(opts.hardware ? { hardwareVersion: String(opts.hardware) } : {}),
        ...(opts.supportEnd ? { supportEnd: date(opts.supportEnd, "--support-end") } : {}),
      };
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
        profileSha256: L.sha256(readFileSync(join(dir, "profile.json"))),
      });
      L.writeAssessment(dir, a);
      if (opts.json) return print(toJson({ dir, id: a.id, findings: a.findings.length }));
      print(
        `${dir}: assessment ${a.id}, ${a.findings.length} findings to record (cairn assess status --dir ${dir})`,
      );
    });

  assess
    .command("status")
    .description("verdicts, stale findings and what is left")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(dirOf(opts));
      const a = f.assessment;
      const c = counts(a);
      const stale = a.findings.filter((x) => L.isStale(x, a, f.profile)).map((x) => x.item);
      const check = L.checkAssessment(a, f.profile);
      const profileChanged = f.profileSha256 !== a.profile.sha256;
      const byCatalog = new Map<string, Record<Verdict, number>>();
      for (const x of a.findings) {
        const cat = x.item.slice(0, x.item.indexOf(":"));
        const row =
          byCatalog.get(cat) ?? (Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>);
        row[x.verdict]++;
        byCatalog.set(cat, row);
      }
      const summary = {
        id: a.id,
        status: a.status,
        release: a.release.version,
        profile: a.profile.id,
        profileChanged,
        findings: a.findings.length,
        verdicts: c,
        stale,
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
            ...VERDICTS.map((v) => ({
              header: v.toUpperCase(),
              value: ([, r]: [string, Record<Verdict, number>]) => r[v],
              align: "right" as const,
            })),
          ],
        ),
      );
      print(
        `\n${check.passing}/${check.total} required items pass; ${stale.length} stale; ${a.evidence.length} evidence records`,
      );
    });

  assess
    .command("set")
    .description("record a finding: verdict, method, implementation statement, evidence")
    .argument("<item>", "profile item id, e.g. nist-ir-8259a:5.2")
    .option("--verdict <verdict>", VERDICTS.join(" | "))
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
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (itemArg: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      const at = date(opts.date);
      const item = L.catalogRegistry(opts).item(itemArg)?.id ?? itemArg;
      let a = f.assessment;
      const ids = [...(opts.evidenceId as string[])];
      const files = opts.evidence as string[];
      const strength = parseChoice("--strength", String(opts.strength), STRENGTHS) as EvidenceStrength;
      // Check the finding can be recorded before any file is stored.
      L.recordFinding(a, f.profile, item, {}, who(opts), at);
      for (const file of files) {
        const wrong = notAFile(file, "evidence file");
        if (wrong) throw new CairnError(wrong);
        const stored = await L.storeEvidenceFile(dir, file);
        const r = L.addEvidence(a, {
          kind: "file",
          title: stored.name,
          strength,
          tags: opts.tag as string[],
          file: stored,
          effective: opts.effective ? date(opts.effective, "--effective") : at,
          ...(opts.expires ? { expires: date(opts.expires, "--expires") } : {}),
          addedBy: who(opts),
          addedAt: at,
        });
        a = r.assessment;
        ids.push(r.id);
      }
      a = L.recordFinding(
        a,
        f.profile,
        item,
        {
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
          evidence: ids,
        },
        who(opts),
        at,
      );
      L.writeAssessment(dir, a);
      const finding = a.findings.find((x) => x.item === item);
      if (opts.json) return print(toJson(finding));
      print(
        `${item}: ${finding?.verdict}${finding?.evidence.length ? `, evidence ${finding.evidence.join(", ")}` : ""}`,
      );
    });

  const evidence = assess
    .command("evidence")
    .description("evidence records: add, list (records are never edited; a revision supersedes)");
  evidence
    .command("add")
    .description("record a file, link, attestation or tool result")
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
    .option("--by <name>")
    .option("--date <yyyy-mm-dd>")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      const at = date(opts.date);
      const given = ["file", "url", "text", "tool"].filter((k) => opts[k] !== undefined);
      if (given.length !== 1) throw new UsageError("give exactly one of --file, --url, --text, --tool");
      if (opts.url && !/^https?:\/\//.test(String(opts.url)))
        throw new UsageError("--url must be an http(s) URL");
      const base: Omit<EvidenceRecord, "id" | "kind"> = {
        title: String(opts.title),
        strength: parseChoice("--strength", String(opts.strength), STRENGTHS) as EvidenceStrength,
        tags: opts.tag as string[],
        effective: opts.effective ? date(opts.effective, "--effective") : at,
        ...(opts.expires ? { expires: date(opts.expires, "--expires") } : {}),
        addedBy: who(opts),
        addedAt: at,
        ...(opts.supersedes ? { supersedes: String(opts.supersedes) } : {}),
      };
      let record: Omit<EvidenceRecord, "id">;
      if (opts.file) {
        const wrong = notAFile(String(opts.file), "evidence file");
        if (wrong) throw new CairnError(wrong);
        record = { ...base, kind: "file", file: await L.storeEvidenceFile(dir, String(opts.file)) };
      } else if (opts.url) record = { ...base, kind: "link", url: String(opts.url) };
      else if (opts.text) record = { ...base, kind: "attestation", text: String(opts.text) };
      else {
        const [name, version] = String(opts.tool).split("@");
        if (!name || !version) throw new UsageError("--tool must be name@version");
        const output = opts.output ? await L.storeEvidenceFile(dir, String(opts.output)) : undefined;
        record = {
          ...base,
          kind: "tool-result",
          tool: {
            name,
            version,
            ...(opts.command ? { command: String(opts.command) } : {}),
            ...(output ? { outputSha256: output.sha256 } : {}),
          },
          ...(output ? { file: output } : {}),
        };
      }
      const r = L.addEvidence(f.assessment, record);
      L.writeAssessment(dir, r.assessment);
      print(opts.json ? toJson({ id: r.id }) : `recorded ${r.id}`);
    });
  evidence
    .command("list")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(dirOf(opts));
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
    });

  assess
    .command("sign-off")
    .description("a reviewer signs off a finding")
    .argument("<item>")
    .requiredOption("--reviewer <name>")
    .option("--date <yyyy-mm-dd>")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (item: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      L.writeAssessment(
        dir,
        L.signOff(
          f.assessment,
          L.catalogRegistry(opts).item(item)?.id ?? item,
          String(opts.reviewer),
          date(opts.date),
        ),
      );
      print(`${item}: signed off by ${opts.reviewer}`);
    });

  assess
    .command("release")
    .description("move the assessment to a new release: earlier verdicts become stale")
    .requiredOption("--release <version>", "the new firmware or software version")
    .requiredOption("--release-date <yyyy-mm-dd>")
    .option("--hardware <version>")
    .option("--support-end <yyyy-mm-dd>")
    .option("--date <yyyy-mm-dd>")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      const release = {
        ...f.assessment.release,
        version: String(opts.release),
        date: date(opts.releaseDate, "--release-date"),
        ...(opts.hardware ? { hardwareVersion: String(opts.hardware) } : {}),
        ...(opts.supportEnd ? { supportEnd: date(opts.supportEnd, "--support-end") } : {}),
      };
      const a = L.changeRelease(f.assessment, release, date(opts.date));
      L.writeAssessment(dir, a);
      print(
        `release ${release.version}: ${a.findings.filter((x) => L.isStale(x, a, f.profile)).length} findings now stale`,
      );
    });

  assess
    .command("adopt-profile")
    .description("take in a changed profile: new items added, removed items retired, changed items stale")
    .option("--profile <file>", "new profile file (default: the current profile.json, if it was edited)")
    .option("--date <yyyy-mm-dd>")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      if (opts.profile) copyFileSync(String(opts.profile), join(dir, f.assessment.profile.file));
      const path = join(dir, f.assessment.profile.file);
      const profile = L.readProfileFile(path);
      const a = L.adoptProfile(
        f.assessment,
        profile,
        f.assessment.profile.file,
        L.sha256(readFileSync(path)),
        date(opts.date),
      );
      L.writeAssessment(dir, a);
      print(
        `profile ${profile.id}: ${a.findings.length} findings, ${a.retiredFindings?.length ?? 0} retired, ${a.findings.filter((x) => L.isStale(x, a, profile)).length} stale`,
      );
    });

  assess
    .command("conformance")
    .description("EN 303 645 conformance statement: the supplier's declaration per provision")
    .argument("<provision>", "e.g. 5.1-1 or etsi-en-303-645:5.1-1")
    .requiredOption("--support <support>", SUPPORTS.join(" | "))
    .option("--justification <text>", "required when not supported or not applicable (EN 303 645 clause 4)")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (provision: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      const id = provision.includes(":") ? provision : `etsi-en-303-645:${provision}`;
      const item = L.catalogRegistry(opts).item(id);
      if (item?.catalogId !== "etsi-en-303-645" || item.kind !== "provision")
        throw new CairnError(`${provision} is not an EN 303 645 provision`);
      const support = parseChoice("--support", String(opts.support), SUPPORTS) as ImplementationSupport;
      if (support !== "supported" && !opts.justification)
        throw new UsageError(
          "--justification is required when a provision is not supported or not applicable",
        );
      const a = structuredClone(f.assessment);
      a.conformanceStatement ??= { provisions: {} };
      a.conformanceStatement.provisions[item.ref] = {
        support,
        ...(opts.justification ? { justification: String(opts.justification) } : {}),
      };
      L.writeAssessment(dir, a);
      print(`${item.ref}: ${support}`);
    });

  assess
    .command("lint")
    .description(
      "the known pitfalls: no 8259B, 8425 for federal, FIPS without evidence, no SBOM, no VDP, support period...",
    )
    .option("--as-of <yyyy-mm-dd>", "date for expiry checks (default today)")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(dirOf(opts));
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

  assess
    .command("readiness")
    .description("readiness per market, direct or derived through the crosswalks")
    .option("--market <ids>", "comma-separated markets (default: all)")
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const f = L.readAssessmentFolder(dirOf(opts));
      const markets = opts.market ? String(opts.market).split(",") : L.MARKETS.map((m) => m.id);
      for (const m of markets)
        if (!L.MARKETS.some((x) => x.id === m))
          throw new UsageError(`unknown market "${m}"; markets: ${L.MARKETS.map((x) => x.id).join(", ")}`);
      const r = L.computeReadiness(
        f.assessment,
        f.profile,
        L.catalogRegistry(opts),
        L.crosswalkSet(opts),
        markets,
      );
      if (opts.json) return print(toJson(r));
      print(
        renderTable(r, [
          { header: "MARKET", value: (m) => m.label },
          { header: "ITEMS", value: (m) => m.items.length, align: "right" },
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
    });

  assess
    .command("update")
    .description("assessment status and assessors")
    .option("--status <status>", ASSESSMENT_STATUSES.join(" | "))
    .option("--assessor <name>", "add an assessor (repeatable)", collect, [] as string[])
    .option("--dir <dir>", "assessment folder", DEFAULT_DIR)
    .option("--date <yyyy-mm-dd>")
    .action(async (_o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const L = await lib();
      const dir = dirOf(opts);
      const f = L.readAssessmentFolder(dir);
      const a = structuredClone(f.assessment);
      if (opts.status) a.status = parseChoice("--status", String(opts.status), ASSESSMENT_STATUSES);
      for (const name of opts.assessor as string[]) a.assessors.push({ name });
      a.updated = date(opts.date);
      L.writeAssessment(dir, a);
      print(`${a.id}: ${a.status}`);
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
  const assessment = (await get(`api/assessments/${encodeURIComponent(id)}`)) as Assessment;
  const { profile } = (await get(`api/profiles/${encodeURIComponent(assessment.profile.id)}`)) as {
    profile: import("../profile/model.js").Profile;
  };
  return { assessment, profile };
}

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description("CI gate: exit 0 when every required finding passes on the current release, 1 otherwise")
    .argument("[assessment]", "assessment folder, or the assessment id with --server", DEFAULT_DIR)
    .option("--lint", "also fail on pitfalls of severity error")
    .option("--server <url>", "check an assessment stored on a Cairn server instead of a folder")
    .option("--token-env <var>", "environment variable holding the API token for --server", "CAIRN_TOKEN")
    .action(async (dir: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const { checkAssessment, checkConsistency } = await import("../assessment/ops.js");
      let f: { assessment: Assessment; profile: import("../profile/model.js").Profile };
      if (opts.server) f = await fromServer(String(opts.server), dir, String(opts.tokenEnv));
      else {
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
          `${f.assessment.id} (release ${f.assessment.release.version}): ${r.passing}/${r.total} required items pass${ok ? "" : ""}`,
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
