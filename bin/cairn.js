#!/usr/bin/env node
// The bundled CLI (dist/cli/, built by scripts/bundle-cli.mjs) starts faster: a few files instead
// of dozens of modules. The unbundled build (dist/src/) is the fallback when the bundle is missing.
// A reader that stops early (`cairn profile show x | head`) closes the pipe: that is not an
// error of Cairn, so stop quietly instead of printing Node's EPIPE stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (err) => {
    if (err?.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
let main;
try {
  main = await import("../dist/cli/main.js");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("dist/cli/main.js")) throw err;
  main = await import("../dist/src/cli/main.js");
}
process.exitCode = await main.run(process.argv.slice(2));
