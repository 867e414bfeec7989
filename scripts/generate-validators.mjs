// Compiles the project's JSON Schemas to standalone validation code at build time, so that a
// command does not pay for importing ajv and compiling schemas on every start (cold load of all
// catalogs has a 150 ms budget). Output: src/generated/<name>.validator.ts, git-ignored; tsc compiles
// it like any module (the code itself is ajv's, so it is not type-checked).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "generated");
mkdirSync(out, { recursive: true });

const schemas = [
  ["catalog", "schemas/catalog.schema.json"],
  ["document-family", "schemas/document-family.schema.json"],
  ["crosswalk", "schemas/crosswalk.schema.json"],
  ["profile-rules", "schemas/profile-rules.schema.json"],
  ["profile", "schemas/profile.schema.json"],
  ["assessment", "schemas/assessment.schema.json"],
  ["search-glossary", "schemas/search-glossary.schema.json"],
];

for (const [name, file] of schemas) {
  const schema = JSON.parse(readFileSync(join(root, file), "utf8"));
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  let code = standaloneCode.default(ajv, ajv.compile(schema));
  // ajv emits require() for its runtime helpers even in ESM mode; turn them into imports.
  const imports = [];
  code = code.replace(/require\("([^"]+)"\)\.default/g, (_m, mod) => {
    const local = `__runtime${imports.length}`;
    imports.push(
      `import ${local}Module from "${mod}.js";\nconst ${local} = ${local}Module.default ?? ${local}Module;`,
    );
    return local;
  });
  code = code.replace(/^"use strict";/, "");
  code = code.replace("export const validate = validate10;export default validate10;", "");
  const header = [
    "// @ts-nocheck",
    `// Generated from ${file} by scripts/generate-validators.mjs. Do not edit.`,
    'import type { ErrorObject } from "ajv";',
    ...imports,
  ].join("\n");
  const footer = [
    "type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };",
    "const validate: Validator = validate10;",
    "export default validate;",
  ].join("\n");
  writeFileSync(join(out, `${name}.validator.ts`), `${header}\n${code}\n${footer}\n`);
}
console.log(`generated ${schemas.length} validators in src/generated/`);
