import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bundledPath } from "../core/paths.js";
import { notFoundHandler } from "./errors.js";

// The web UI (web/, built to dist/web by `npm run build`) served beside the API on one origin:
// hashed assets cached for good, index.html revalidated, and any other path that is not the API's
// answered with index.html (the app routes in the browser). No authentication on any of it: the
// page loads, then asks /api/auth/me.

/** What the built UI may do, and no more: its own scripts, styles, images and API; no framing. */
export const UI_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

const NOT_BUILT =
  "The Cairn web UI is not built on this server.\n\n" +
  "Build it with `npm run build` (or `npx vite build --config web/vite.config.ts`), which writes dist/web,\n" +
  "then restart `cairn serve`. The API works without it: see /api/openapi.json.\n";

/** The folder of the built UI: dist/web of the package. */
export function defaultWebRoot(): string {
  return bundledPath("dist", "web");
}

function isApi(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return path === "/api" || path.startsWith("/api/");
}

/** HSTS when Cairn is reached over HTTPS: a year, this host only (other subdomains are not ours to decide). */
export const HSTS = "max-age=31536000";

/**
 * Security headers on every response that has not set its own (evidence downloads set a sandbox
 * CSP); with `hsts`, Strict-Transport-Security too.
 */
export function installSecurityHeaders(app: FastifyInstance, options: { hsts?: boolean } = {}): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    if (options.hsts) reply.header("strict-transport-security", HSTS);
    if (!reply.hasHeader("content-security-policy")) reply.header("content-security-policy", UI_CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    return payload;
  });
}

/**
 * Serves the built UI from `root` (when it holds index.html) and answers unknown non-API GET and
 * HEAD requests with index.html; unknown /api/ paths keep their JSON 404. Without a built UI, those
 * requests get a short text saying how to build it.
 */
export async function installWeb(app: FastifyInstance, root: string | undefined): Promise<void> {
  const built = root !== undefined && existsSync(join(root, "index.html"));
  const assets = root !== undefined ? join(root, "assets") + sep : "";

  if (built) {
    await app.register(async (scope) => {
      // The plugin's routes are public: the auth hook reads `config.auth` of the route.
      scope.addHook("onRoute", (route) => {
        route.config = { ...(route.config ?? {}), auth: { public: true } };
      });
      await scope.register(fastifyStatic, {
        root,
        prefix: "/",
        wildcard: true,
        index: false,
        redirect: false,
        list: false,
        dotfiles: "ignore",
        cacheControl: false,
        // Files only: never an API path, whatever the folder holds, nor a folder (`/` included),
        // which the fallback below answers.
        allowedPath: (pathname: string) => !isApi(pathname) && !pathname.endsWith("/"),
        setHeaders: (reply: FastifyReply, path: string) => {
          reply.header("cache-control", path.startsWith(assets) ? IMMUTABLE : REVALIDATE);
        },
      });
    });
  }

  const index = root !== undefined ? join(root, "index.html") : "";
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const method = request.method;
    if ((method !== "GET" && method !== "HEAD") || isApi(request.url)) return notFoundHandler(request, reply);
    // A missing hashed asset is a 404, not the page: the browser asked for a script or a style.
    const path = request.url.split("?")[0] ?? "";
    if (path.startsWith("/assets/"))
      return reply.status(404).type("text/plain; charset=utf-8").send("not found\n");
    let html: Buffer | undefined;
    if (built) {
      try {
        html = await readFile(index);
      } catch {
        html = undefined;
      }
    }
    if (!html)
      return reply
        .status(404)
        .type("text/plain; charset=utf-8")
        .header("cache-control", "no-store")
        .send(NOT_BUILT);
    return reply.status(200).type("text/html; charset=utf-8").header("cache-control", REVALIDATE).send(html);
  });
}
