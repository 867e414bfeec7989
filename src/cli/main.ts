import { Command, CommanderError } from "commander";
import { CairnError, formatProblem } from "../core/problem.js";
import { registerCatalogCommands } from "./catalog.js";
import { registerCrosswalkCommands } from "./crosswalk.js";
import { registerDocsCommand } from "./docs.js";
import { registerMatrixCommand } from "./matrix.js";
import { registerProfileCommands } from "./profile.js";

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
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
      "\nExit codes: 0 ok, 1 findings or validation errors, 2 usage errors.\nDocs: README.md and docs/ in the Cairn repository.",
    );
  registerCatalogCommands(program);
  registerCrosswalkCommands(program);
  registerMatrixCommand(program);
  registerProfileCommands(program);
  registerDocsCommand(program);
  program.exitOverride();
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
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
    process.stderr.write(`cairn: internal error: ${(err as Error).message ?? String(err)}\n`);
    if (debug) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    else process.stderr.write("  (run again with --debug for details)\n");
    return EXIT_FINDINGS;
  }
}
