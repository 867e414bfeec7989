// One cold load in a fresh process: import the loader, read, validate and index every bundled
// catalog. Prints the milliseconds as JSON for bench/catalogs.ts.
const t0 = performance.now();
const { loadCatalogs } = await import("../src/catalog/files.js");
const r = loadCatalogs();
const t1 = performance.now();
if (r.problems.length > 0) throw new Error(`bundled catalogs invalid: ${r.problems.length} problems`);
process.stdout.write(
  JSON.stringify({
    ms: t1 - t0,
    catalogs: r.catalogs.length,
    items: r.catalogs.reduce((n, c) => n + c.items.length, 0),
  }),
);
