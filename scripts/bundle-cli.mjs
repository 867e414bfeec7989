// Bundles the CLI at build time (`npm run build`) into dist/cli/: one ES module for the start-up
// path (main, the command groups' registration and commander) and a chunk per lazily loaded
// implementation. A command then loads a handful of files instead of dozens of modules, each of
// which costs Node a resolution, a read and a compile at every start (bench/profiles.ts measures
// `cairn profile resolve` as a whole process). Runtime dependencies other than commander stay
// external: they are loaded, lazily, from node_modules as before. bin/cairn.js falls back to the
// unbundled dist/src/cli/main.js when the bundle is missing.
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies)
  .filter((name) => name !== "commander")
  .flatMap((name) => [name, `${name}/*`]);

/**
 * commander requires node:child_process when it loads, for executable subcommands (a `cairn-foo`
 * program run as `cairn foo`), which Cairn does not use; loading it costs every command a few
 * milliseconds of start-up. commander's require of it is served by a stand-in that loads the real
 * module on first use (commander only calls `spawn`).
 */
const lazyChildProcess = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "lazy" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents:
        'let real; const load = () => (real ??= require("node:child_process")); module.exports = { spawn: (...a) => load().spawn(...a) };',
      loader: "js",
    }));
  },
};

// Chunk names carry a content hash: without a clean folder every build would leave the last one's.
rmSync(join(root, "dist/cli"), { recursive: true, force: true });

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
  plugins: [lazyChildProcess],
});
console.log("bundled the CLI into dist/cli/");
