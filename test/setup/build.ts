import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Process-level tests run the built CLI (bin/cairn.js -> dist/), so build it once first. */
export default function setup(): void {
  // For quick local runs of unit tests while dist/ is known to be current.
  if (process.env.CAIRN_SKIP_BUILD === "1") return;
  const root = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync(process.execPath, ["scripts/generate.mjs"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
