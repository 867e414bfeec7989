import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, launch, openPage, ROOT, signIn, startDemo } from "./demo-server.js";

// The workbench as its users expect it (issue 16), on the worked example, in Chromium at a desktop
// (1440x900) and a phone (390x844) width: every page scanned with axe-core (WCAG 2.2 A and AA
// rules; no serious or critical violation), no sideways scroll on a phone, the words instead of
// ids, the CLI's views, errors in the user's words, keyboard-only walks. Screenshots of each page
// go to test-artifacts/e2e/ (desktop- and phone- prefixes).

const SHOTS = join(ROOT, "test-artifacts", "e2e");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WIDTHS = [
  { name: "desktop", viewport: { width: 1440, height: 900 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo();
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
}, 60_000);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations of the WCAG 2.x A/AA rules on the page as it is. */
async function axe(page: Page): Promise<string[]> {
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

async function sidewaysScroll(page: Page): Promise<number> {
  return (await page.evaluate(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  )) as number;
}

const pages = (d: Demo) => [
  { name: "home", url: "/" },
  { name: "catalogs", url: "/catalogs" },
  { name: "catalog-item", url: `/catalogs/nist-ir-8259a?item=${encodeURIComponent("nist-ir-8259a:1")}` },
  { name: "search", url: "/catalogs?q=SBOM" },
  { name: "search-typo", url: "/catalogs?q=pasword" },
  { name: "family", url: "/family" },
  { name: "matrix", url: "/matrix" },
  { name: "matrix-result", url: "/matrix?anchor=nist-ir-8259a&columns=etsi-en-303-645,eu-cra" },
  { name: "profiles", url: "/profiles" },
  { name: "profile", url: `/profiles/${d.profileId}` },
  { name: "assessments", url: "/assessments" },
  { name: "assessment", url: `/assessments/${d.assessmentId}` },
  { name: "admin", url: "/admin" },
  { name: "mistyped-assessment", url: "/assessments/asm_not-a-real-id" },
  { name: "not-found", url: "/nowhere" },
];

describe.each(WIDTHS)("the workbench at $name width", { timeout: 300_000 }, ({ name, viewport }) => {
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    });
    await signIn(page, demo);
  }, 120_000);

  it("every page: no serious or critical accessibility violation, no sideways scroll, a screenshot", async () => {
    const failures: string[] = [];
    for (const p of pages(demo)) {
      await openPage(page, `${demo.origin}${p.url}`);
      for (const v of await axe(page)) failures.push(`${p.name}: ${v}`);
      const over = await sidewaysScroll(page);
      if (over > 0) failures.push(`${p.name}: scrolls sideways by ${over} px`);
      await page.screenshot({
        path: join(SHOTS, `${name}-${p.name}.png`),
        fullPage: p.name !== "assessment",
      });
    }
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("the profile page speaks words: context labels, the author's name, groups per text, the reasons of Why", async () => {
    await openPage(page, `${demo.origin}/profiles/${demo.profileId}`);
    const main = page.locator("main");
    await expect.poll(() => main.textContent()).toContain("Building services and automation");
    const text = (await main.textContent()) ?? "";
    expect(text).toContain("European Union, Cyber Resilience Act");
    expect(text).toContain("Made 2026-09-01 by Cairn command line (import)");
    expect(text).not.toContain("eu-cra, us-federal");
    expect(await page.locator("main table.summary-table tbody tr").count()).toBe(5);
    // Keyboard only: to the 8259A group, open it, to its first Why, open it.
    const group = page.locator("#group-nist-ir-8259a > summary");
    await group.focus();
    await page.keyboard.press("Enter");
    const why = page.locator("#group-nist-ir-8259a details summary").first();
    await why.focus();
    await page.keyboard.press("Enter");
    const reasons = page.locator("#group-nist-ir-8259a .why").first();
    await expect.poll(() => reasons.textContent()).toContain("The NISTIR 8259A technical core baseline");
    expect(await reasons.textContent()).toContain("SP 800-213 starts every federal device profile");
    for (const v of await axe(page)) throw new Error(`with Why open: ${v}`);
    await page.screenshot({ path: join(SHOTS, `${name}-profile-why.png`) });
    // The CLI's views: clauses, compare, OSCAL.
    await page.getByRole("button", { name: "Show the clauses here" }).click();
    await expect.poll(() => page.locator(".clauses").textContent()).toContain("Capability requirements");
    await page
      .getByLabel("Compare with", { exact: true })
      .selectOption("preset:building-automation-controller");
    await page.getByRole("button", { name: "Compare", exact: true }).click();
    await expect
      .poll(() => page.locator("#diff-result").textContent())
      .toMatch(/\d+ added, \d+ removed, \d+ changed/);
    const oscal = await page.request.get(`${demo.origin}/api/profiles/${demo.profileId}/oscal`);
    expect(oscal.status()).toBe(200);
    await page.screenshot({ path: join(SHOTS, `${name}-profile-compare.png`) });
  });

  it("a mistyped assessment address says so in words, with ways on", async () => {
    await openPage(page, `${demo.origin}/assessments/asm_not-a-real-id`);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("Nothing at this address");
    expect(await alert.textContent()).not.toMatch(/pattern|params\.id/);
    expect(await alert.getByRole("link", { name: "Assessments" }).count()).toBe(1);
  });

  it("search finds engineers' words and suggests near words", async () => {
    await openPage(page, `${demo.origin}/catalogs?q=VDP`);
    const results = page.locator("#search-results").locator("..");
    await expect.poll(() => results.textContent()).toContain("Information and Query Reception");
    expect(await results.textContent()).toContain("also searched for");
    await openPage(page, `${demo.origin}/catalogs?q=pasword`);
    await page.getByRole("link", { name: "password" }).first().click();
    await expect.poll(() => page.url()).toContain("q=password");
  });

  it("an item shows its crosswalk rows to and from every text", async () => {
    await openPage(
      page,
      `${demo.origin}/catalogs/nist-ir-8259a?item=${encodeURIComponent("nist-ir-8259a:1")}`,
    );
    const mappings = page.locator("#item-mappings");
    await expect.poll(() => mappings.textContent()).toContain("ETSI EN 303 645");
    expect(await mappings.textContent()).toMatch(/intersects with|subset of|superset of|equal/);
    await page.screenshot({ path: join(SHOTS, `${name}-item-mappings.png`), fullPage: true });
  });

  it("the assessment: readiness with targeted markets first and percentages, a skip link past the findings", async () => {
    await openPage(page, `${demo.origin}/assessments/${demo.assessmentId}`);
    const readiness = page.locator("#readiness");
    await expect.poll(() => readiness.textContent()).toContain("Markets the profile targets");
    const t = (await readiness.textContent()) ?? "";
    expect(t).toMatch(/\d+% met/);
    expect(t.indexOf("Markets the profile targets")).toBeLessThan(t.indexOf("Not targeted by the profile"));
    // Keyboard: the link right before the findings table skips it.
    const skip = page.locator("a.skip-inline");
    await skip.focus();
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain("#evidence");
    await readiness.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `${name}-readiness.png`) });
  });
});
