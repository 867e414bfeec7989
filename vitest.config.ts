import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/setup/build.ts"],
    // Two cores here: forks keep native modules and process-level tests isolated.
    pool: "forks",
    testTimeout: 20_000,
  },
});
