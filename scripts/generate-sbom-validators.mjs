// Compiles the official CycloneDX (1.4 to 1.7, as shipped by @cyclonedx/cyclonedx-library), SPDX 2.2,
// 2.3 (schemas/third-party/, from the SPDX specification repository) and SPDX 3.0.1 JSON schemas to
// standalone validators at build time: compiling the CycloneDX 1.6 schema takes over a second, too
// much for every `cairn collect`. Output: src/generated/<name>.validator.ts.
//
// Same options and formats as the library's own validator (ajv, strict off, formats from ajv-formats,
// idn-email from ajv-formats-draft2019, iri-reference accepted), with three changes of speed, none of
// verdict: `uniqueItems` is checked in linear time (src/collect/sbom/unique-items.ts) instead of ajv's
// quadratic loop; an `enum` of hundreds of strings (the SPDX licence ids) is one Set lookup instead of
// a loop of deep-equality calls; and a pattern with a hand-written equivalent
// (src/collect/sbom/schema-patterns.ts: the hash content pattern) is tested by that.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { _, Ajv, stringify } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { useFunc as scopeFunction } from "ajv/dist/compile/util.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import ajvEnum from "ajv/dist/vocabularies/validation/enum.js";
import { fullFormats } from "ajv-formats/dist/formats.js";

const require = createRequire(import.meta.url);
const idnEmail = require("ajv-formats-draft2019/formats/idn-email.js");
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "generated");
const cdxDir = join(dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")), "res", "schema");
mkdirSync(out, { recursive: true });

// Referenced from the generated code; the real function is in src/collect/sbom/unique-items.ts.
const duplicatePair = () => undefined;
duplicatePair.code = 'require("../collect/sbom/unique-items").duplicatePair';

const uniqueItems = {
  keyword: "uniqueItems",
  type: "array",
  schemaType: "boolean",
  error: {
    message: ({ params: { i, j } }) =>
      _`"must NOT have duplicate items (items ## " + ${j} + " and " + ${i} + " are identical)"`,
    params: ({ params: { i, j } }) => _`{i: ${i}, j: ${j}}`,
  },
  code(cxt) {
    const { gen, data, schema } = cxt;
    if (!schema) return;
    const fn = scopeFunction(gen, duplicatePair);
    const pair = gen.const("pair", _`${fn}(${data})`);
    cxt.setParams({ i: _`${pair}[0]`, j: _`${pair}[1]` });
    cxt.fail(_`${pair} !== undefined`);
  },
};

// ajv's own enum, except that a long list of strings, numbers, booleans and nulls (where ajv loops
// over deep-equality calls, 700 of them for a licence id near the end of the SPDX list) becomes a Set:
// for such values deep equality is ===, and Set membership is === (SameValueZero) too. Same error.
const enumDef = ajvEnum.default;
const enumKeyword = {
  ...enumDef,
  code(cxt) {
    const { gen, data, $data, schema, it } = cxt;
    const primitives = Array.isArray(schema) && schema.every((v) => v === null || typeof v !== "object");
    if ($data || !primitives || schema.length < it.opts.loopEnum) return enumDef.code(cxt);
    const set = gen.scopeValue("obj", { ref: new Set(schema), code: _`new Set(${stringify(schema)})` });
    cxt.pass(_`${set}.has(${data})`);
  },
};

// Patterns are built by src/collect/sbom/schema-patterns.ts at run time (a RegExp, or an equivalent
// hand-written test for the few hot ones); at build time, a plain RegExp.
const schemaPattern = (pattern, flags) => new RegExp(pattern, flags);
schemaPattern.code = 'require("../collect/sbom/schema-patterns").schemaPattern';

const formatsCode = _`require("../collect/sbom/schema-formats").formats`;
const formats = {
  date: fullFormats.date,
  "date-time": fullFormats["date-time"],
  uri: fullFormats.uri,
  "idn-email": idnEmail,
  "iri-reference": true,
};

/**
 * ajv checks `additionalProperties: false` of an object with more than 8 properties by calling
 * hasOwnProperty on the schema's `properties` object for every member of the data, which V8 answers
 * slowly for these large objects (the most frequent line of a large SBOM's validation). The same
 * question to a Set of the same names, made once when the module loads (the schemas never change).
 */
function ownKeySets(code) {
  const alias = code.match(/const (func\d+) = Object\.prototype\.hasOwnProperty;/)?.[1];
  if (!alias) return code;
  const sets = new Map();
  const call = new RegExp(
    `\\b${alias}\\.call\\((schema\\d+(?:\\.[A-Za-z_$][\\w$]*)*\\.properties), (key\\d+)\\)`,
    "g",
  );
  const replaced = code.replace(call, (_m, props, key) => {
    if (!sets.has(props)) sets.set(props, `ownKeys${sets.size}`);
    return `${sets.get(props)}.has(${key})`;
  });
  const decls = [...sets].map(([props, name]) => `const ${name} = new Set(Object.keys(${props}));`);
  // After the schema constants, before any validation runs: at the end of the module's code.
  return `${replaced}\n${decls.join("\n")}\n`;
}

function build(AjvClass, schema, refs) {
  const ajv = new AjvClass({
    strict: false,
    strictSchema: false,
    useDefaults: false,
    allErrors: false,
    formats,
    code: { source: true, esm: true, formats: formatsCode, lines: false, regExp: schemaPattern },
  });
  ajv.removeKeyword("uniqueItems");
  ajv.addKeyword(uniqueItems);
  // Same place among the keywords as ajv's enum, so that the first error reported stays the same.
  const group = ajv.RULES.rules.find((g) => g.rules.some((r) => r.keyword === "enum"));
  const next = group.rules[group.rules.findIndex((r) => r.keyword === "enum") + 1]?.keyword;
  ajv.removeKeyword("enum");
  ajv.addKeyword(next ? { ...enumKeyword, before: next } : enumKeyword);
  for (const [id, s] of Object.entries(refs)) ajv.addSchema(s, id);
  // String lengths by our function (src/collect/sbom/schema-lengths.ts): the same count, without
  // walking every one-byte string in script. ajv has no option to name its length function.
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  const ajvLength = 'require("ajv/dist/runtime/ucs2length").default';
  return ownKeySets(code.split(ajvLength).join('require("../collect/sbom/schema-lengths").ucs2length'));
}

// ajv emits require() in ESM mode: our own modules become namespace imports, CommonJS packages
// stay require() calls through createRequire.
function toModule(code, source) {
  const imports = new Map();
  code = code.replace(/require\("([^"]+)"\)/g, (_m, mod) => {
    if (!imports.has(mod)) {
      const local = `__req${imports.size}`;
      const spec = mod.endsWith(".js") ? mod : `${mod}.js`;
      // CommonJS packages through require: default-import interop differs between Node and Vite.
      imports.set(
        mod,
        mod.startsWith(".")
          ? `import * as ${local} from "${spec}";`
          : `const ${local} = __require("${mod}");`,
      );
    }
    return `__req${[...imports.keys()].indexOf(mod)}`;
  });
  code = code.replace(/^"use strict";/, "");
  const name = code.match(/export const validate = (\w+);/)?.[1];
  code = code.replace(/export const validate = \w+;export default \w+;/, "");
  return [
    "// @ts-nocheck",
    `// Generated from ${source} by scripts/generate-sbom-validators.mjs. Do not edit.`,
    'import type { ErrorObject } from "ajv";',
    'import { createRequire } from "node:module";',
    "const __require = createRequire(import.meta.url);",
    ...imports.values(),
    code,
    "type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };",
    `const validate: Validator = ${name};`,
    "export default validate;",
    "",
  ].join("\n");
}

