// The Unicode confusables table (UTS #39) as a module: src/generated/confusables.ts, git-ignored,
// made by `npm run generate` like the validators. The data is the one the npm package
// `unhomoglyph` ships (data.json: each source character -> its prototype, read from Unicode's
// confusables.txt, version 13.0.0 per its CHANGELOG); the package's own replace function is not
// used: the e-mail skeleton (src/core/email.ts) is UTS #39's (NFD, ignorables removed, prototypes,
// NFD), which needs the table only.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const pkg = JSON.parse(readFileSync(require.resolve("unhomoglyph/package.json"), "utf8"));
const source = `unhomoglyph@${pkg.version}/data.json`;
const changelog = readFileSync(
  join(dirname(require.resolve("unhomoglyph/package.json")), "CHANGELOG.md"),
  "utf8",
);
// The newest entry of the CHANGELOG names the Unicode version of the data.
const version = /Update mapping data to version (\d+\.\d+\.\d+)/.exec(changelog)?.[1];
if (pkg.version !== "1.0.6" || version !== "13.0.0")
  throw new Error(
    `${source}: expected unhomoglyph 1.0.6 with Unicode 13.0.0 data, found ${pkg.version} / ${version}: check the new data and update this script and the tests`,
  );
const data = JSON.parse(readFileSync(require.resolve("unhomoglyph/data.json"), "utf8"));
const pairs = [];
for (const [from, to] of Object.entries(data)) {
  if ([...from].length !== 1 || typeof to !== "string" || to.length === 0)
    throw new Error(`${source}: "${from}" is not one character mapped to a prototype`);
  pairs.push([from, to]);
}
if (pairs.length < 6000) throw new Error(`${source}: only ${pairs.length} mappings read`);
pairs.sort(([a], [b]) => a.codePointAt(0) - b.codePointAt(0));
const out = join(root, "src", "generated");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "confusables.ts"),
  [
    "// @ts-nocheck",
    `// Generated from ${source} (Unicode ${version} confusables) by scripts/generate-confusables.mjs. Do not edit.`,
    `export const CONFUSABLES_VERSION = ${JSON.stringify(version)};`,
    `export const CONFUSABLES_SOURCE = ${JSON.stringify(source)};`,
    `/** Code point -> prototype (UTS #39 confusables, ${pairs.length} mappings). */`,
    `export const CONFUSABLES: ReadonlyMap<string, string> = new Map(JSON.parse(${JSON.stringify(JSON.stringify(pairs))}));`,
    "",
  ].join("\n"),
);
console.log(
  `generated the confusables table (${pairs.length} mappings, Unicode ${version}, ${source}) in src/generated/`,
);
