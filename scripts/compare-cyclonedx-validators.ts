// Compares Cairn's CycloneDX validation with @cyclonedx/cyclonedx-library's strict validator on a
// folder of test vectors laid out as in the CycloneDX specification repository
// (tools/src/test/resources/<version>/{valid,invalid}-*.json), and with each file's valid-/invalid-
// name. Usage: npx tsx scripts/compare-cyclonedx-validators.ts [<folder>]; the default folder is the
// copy of those vectors in test/fixtures/sbom/cyclonedx-spec (its SOURCES.md names the commit).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateAgainstSchema } from "../src/collect/sbom/validate.js";

const require = createRequire(import.meta.url);
const { Validation } = require("@cyclonedx/cyclonedx-library") as {
  Validation: { JsonStrictValidator: new (v: string) => { validate(text: string): Promise<unknown> } };
};

const dir =
  process.argv[2] ?? fileURLToPath(new URL("../test/fixtures/sbom/cyclonedx-spec", import.meta.url));
if (!existsSync(dir)) {
  console.error("usage: compare-cyclonedx-validators [<folder with 1.4/, 1.5/, 1.6/, 1.7/>]");
  process.exit(2);
}
let same = 0;
let different = 0;
let nameDisagrees = 0;
for (const version of ["1.4", "1.5", "1.6", "1.7"]) {
  const folder = join(dir, version);
  if (!existsSync(folder)) continue;
  const library = new Validation.JsonStrictValidator(version);
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const text = readFileSync(join(folder, file), "utf8");
    const theirs = (await library.validate(text)) === null;
    const ours = await validateAgainstSchema(`cyclonedx-${version}`, JSON.parse(text));
    if (ours.valid === theirs) same++;
    else {
      different++;
      console.log(
        `DIFFERENT ${version}/${file}: library ${theirs}, Cairn ${ours.valid} ${ours.error?.location ?? ""} ${ours.error?.message ?? ""}`,
      );
    }
    if (ours.valid !== file.startsWith("valid-")) {
      nameDisagrees++;
      console.log(`NAME ${version}/${file}: Cairn says ${ours.valid ? "valid" : "invalid"}`);
    }
  }
}
console.log(`${same} same verdicts, ${different} different; ${nameDisagrees} disagree with the file name`);
process.exit(different > 0 ? 1 : 0);
