import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web UI: `vite build` with root web/ writes dist/web, which `cairn serve` serves.
// `npx vite --config web/vite.config.ts` runs a dev server that proxies /api to CAIRN_API
// (default http://127.0.0.1:8080), where `cairn serve` listens.
const api = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CAIRN_API;

export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: new URL("../dist/web", import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { "/api": { target: api ?? "http://127.0.0.1:8080", changeOrigin: false } } },
  preview: { proxy: { "/api": { target: api ?? "http://127.0.0.1:8080", changeOrigin: false } } },
});
