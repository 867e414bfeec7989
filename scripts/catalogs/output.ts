// The end of every catalog generator: write its catalog files, or with --check fail (exit 1) when a
// committed file differs from what the generator makes now (CI runs the checks).
import { readFileSync, writeFileSync } from "node:fs";

interface GeneratedCatalog {
  items: unknown[];
}

/**
 * `files` are [path from the repository root, catalog]; `script` names the generator in the
 * message that says how to bring a stale file up to date; `describe` adds to the "wrote" line.
 */
export function writeOrCheckCatalogs(
  script: string,
  files: readonly (readonly [string, GeneratedCatalog])[],
  describe: (data: GeneratedCatalog) => string = (data) => `${data.items.length} items`,
): void {
  const root = new URL("../../", import.meta.url);
  let stale = false;
  for (const [file, data] of files) {
    const json = `${JSON.stringify(data, null, 2)}\n`;
    const url = new URL(file, root);
    if (process.argv.includes("--check")) {
      let current = "";
      try {
        current = readFileSync(url, "utf8");
      } catch {
        // a missing file is out of date too
      }
      if (current !== json) {
        console.error(`${file} is out of date: run npx tsx ${script}`);
        stale = true;
      }
    } else {
      writeFileSync(url, json);
      console.log(`wrote ${file}: ${describe(data)}`);
    }
  }
  if (stale) process.exit(1);
}
