// Quick check of catalog files while they are being built: schema, then structure.
// Usage: npx tsx scripts/catalogs/check.ts catalogs/<id>.json [...]
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/catalog.schema.json", import.meta.url), "utf8"),
);
interface CatalogFile {
  items: { ref: string; kind: string; parent?: string }[];
}
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile<CatalogFile>(schema);
let failed = false;
for (const file of process.argv.slice(2)) {
  const data: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!validate(data)) {
    failed = true;
    for (const e of validate.errors ?? []) console.error(`${file}: ${e.instancePath} ${e.message}`);
    continue;
  }
  const refs = new Set<string>();
  const counts = new Map<string, number>();
  for (const [i, item] of data.items.entries()) {
    if (refs.has(item.ref)) {
      failed = true;
      console.error(`${file}: items[${i}] duplicate ref ${item.ref}`);
    }
    if (item.parent !== undefined && !refs.has(item.parent)) {
      failed = true;
      console.error(`${file}: items[${i}] (${item.ref}) parent ${item.parent} not defined before it`);
    }
    refs.add(item.ref);
    counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
  }
  console.log(`${file}: ${data.items.length} items`, Object.fromEntries(counts));
}
process.exit(failed ? 1 : 0);
