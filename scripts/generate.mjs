// Every generator of src/generated/ (git-ignored), in one place: `npm run generate` and the test
// set-up both run this, so a new generator is listed once.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const script of ["generate-validators.mjs", "generate-sbom-validators.mjs", "generate-confusables.mjs"])
  execFileSync(process.execPath, [join("scripts", script)], { cwd: root, stdio: "inherit" });
