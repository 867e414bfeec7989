// `cairn check` as a whole process, the command a manufacturer runs in CI, on the worked example
// (495 findings). Run with `npm run bench`.
import { timeProcess } from "./process.js";
import { report } from "./stats.js";

export function benchAssessments(): void {
  console.log("\n== assessments ==");
  report(
    "cairn check, worked example (495 findings)",
    timeProcess(["bin/cairn.js", "check", "examples/smart-thermostat/assessment"], 15),
    300,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchAssessments();
