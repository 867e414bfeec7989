import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDossier } from "../../src/dossier/files.js";
import { verifyDossier } from "../../src/dossier/manifest.js";
import { buildServer } from "../../src/server/app.js";
import { openStore } from "../../src/store/database.js";
import { axe } from "./demo-server.js";

// End to end: the built UI in Debian's Chromium against a real server (buildServer, SQLite in a
// temporary folder) on 127.0.0.1, which serves the UI itself (dist/web) beside the API, under its
// Content Security Policy. Nothing is skipped: without Chromium the test fails and says so.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-artifacts", "e2e");
const ADMIN = { email: "ada@example.test", name: "Ada Admin", password: "correct horse battery staple" };
const SETUP_SECRET = "e2e-setup-secret-0123456789";

const WEB_SRC = join(ROOT, "web");
const WEB_DIST = join(ROOT, "dist", "web");

let tmp: string;
let api: FastifyInstance;
let apiOrigin: string;
let origin: string;
let browser: Browser;
let page: Page;
/** What the browser reported against the page: CSP violations, script errors. */
const browserErrors: string[] = [];

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** dist/web is there and newer than every file of web/ (`npm run build` made it). */
function uiIsCurrent(): boolean {
  const index = join(WEB_DIST, "index.html");
  return existsSync(index) && statSync(index).mtimeMs >= newest(WEB_SRC);
}

/** Serious and critical accessibility violations on the screens shot, by screen. */
const a11y: string[] = [];

/** A screenshot of what the viewport shows now, and an accessibility scan of the screen as it is. */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  for (const v of await axe(page)) a11y.push(`${name}: ${v}`);
}

