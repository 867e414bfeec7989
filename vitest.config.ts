import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/setup/build.ts"],
    // Two cores here: forks keep native modules and process-level tests isolated.
    pool: "forks",
    testTimeout: 20_000,
    // Set-up hooks open databases and start servers: on a loaded two-core machine they can take
    // more than the default 10 s without anything being wrong.
    hookTimeout: 60_000,
  },
});
