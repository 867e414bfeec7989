import { Command, CommanderError } from "commander";
import { fileErrorMessage, isFileSystemError } from "../core/file-errors.js";
import { CairnError, formatProblem } from "../core/problem.js";
import { takeExitCode } from "./output.js";

/**
 * Command groups, each loaded only when its name is the command given (or for help): a command
 * pays at start-up for its own code, not for every other command's.
 */
const GROUPS: Record<string, () => Promise<(program: Command) => void | Promise<void>>> = {
  catalog: async () => (await import("./catalog.js")).registerCatalogCommands,
  crosswalk: async () => (await import("./crosswalk.js")).registerCrosswalkCommands,
  matrix: async () => (await import("./matrix.js")).registerMatrixCommand,
  profile: async () => (await import("./profile.js")).registerProfileCommands,
  docs: async () => (await import("./docs.js")).registerDocsCommand,
  assess: async () => (await import("./assess.js")).registerAssessCommands,
  check: async () => (await import("./assess.js")).registerCheckCommand,
  dossier: async () => (await import("./dossier.js")).registerDossierCommands,
  serve: async () => (await import("./server.js")).registerServerCommands,
  admin: async () => (await import("./server.js")).registerServerCommands,
  audit: async () => (await import("./server.js")).registerServerCommands,
  collect: async () => (await import("./collect.js")).registerCollectCommands,
  feeds: async () => (await import("./collect.js")).registerFeedsCommands,
  push: async () => (await import("./sync.js")).registerSyncCommands,
  pull: async () => (await import("./sync.js")).registerSyncCommands,
};

/** The first word that is not an option or an option's value: the command group asked for. */
function groupOf(argv: string[]): string | undefined {
  const withValue = new Set(["--catalogs", "--crosswalks"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (withValue.has(a)) i++;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** A bug in Cairn, not in the input: CI can tell a crash from a bad file (pytest's convention). */
export const EXIT_INTERNAL = 3;

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command("cairn")
    .description(
      "Cairn: IoT device cybersecurity conformity workbench (NIST IoT baseline, SP 800-213, EN 303 645, EU CRA)",
    )
    .version(process.env.npm_package_version ?? "0.1.0", "-V, --version")
    .option("--json", "machine-readable JSON output")
    .option(
      "--catalogs <path>",
      "extra catalog file or folder to load beside the bundled ones (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--crosswalks <path>",
      "extra crosswalk file or folder to load beside the bundled ones (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--debug", "print stack traces of internal errors")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 findings or invalid input, 2 usage errors, 3 internal error (a bug in Cairn).\nDocs: README.md and docs/ in the Cairn repository.",
    );
  const group = groupOf(argv);
  const versionOnly = group === undefined && (argv.includes("-V") || argv.includes("--version"));
  const names = versionOnly ? [] : group !== undefined && group in GROUPS ? [group] : Object.keys(GROUPS);
  // Several names may share one group (push and pull, serve and admin): each registers once.
  const registers = new Set<(p: Command) => void | Promise<void>>();
  for (const name of names)
    registers.add(await (GROUPS[name] as () => Promise<(p: Command) => void | Promise<void>>)());
  for (const register of registers) await register(program);
  program.exitOverride();
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  try {
    takeExitCode();
    await program.parseAsync(argv, { from: "user" });
    return takeExitCode() || EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      ) {
        return EXIT_OK;
      }
      // An unknown command with no subcommand given: commander printed the help already.
      return EXIT_USAGE;
    }
    if (err instanceof CairnError) {
      if (json && err.problems.length > 0) {
        process.stderr.write(`${JSON.stringify({ error: err.message, problems: err.problems }, null, 2)}\n`);
      } else {
        process.stderr.write(`cairn: ${err.message}\n`);
        for (const p of err.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
      }
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    // A path the user gave that is missing, a folder or unreadable: their input, said in their words.
    if (isFileSystemError(err)) {
      process.stderr.write(`cairn: ${fileErrorMessage(err.path, err)}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return EXIT_FINDINGS;
    }
    process.stderr.write(`cairn: internal error: ${(err as Error).message ?? String(err)}\n`);
    if (debug) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    else process.stderr.write("  (run again with --debug for details)\n");
    return EXIT_INTERNAL;
  }
}
