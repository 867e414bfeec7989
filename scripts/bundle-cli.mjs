// Bundles the CLI at build time (`npm run build`) into dist/cli/: one ES module for the start-up
// path (main, the command groups' registration and commander) and a chunk per lazily loaded
// implementation. A command then loads a handful of files instead of dozens of modules, each of
// which costs Node a resolution, a read and a compile at every start (bench/profiles.ts measures
// `cairn profile resolve` as a whole process). Runtime dependencies other than commander stay
// external: they are loaded, lazily, from node_modules as before. bin/cairn.js falls back to the
// unbundled dist/src/cli/main.js when the bundle is missing.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies)
  .filter((name) => name !== "commander")
  .flatMap((name) => [name, `${name}/*`]);

await build({
  absWorkingDir: root,
  // The collector worker is started by path (src/collect/run.ts), so it is an entry of its own.
  entryPoints: { main: "src/cli/main.ts", "collect-worker": "src/collect/worker.ts" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // commander is CommonJS: give its require() calls of Node's modules a real require.
  banner: {
    js: 'import { createRequire as __cairnRequire } from "node:module"; const require = __cairnRequire(import.meta.url);',
  },
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  logLevel: "warning",
});
console.log("bundled the CLI into dist/cli/");
