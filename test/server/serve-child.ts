// Runs `cairn <args>` for the server command group in a child process (the serve test's server).
import { Command } from "commander";
import { registerServerCommands } from "../../src/cli/server.js";

const program = new Command("cairn");
registerServerCommands(program);
await program.parseAsync(process.argv.slice(2), { from: "user" });
