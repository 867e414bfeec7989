import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledPath } from "../../src/core/paths.js";
import { defaultWebRoot, IMMUTABLE, UI_CSP } from "../../src/server/web.js";
import { DATABASES, makeServer, type OpenedDatabase } from "./helpers.js";

// Serving the built UI beside the API. A small stand-in for dist/web keeps the test independent
// of the build (the end-to-end test runs the real one); the database plays no part here, so
// SQLite only.

const INDEX = `<!doctype html><html><head><script type="module" src="/assets/app-3f2a.js"></script></head><body><div id="root"></div></body></html>\n`;
const SCRIPT = "console.log('cairn');\n";

const sqlite = DATABASES[0] as (typeof DATABASES)[number];

describe("web UI serving", () => {
  let db: OpenedDatabase;
  let web: string;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    db = await sqlite.open();
    web = mkdtempSync(join(tmpdir(), "cairn-web-"));
    mkdirSync(join(web, "assets"));
    writeFileSync(join(web, "index.html"), INDEX);
    writeFileSync(join(web, "assets", "app-3f2a.js"), SCRIPT);
    writeFileSync(join(web, "assets", "app-3f2a.css"), "body{margin:0}\n");
    writeFileSync(join(web, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>\n");
    writeFileSync(join(web, ".secret"), "dotfile\n");
    app = await makeServer(db, { webRoot: web });
    bare = await makeServer(db, { webRoot: join(web, "missing") });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    await db?.cleanup();
    rmSync(web, { recursive: true, force: true });
  });

  it("finds the UI in dist/web of the package by default", () => {
    expect(defaultWebRoot()).toBe(bundledPath("dist", "web"));
  });

  it("serves index.html at / without authentication, revalidated, under a strict CSP", async () => {
    const r = await app.inject({ method: "GET", url: "/" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/html/);
    expect(r.body).toBe(INDEX);
    expect(r.headers["cache-control"]).toBe("no-cache");
    const csp = String(r.headers["content-security-policy"]);
    expect(csp).toBe(UI_CSP);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["referrer-policy"]).toBe("no-referrer");
    expect(r.headers["x-frame-options"]).toBe("DENY");
    const direct = await app.inject({ method: "GET", url: "/index.html" });
    expect(direct.statusCode).toBe(200);
    expect(direct.headers["cache-control"]).toBe("no-cache");
  });

  it("serves hashed assets as immutable, with their media type", async () => {
    const js = await app.inject({ method: "GET", url: "/assets/app-3f2a.js" });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe(SCRIPT);
    expect(js.headers["content-type"]).toMatch(/javascript/);
    expect(js.headers["cache-control"]).toBe(IMMUTABLE);
    expect(js.headers.etag).toBeTruthy();
    const again = await app.inject({
      method: "GET",
      url: "/assets/app-3f2a.js",
      headers: { "if-none-match": String(js.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const css = await app.inject({ method: "GET", url: "/assets/app-3f2a.css" });
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
    const head = await app.inject({ method: "HEAD", url: "/assets/app-3f2a.js" });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    // Other files at the top are not hashed: revalidated.
    const icon = await app.inject({ method: "GET", url: "/favicon.svg" });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers["cache-control"]).toBe("no-cache");
  });

  it("answers the app's own paths with index.html (GET and HEAD), never a missing asset", async () => {
    for (const url of [
      "/login",
      "/catalogs",
      "/catalogs/nist-ir-8259a?item=nist-ir-8259a%3A1",
      "/family",
      "/matrix?anchor=nist-ir-8259a&columns=eu-cra",
      "/profiles/new",
      "/profiles/pro_AAAAAAAAAAAAAAAAAAAA",
      "/assessments/asm_AAAAAAAAAAAAAAAAAAAA",
      "/admin",
      "/some/deep/path/",
    ]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"], url).toMatch(/^text\/html/);
      expect(r.body, url).toBe(INDEX);
      expect(r.headers["cache-control"], url).toBe("no-cache");
    }
    const head = await app.inject({ method: "HEAD", url: "/profiles" });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-type"]).toMatch(/^text\/html/);
    const asset = await app.inject({ method: "GET", url: "/assets/app-0000.js" });
    expect(asset.statusCode).toBe(404);
    expect(asset.body).not.toContain("<html");
  });

  it("keeps the API's JSON 404 and its authentication", async () => {
    for (const url of ["/api/nope", "/api", "/api/profiles/vocabulary/extra"]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toMatchObject({ code: "not-found" });
    }
    expect((await app.inject({ method: "HEAD", url: "/api/nope" })).statusCode).toBe(404);
    const post = await app.inject({ method: "POST", url: "/login", payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json().code).toBe("not-found");
    expect((await app.inject({ method: "GET", url: "/api/products" })).statusCode).toBe(401);
    // Authenticated API answers carry the security headers too, and are not cached.
    const health = await app.inject({ method: "GET", url: "/api/health" });
    expect(health.headers["cache-control"]).toBe("no-store");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves no file outside the folder, no dotfile, no folder listing", async () => {
    for (const url of [
      "/../package.json",
      "/..%2f..%2fpackage.json",
      "/assets/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
    ]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.body, url).not.toContain('"name"');
      expect([200, 400, 403, 404], url).toContain(r.statusCode);
    }
    const dot = await app.inject({ method: "GET", url: "/.secret" });
    expect(dot.body).not.toContain("dotfile");
    const dir = await app.inject({ method: "GET", url: "/assets/" });
    expect(dir.statusCode).toBe(404);
  });

  it("says how to build the UI when it is not built, and the API still works", async () => {
    const r = await bare.inject({ method: "GET", url: "/" });
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toMatch(/^text\/plain/);
    expect(r.body).toContain("npm run build");
    expect((await bare.inject({ method: "GET", url: "/profiles" })).body).toContain("not built");
    expect((await bare.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    expect((await bare.inject({ method: "GET", url: "/api/nope" })).json().code).toBe("not-found");
  });
});