const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const cdxRefs = {
  "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json": read(join(cdxDir, "spdx.SNAPSHOT.schema.json")),
  "http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json": read(
    join(cdxDir, "cryptography-defs.SNAPSHOT.schema.json"),
  ),
  "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json": read(
    join(cdxDir, "jsf-0.82.SNAPSHOT.schema.json"),
  ),
};
let n = 0;
for (const version of ["1.4", "1.5", "1.6", "1.7"]) {
  const file = `bom-${version}.SNAPSHOT.schema.json`;
  const code = build(Ajv, read(join(cdxDir, file)), cdxRefs);
  writeFileSync(
    join(out, `cyclonedx-${version}.validator.ts`),
    toModule(code, `@cyclonedx/cyclonedx-library/res/schema/${file}`),
  );
  n++;
}
// The SPDX 2 schemas declare draft-07, like CycloneDX's: same Ajv class, same options. They use no
// `format`, `pattern` or `uniqueItems`, so the formats policy above changes nothing for them.
for (const version of ["2.2", "2.3"]) {
  const file = `schemas/third-party/spdx-${version}.schema.json`;
  writeFileSync(
    join(out, `spdx-${version}.validator.ts`),
    toModule(build(Ajv, read(join(root, file)), {}), file),
  );
  n++;
}
const spdx3 = "schemas/third-party/spdx-3.0.1.schema.json";
writeFileSync(
  join(out, "spdx-3.0.1.validator.ts"),
  toModule(build(Ajv2020, read(join(root, spdx3)), {}), spdx3),
);
n++;
console.log(`generated ${n} SBOM validators in src/generated/`);
