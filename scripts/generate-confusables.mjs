// The Unicode confusables table (UTS #39, reference/unicode/confusables-17.0.0.txt) as a module:
// src/generated/confusables.ts, git-ignored, made by `npm run generate` like the validators.
// Each line `source ; prototype ; MA # ...` maps one code point to its prototype sequence; the
// e-mail skeleton (src/server/email.ts) replaces each character by its prototype.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = "reference/unicode/confusables-17.0.0.txt";
const text = readFileSync(join(root, source), "utf8");
const version = /^# Version: (\S+)/m.exec(text)?.[1];
if (version !== "17.0.0") throw new Error(`${source}: expected version 17.0.0, found ${version}`);
const codes = (field) =>
  field
    .trim()
    .split(/\s+/)
    .map((hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .join("");
const pairs = [];
for (const line of text.split("\n")) {
  const m = /^([0-9A-F]{4,6}) ;\t([0-9A-F ]+) ;\tMA\t/.exec(line);
  if (m) pairs.push([codes(m[1]), codes(m[2])]);
}
if (pairs.length < 6000) throw new Error(`${source}: only ${pairs.length} mappings read`);
const out = join(root, "src", "generated");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "confusables.ts"),
  [
    "// @ts-nocheck",
    `// Generated from ${source} (Unicode ${version}) by scripts/generate-confusables.mjs. Do not edit.`,
    `export const CONFUSABLES_VERSION = ${JSON.stringify(version)};`,
    `/** Code point -> prototype (UTS #39 confusables, ${pairs.length} mappings). */`,
    `export const CONFUSABLES: ReadonlyMap<string, string> = new Map(JSON.parse(${JSON.stringify(JSON.stringify(pairs))}));`,
    "",
  ].join("\n"),
);
console.log(
  `generated the confusables table (${pairs.length} mappings, Unicode ${version}) in src/generated/`,
);
