import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { buildServer } from "../../src/server/app.js";
import { seedDemo } from "../../src/server/demo.js";
import { openStore } from "../../src/store/database.js";

// The worked example served as `npm start` serves it (buildServer with the demo seeded, SQLite in a
// temporary folder, the built UI), and Debian's Chromium to look at it: shared by the browser tests
// and the page-load benchmark.

// Two levels up is the repository, or dist/ when run compiled (the page benchmark): then one more.
const UP = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const ROOT = basename(UP) === "dist" ? dirname(UP) : UP;
export const CHROMIUM = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium";
const WEB_SRC = join(ROOT, "web");
const WEB_DIST = join(ROOT, "dist", "web");

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** Builds the UI when dist/web is missing or older than web/. */
export async function ensureUi(): Promise<string> {
  const index = join(WEB_DIST, "index.html");
  if (!existsSync(index) || statSync(index).mtimeMs < newest(WEB_SRC))
    await build({ configFile: join(WEB_SRC, "vite.config.ts"), logLevel: "warn" });
  return WEB_DIST;
}

export interface Demo {
  origin: string;
  email: string;
  password: string;
  assessmentId: string;
  profileId: string;
  /** The server's data folder (SQLite, evidence files under evidence/), for tests that damage and mend it. */
  dataDir: string;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const webRoot = await ensureUi();
  const tmp = mkdtempSync(join(tmpdir(), "cairn-demo-e2e-"));
  const store = await openStore(join(tmp, "cairn.db"));
  const demo = await seedDemo({ store, dataDir: tmp, passwordCost: 10 });
  if (!demo.created) throw new Error("the demo was not seeded");
  const app: FastifyInstance = await buildServer({
    store,
    dataDir: tmp,
    passwordCost: 10,
    closeStore: true,
    webRoot,
  });
  const origin = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    origin,
    email: demo.email,
    password: demo.password,
    assessmentId: demo.assessmentId,
    profileId: "",
    dataDir: tmp,
    async close() {
      await app.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CAIRN_CHROMIUM. The browser tests need it and are never skipped.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Signs in through the form, then learns the demo profile's id from the API with the session. */
export async function signIn(page: Page, demo: Demo): Promise<void> {
  await page.goto(demo.origin);
  await page.getByLabel("E-mail").fill(demo.email);
  await page.getByLabel("Password").fill(demo.password);
  // The sign-in page has its own h1: wait for the answer and for the form to go, not for a heading.
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/auth/login") && r.request().method() === "POST"),
    page.getByRole("button", { name: /sign in/i }).click(),
  ]);
  if (!answer.ok()) throw new Error(`sign-in refused: ${answer.status()} ${await answer.text()}`);
  await page.getByLabel("Password").waitFor({ state: "detached" });
  await page.waitForSelector("main h1");
  if (!demo.profileId) {
    // Asked from the page itself, with its session (same origin, as the UI asks).
    const r = (await page.evaluate(`fetch("/api/profiles").then((x) => x.json())`)) as {
      profiles?: { id: string }[];
    };
    demo.profileId = r.profiles?.[0]?.id ?? "";
    if (!demo.profileId) throw new Error(`no demo profile: ${JSON.stringify(r).slice(0, 200)}`);
  }
}

/**
 * Opens a path as a user would and waits until the page is ready: its heading is there and nothing
 * says it is loading (checked every frame). Returns the milliseconds from the start of navigation
 * to that frame, as the page's own clock tells.
 */
export async function openPage(page: Page, url: string): Promise<number> {
  await page.goto(url);
  // A function (a string would be eval'd in the page, which its CSP forbids); the DOM through
  // globalThis, as this project's type-check has no DOM types.
  const ready = await page.waitForFunction(
    () => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return d.querySelector("main h1") && !d.querySelector("[data-loading]") ? performance.now() : false;
    },
    null,
    { polling: "raf", timeout: 20_000 },
  );
  return Math.round((await ready.jsonValue()) as number);
}

const SCROLL = `async (duration) => {
  const el = document.scrollingElement || document.documentElement;
  const distance = Math.max(0, el.scrollHeight - innerHeight);
  const times = [];
  await new Promise((done) => {
    const start = performance.now();
    const step = (now) => {
      times.push(now);
      const t = Math.min(1, (now - start) / duration);
      el.scrollTop = distance * t;
      if (t < 1) requestAnimationFrame(step);
      else done();
    };
    requestAnimationFrame(step);
  });
  let worst = 0;
  for (let i = 1; i < times.length; i++) worst = Math.max(worst, times[i] - times[i - 1]);
  const span = times[times.length - 1] - times[0];
  return { fps: ((times.length - 1) * 1000) / span, worstMs: worst, frames: times.length };
}`;

/**
 * Scrolls the page from top to bottom at a steady pace for `ms` and measures frame times with
 * requestAnimationFrame: frames per second and the longest frame.
 */
export async function scrollFps(
  page: Page,
  ms = 2500,
): Promise<{ fps: number; worstMs: number; frames: number }> {
  return (await page.evaluate(`(${SCROLL})(${Number(ms)})`)) as {
    fps: number;
    worstMs: number;
    frames: number;
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations of the WCAG 2.x A/AA rules (2.2 included) on the page
 * as it is now, each as a line naming the rule and where.
 */
export async function axe(page: Page): Promise<string[]> {
  // Strings, not functions: browser code, run in the page (no DOM types in this project's config).
  if (!(await page.evaluate(`"axe" in window`))) await page.evaluate(AXE);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })`,
  )) as { violations: Violation[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join(", ")}`,
    );
}
