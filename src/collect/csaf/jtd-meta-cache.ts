/**
 * One compiled JTD meta-schema per process, instead of one per Ajv instance.
 *
 * The BSI validator library (@secvisogram/csaf-validator-lib) gives each of its test modules its
 * own `new Ajv()` from ajv/dist/jtd.js and compiles a small JTD schema at import. Every such
 * instance first compiles ajv's JTD meta-schema to check that schema: about 55 ms each, 90% of the
 * 2 s a `cairn collect` of an advisory spent loading the mandatory tests (bench/collect-artifacts.ts,
 * "first run"). The compiled meta-schema validator holds no reference to its Ajv instance (it is the
 * code ajv's standalone mode would emit), so instances with the same meta-schema options can share
 * it: the schemas are still checked against the meta-schema, exactly as before.
 *
 * The library imports the CommonJS ajv/dist/jtd.js, resolved from its own folder; this module loads
 * the same file through require, so the class it patches is the one the library's modules use.
 */
import { createRequire } from "node:module";

interface SchemaEnvLike {
  schema: unknown;
  validate?: unknown;
}
interface JtdAjvPrototype {
  _compileMetaSchema(this: { _metaOpts: object }, sch: SchemaEnvLike): void;
  __cairnSharedMeta?: true;
}

let installed = false;

export function shareJtdMetaSchema(): void {
  if (installed) return;
  installed = true;
  const fromLibrary = createRequire(
    createRequire(import.meta.url).resolve("@secvisogram/csaf-validator-lib/package.json"),
  );
  const JtdAjv = fromLibrary("ajv/dist/jtd.js") as { prototype: JtdAjvPrototype };
  const metaSchema = (fromLibrary("ajv/dist/refs/jtd-schema.js") as { default: unknown }).default;
  const proto = JtdAjv.prototype;
  if (proto.__cairnSharedMeta || typeof proto._compileMetaSchema !== "function") return;
  const compile = proto._compileMetaSchema;
  // Keyed by the meta options an instance compiles the meta-schema with (its code depends on them).
  const compiled = new Map<string, unknown>();
  proto._compileMetaSchema = function (this: { _metaOpts: object }, sch: SchemaEnvLike): void {
    if (sch.schema !== metaSchema) {
      compile.call(this, sch);
      return;
    }
    const key = optionsKey(this._metaOpts);
    const shared = compiled.get(key);
    if (shared) {
      sch.validate = shared;
      return;
    }
    compile.call(this, sch);
    compiled.set(key, sch.validate);
  };
  proto.__cairnSharedMeta = true;
}

const identities = new WeakMap<object, number>();
let nextId = 0;

/** Options as a key: plain values and functions by their text, other objects (the URI resolver) by identity. */
function optionsKey(options: object): string {
  const part = (v: unknown): unknown => {
    if (typeof v === "function") return `fn:${String(v)}`;
    if (v === null || typeof v !== "object") return v;
    if (Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every((x) => typeof x !== "object"))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, part(x)]));
    let id = identities.get(v);
    if (id === undefined) {
      id = nextId++;
      identities.set(v, id);
    }
    return `object#${id}`;
  };
  return JSON.stringify(Object.entries(options).map(([k, v]) => [k, part(v)]));
}
