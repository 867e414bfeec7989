// Quick check of crosswalk files while they are being authored: schema, refs that exist in the
// named catalog versions, duplicate and contradictory rows. The product's loader
// (src/crosswalk/) does the same checks; this script has no dependency on it.
// Usage: npx tsx scripts/catalogs/check-crosswalk.ts catalogs/mappings/<id>.json [...]
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { loadCatalogs } from "../../src/catalog/files.js";

interface Row {
  id?: string;
  sources: string[];
  targets: string[];
  relationship: string;
}
interface CrosswalkFile {
  crosswalk: {
    id: string;
    source: { catalog: string; version: string };
    target: { catalog: string; version: string };
  };
  mappings: Row[];
}

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/crosswalk.schema.json", import.meta.url), "utf8"),
);
const validate = new Ajv({ allErrors: true }).compile<CrosswalkFile>(schema);
const { registry } = loadCatalogs();
let failed = false;
const fail = (msg: string) => {
  failed = true;
  console.error(msg);
};
for (const file of process.argv.slice(2)) {
  const data: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!validate(data)) {
    for (const e of validate.errors ?? []) fail(`${file}: ${e.instancePath} ${e.message}`);
    continue;
  }
  const src = registry.get(`${data.crosswalk.source.catalog}@${data.crosswalk.source.version}`);
  const tgt = registry.get(`${data.crosswalk.target.catalog}@${data.crosswalk.target.version}`);
  if (!src) fail(`${file}: unknown source catalog version`);
  if (!tgt) fail(`${file}: unknown target catalog version`);
  if (!src || !tgt) continue;
  const seen = new Map<string, string>();
  const ids = new Set<string>();
  data.mappings.forEach((row, i) => {
    const where = `${file}: mappings[${i}]${row.id ? ` (id ${row.id})` : ""}`;
    if (row.id) {
      if (ids.has(row.id)) fail(`${where}: duplicate id`);
      ids.add(row.id);
    }
    for (const s of row.sources) if (!src.byRef.has(s)) fail(`${where}: source ${s} not in ${src.key}`);
    for (const t of row.targets) if (!tgt.byRef.has(t)) fail(`${where}: target ${t} not in ${tgt.key}`);
    const key = `${[...row.sources].sort().join(",")} -> ${[...row.targets].sort().join(",")}`;
    const prev = seen.get(key);
    if (prev !== undefined)
      fail(`${where}: ${prev === row.relationship ? "duplicate" : "contradictory"} row ${key}`);
    seen.set(key, row.relationship);
  });
  const rel = new Map<string, number>();
  for (const r of data.mappings) rel.set(r.relationship, (rel.get(r.relationship) ?? 0) + 1);
  console.log(`${file}: ${data.mappings.length} rows`, Object.fromEntries(rel));
}
process.exit(failed ? 1 : 0);