/** A second client on the API (its own session), to change data behind the browser's back. */
async function apiSession(): Promise<(method: string, path: string, body?: unknown) => Promise<Response>> {
  const res = await fetch(`${apiOrigin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return (method, path, body) =>
    fetch(`${apiOrigin}${path}`, {
      method,
      headers: {
        cookie,
        "x-csrf-token": csrfToken,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CAIRN_CHROMIUM. The browser tests need it and are never skipped.`,
    );
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), "cairn-e2e-"));

  // `npm test` builds the UI first (npm run build); a run of this file alone builds it if needed.
  if (!uiIsCurrent()) await build({ configFile: join(WEB_SRC, "vite.config.ts"), logLevel: "warn" });

  const store = await openStore(join(tmp, "cairn.db"));
  api = await buildServer({
    store,
    dataDir: tmp,
    setupSecret: SETUP_SECRET,
    passwordCost: 10,
    closeStore: true,
    webRoot: WEB_DIST,
  });
  apiOrigin = await api.listen({ port: 0, host: "127.0.0.1" });
  // The server serves the UI itself: one origin for the page and the API.
  origin = apiOrigin;
  const setup = await fetch(`${apiOrigin}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: SETUP_SECRET, organisation: "Northwind Labs", ...ADMIN }),
  });
  expect(setup.status).toBe(201);

  browser = await chromium.launch({
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
      browserErrors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => browserErrors.push(`page error: ${e.message}`));
}, 120_000);

// Chromium can take a while to exit on a loaded two-core CI machine.
afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe("web UI", () => {
  let assessmentUrl = "";

  it("is served by the API server with its security headers", async () => {
    const index = await fetch(`${origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const csp = index.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(index.headers.get("x-content-type-options")).toBe("nosniff");
    expect(index.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // A deep link loads the app; an unknown API path stays a JSON 404.
    expect(
      (await fetch(`${origin}/assessments/asm_AAAAAAAAAAAAAAAAAAAA`)).headers.get("content-type"),
    ).toMatch(/^text\/html/);
    const missing = (await (await fetch(`${origin}/api/nope`)).json()) as { code: string };
    expect(missing.code).toBe("not-found");
  });

  it("signs in", async () => {
    const response = await page.goto(origin);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.getByRole("heading", { level: 1, name: "Sign in to Cairn" }).waitFor();
    await page.getByLabel("E-mail address").fill(ADMIN.email);
    await page.getByLabel("Password").fill("wrong password!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("wrong e-mail address or password").waitFor();
    await page.getByLabel("Password").fill(ADMIN.password);
    await shot("01-login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: `Welcome, ${ADMIN.name}` }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    await shot("02-home");
  }, 30_000);

  it("browses and searches the catalogs", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalogs" }).click();
    await page.getByRole("link", { name: "NISTIR 8259A" }).click();
    await page.getByRole("button", { name: "Open Device Identification" }).click();
    await page.getByRole("link", { name: /^1\.1 / }).click();
    await page.getByRole("heading", { level: 2, name: /1\.1/ }).waitFor();
    await shot("03-catalog-tree");
    await page.getByRole("link", { name: "All catalogs" }).click();
    await page.getByLabel("Search every catalog").fill("default password");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("heading", { name: /Results for/ }).waitFor();
    await page.locator("ol.hits li").first().waitFor();
    await shot("04-catalog-search");
  }, 30_000);

  it("builds a profile with the wizard", async () => {
    // The wizard asks only for values of the rules' vocabulary, which the server gives.
    const vocabulary = await (await apiSession())("GET", "/api/profiles/vocabulary");
    if (vocabulary.status !== 200)
      throw new Error(
        `GET /api/profiles/vocabulary answered ${vocabulary.status}: the server does not give the profiling vocabulary the wizard needs (docs/web.md lists the endpoints the UI expects)`,
      );
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profiles" }).click();
    await page.getByRole("link", { name: "Build a profile" }).click();
    await page.getByRole("heading", { level: 1, name: "Build a profile" }).waitFor();
    await page.getByLabel("Profile title").fill("Ward thermostat, US federal and EU");
    await page.getByLabel("Device or use case (optional)").fill("Ward thermostat");
    await page.getByRole("button", { name: "Next" }).click();
    // Leaving a step with a question unanswered is refused: nothing defaults.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Choose the confidentiality impact.").waitFor();
    for (const [question, level] of [
      ["Confidentiality", "moderate"],
      ["Integrity", "high"],
      ["Availability", "moderate"],
    ] as const)
      await page.getByRole("group", { name: question }).getByLabel(level).check();
    await page.getByText("High-water mark: high").waitFor();
    await shot("05-wizard-impact");
    await page.getByRole("button", { name: "Next" }).click();
    await page
      .getByRole("group", { name: "Environment" })
      .getByLabel(/Clinical or medical/)
      .check();
    await page
      .getByRole("group", { name: "Connectivity" })
      .getByLabel(/internet/)
      .check();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("group", { name: "Data processed" }).getByLabel("Health data").check();
    await page
      .getByRole("group", { name: "Target markets" })
      .getByLabel(/US federal acquisition/)
      .check();
    await page
      .getByRole("group", { name: "Target markets" })
      .getByLabel(/Cyber Resilience Act/)
      .check();
    await page.getByLabel("Expected lifetime (years)").fill("10");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("heading", { name: /Step 5 of 5: Review/ }).waitFor();
    await shot("06-wizard-review");
    await page.getByRole("button", { name: "Create profile" }).click();
    await page.getByRole("heading", { level: 1, name: "Ward thermostat, US federal and EU" }).waitFor();
    await page.getByText("SP 800-53B HIGH").waitFor();
    // Every item says why it is there: open the first text's items, then the first item's Why.
    await page.locator("details.item-group > summary").first().click();
    await page.locator("details.item-group details summary").first().click();
    await page.locator("ul.because li").first().waitFor();
    await shot("07-profile");

    // Tailoring, before any assessment is made against the profile: an item removed with a reason.
    await page.getByRole("button", { name: "Tailor this profile" }).click();
    const form = page.getByRole("form", { name: "Tailor the profile" });
    const remove = form.getByLabel("Item to remove");
    const removed = (await remove.locator("option").nth(1).getAttribute("value")) as string;
    await remove.selectOption(removed);
    await form.getByLabel("Rationale").fill("The ward unit has no such interface.");
    await form.getByRole("button", { name: "Remove the item" }).click();
    await page.getByRole("cell", { name: "The ward unit has no such interface." }).waitFor();
    // The removed item is named by its id (it is no longer among the profile's items), then its text.
    await page.getByRole("cell", { name: new RegExp(`^${removed.replace(/[.:]/g, "\\$&")}\\b`) }).waitFor();
    await page.getByRole("cell", { name: new RegExp(ADMIN.email.replace(/\./g, "\\.")) }).waitFor();
    await shot("07a-profile-tailored");
  }, 30_000);

  it("records a finding with an evidence upload, and resolves a conflicting edit", async () => {
    await page.getByRole("link", { name: "Assess a release against it" }).click();
    await page.getByRole("heading", { level: 1, name: "Assessments" }).waitFor();
    await page.getByLabel("Title", { exact: true }).fill("Ward thermostat 4.2.0");
    await page.getByLabel("Kind").selectOption("third-party");
    await page.getByLabel("Manufacturer").fill("Northwind");
    await page.getByLabel("Model").fill("T-800");
    await page.getByLabel("Category").fill("thermostat");
    await page.getByLabel("Firmware version").fill("4.2.0");
    await page.getByLabel("Release date").fill("2026-09-15");
    await page.getByLabel("Security support ends").fill("2036-10-01");
    await page.getByRole("button", { name: "Start the assessment" }).click();
    await page.getByRole("heading", { level: 1, name: "Ward thermostat 4.2.0" }).waitFor();
    assessmentUrl = page.url();
    const assessmentId = assessmentUrl.split("/").pop() as string;

    // The findings are grouped by capability, folded until opened.
    await page.getByRole("button", { name: "Open every group" }).click();
    const findings = page.locator(".finding-row");
    await findings.first().waitFor();
    expect(await findings.count()).toBeGreaterThan(10);
    const item = (await findings.first().getAttribute("data-finding")) as string;
    await findings.first().locator("a.finding-link").click();
    const editor = page.locator("section.editor");
    await editor.getByLabel("Verdict").selectOption("pass");
    await editor.getByLabel("Method").selectOption("test");
    await editor.getByLabel("Implementation statement").selectOption("supported");
    await editor
      .getByLabel("Statement detail")
      .fill("Each unit has a unique identifier burnt in at manufacture.");

    const report = Buffer.from(`Test report for ${item}: identifier read over the bench interface.\n`);
    await editor
      .getByLabel("File", { exact: true })
      .setInputFiles({ name: "bench-report.txt", mimeType: "text/plain", buffer: report });
    await editor.getByLabel("Evidence title").fill("Bench report, device identity");
    await editor.getByLabel("Strength").selectOption("proves");
    await editor.getByRole("button", { name: "Upload" }).click();
    await editor.getByText("Uploaded bench-report.txt as E-0001.").waitFor();
    expect(await editor.getByLabel(/E-0001 Bench report/).isChecked()).toBe(true);
    await editor.getByRole("button", { name: "Save finding" }).click();
    await editor.getByText(/^Saved \(version 2\)/).waitFor();
    await shot("08-finding-saved");

    // The server has what the UI showed: verdict, method, statement, evidence, file by hash.
    const other = await apiSession();
    const path = `/api/assessments/${assessmentId}/findings/${encodeURIComponent(item)}`;
    const saved = (await (await other("GET", path)).json()) as {
      verdict: string;
      method: string;
      evidence: string[];
      statement: { support: string };
      version: number;
    };
    expect(saved).toMatchObject({
      verdict: "pass",
      method: "test",
      evidence: ["E-0001"],
      statement: { support: "supported" },
    });
    const evidence = (await (
      await other("GET", `/api/assessments/${assessmentId}/evidence/E-0001`)
    ).json()) as {
      file: { sha256: string; size: number };
    };
    expect(evidence.file.sha256).toBe(createHash("sha256").update(report).digest("hex"));

    // Someone else changes the finding; the browser's next save meets a 409 and shows both.
    const change = await other("PATCH", path, {
      version: saved.version,
      notes: "Checked by a second reviewer.",
    });
    expect(change.status).toBe(200);
    await editor.getByLabel("Notes").fill("Seen on the bench.");
    await editor.getByRole("button", { name: "Save finding" }).click();
    await editor.getByText("Changed by someone else.").waitFor();
    await editor.getByRole("cell", { name: "Checked by a second reviewer." }).waitFor();
    await shot("09-finding-conflict");
    await editor.getByRole("button", { name: "Retry with mine" }).click();
    await editor.getByText(/^Saved over the other change \(version 4\)/).waitFor();
    const after = (await (await other("GET", path)).json()) as { notes: string; version: number };
    expect(after).toMatchObject({ notes: "Seen on the bench.", version: 4 });

    await editor.getByRole("button", { name: "Sign off" }).click();
    await editor.getByText(/^Signed off by Ada Admin/).waitFor();
    await page.locator("#evidence").scrollIntoViewIfNeeded();
    await shot("10-workspace");
  }, 120_000); // Two scans of the workspace with every finding listed: about 12 s each here.

  it("shows readiness and pitfalls, and downloads a dossier that verifies", async () => {
    const readiness = page.locator("#readiness");
    await readiness.scrollIntoViewIfNeeded();
    const counts = readiness.getByRole("table", { name: "Readiness counts per market" });
    await counts.getByRole("rowheader", { name: /US federal/ }).waitFor();
    expect(await counts.locator("tbody tr").count()).toBe(4);
    await shot("10a-readiness");
    const pitfalls = page.locator("#pitfalls");
    await pitfalls.scrollIntoViewIfNeeded();
    await pitfalls.locator("li.pitfall, .notice-ok").first().waitFor();
    await shot("10b-pitfalls");

    const dossier = page.locator("#dossier");
    await dossier.scrollIntoViewIfNeeded();
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      dossier.getByRole("button", { name: "Download the dossier" }).click(),
    ]);
    // One finding of hundreds is decided: the dossier is a DRAFT by itself, and its name says so.
    expect(download.suggestedFilename()).toMatch(/^cairn-dossier-Northwind-T-800-4\.2\.0-DRAFT\.zip$/);
    const zip = join(tmp, download.suggestedFilename());
    await download.saveAs(zip);
    await dossier.getByText(/^Downloaded cairn-dossier-.*\.zip/).waitFor();
    await shot("10c-dossier");
    const { files } = await readDossier(zip);
    const check = verifyDossier(files);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.manifest?.draft).toBe(true);
    // The uploaded report is in it under its hash, and the finding's audit trail with it.
    const report = [...files.keys()].find((p) => p.startsWith("evidence/") && p.endsWith("bench-report.txt"));
    expect(report).toBeDefined();
    const trail = JSON.parse(Buffer.from(files.get("audit-trail.json") as Uint8Array).toString()) as {
      action: string;
    }[];
    expect(trail.filter((e) => e.action === "finding.update").length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(zip).subarray(0, 2).toString()).toBe("PK");
  }, 60_000);

  it("administers users", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Administration" })
      .click();
    await page.getByRole("heading", { level: 2, name: "Users of Northwind Labs" }).waitFor();
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Name").fill("Bea Assessor");
    await form.getByLabel("E-mail address").fill("bea@example.test");
    await form.getByLabel("Role").selectOption("editor");
    await form.getByLabel("First password").fill("a long first password");
    await form.getByRole("button", { name: "Add user" }).click();
    await form.getByText("Added bea@example.test as editor.").waitFor();
    await page.getByLabel("Role of Bea Assessor").selectOption("assessor");
    await page.getByRole("button", { name: "Change role of Bea Assessor" }).click();
    await page
      .getByRole("row", { name: /Bea Assessor/ })
      .getByText("Saved.")
      .waitFor();
    await shot("11-admin");
  }, 30_000);

  it("draws the document family", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Document family" })
      .click();
    const graph = page.getByRole("region", { name: "Graph of the document family" });
    const node = graph.getByRole("button").first();
    await node.waitFor();
    await node.click();
    await page.locator("#doc-heading").waitFor();
    await page.locator("#relations").waitFor();
    await shot("13-family");
  }, 30_000);

  it("builds a crosswalk matrix and exports it as CSV", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Crosswalk matrix" })
      .click();
    const settings = page.getByRole("form", { name: "Matrix settings" });
    await settings.getByLabel("Anchor text (rows)").selectOption("nist-ir-8259a");
    await settings.getByLabel("Depth").selectOption("1");
    const columns = settings.getByRole("group", { name: "Columns" }).getByRole("checkbox");
    await columns.nth(0).check();
    await columns.nth(1).check();
    await settings.getByRole("button", { name: "Show matrix" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /\d+ of \d+ rows/ })
      .waitFor();
    expect(await page.locator("table.matrix tbody tr").count()).toBeGreaterThan(3);
    await shot("14-matrix");
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "CSV", exact: true }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^matrix-nist-ir-8259a-depth1\.csv$/);
    const path = join(tmp, csv.suggestedFilename());
    await csv.saveAs(path);
    expect(readFileSync(path, "utf8").split("\n").length).toBeGreaterThan(3);
  }, 30_000);

  it("fits a tablet (768 px)", async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(assessmentUrl);
    await page.getByRole("heading", { level: 1, name: "Ward thermostat 4.2.0" }).waitFor();
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("12-workspace-tablet");
  }, 30_000);

  it("ran under the Content Security Policy without a violation or a script error", () => {
    expect(browserErrors).toEqual([]);
  });

  it("every screen it shot (sign-in, the wizard's steps, finding editor, conflict, admin...): no serious or critical accessibility violation", () => {
    expect(a11y).toEqual([]);
  });
});
