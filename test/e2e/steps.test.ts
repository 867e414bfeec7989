import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, type Demo, launch, openPage, ROOT, signIn, startDemo } from "./demo-server.js";

// The guide's four steps in the web UI (issue 10, items 5-7), in Chromium on the worked example
// and on a fresh release of it: the stepper with its states as the plan says, the figures, findings
// grouped by capability with a URL each (back button, Escape, save-and-next), work in bulk checked
// against the server's document, measures from the library verified, a risk; axe-core on the changed
// pages at a desktop and a phone width. Screenshots go to test-artifacts/e2e/ (steps- prefix).

const SHOTS = join(ROOT, "test-artifacts", "e2e");

let demo: Demo;
let browser: Browser;
let page: Page;
const errors: string[] = [];

interface Json {
  [k: string]: unknown;
}

/** The API asked from the page itself, with its session and CSRF token (as the UI asks). */
async function api<T = Json>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return (await page.evaluate(
    `(async () => {
      const csrf = decodeURIComponent((document.cookie.split("; ").find((c) => c.startsWith("cairn_csrf=")) || "=").split("=")[1]);
      const r = await fetch(${JSON.stringify(path)}, {
        method: ${JSON.stringify(method)},
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        ${body === undefined ? "" : `body: ${JSON.stringify(JSON.stringify(body))},`}
      });
      const t = await r.text();
      return { status: r.status, body: t ? JSON.parse(t) : undefined };
    })()`,
  )) as { status: number; body: T };
}

interface PlanDto {
  steps: {
    step: number;
    done: boolean;
    units: { id: string; done: boolean; items: string[] }[];
    pitfalls: { id: string; severity: string }[];
  }[];
  next?: { id: string; step: number; title: string };
  figures: {
    items: number;
    humanVerdicts: number;
    derivedVerdicts: number;
    notAssessed: number;
    stale: number;
  };
}
interface FindingJson {
  item: string;
  verdict: string;
  version: number;
  statement?: { support: string; detail?: string };
  signOff?: { reviewer: string };
  accepted?: { proposal: string };
}
interface AssessmentJson {
  id: string;
  findings: FindingJson[];
  measures?: {
    id: string;
    title: string;
    library?: { id: string };
    links: { item: string }[];
    verification?: { verdict: string; method: string };
  }[];
  risks?: { id: string; asset: string; threat: string; residual: string; removed?: unknown }[];
}

let fresh: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await signIn(page, demo);
  // A new release of the worked example's product against its profile: nothing decided yet.
  const products = await api<{ products: { id: string }[] }>("GET", "/api/products");
  const created = await api<{ id: string }>("POST", "/api/assessments", {
    title: "T-800 4.3.0 (steps)",
    kind: "third-party",
    productId: products.body.products[0]?.id,
    profileId: demo.profileId,
    release: { version: "4.3.0", date: "2026-11-30", supportEnd: "2036-12-31" },
  });
  expect(created.status).toBe(201);
  fresh = created.body.id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
}, 60_000);

describe("the guide's four steps in the web UI", { timeout: 120_000 }, () => {
  it("the stepper shows each step's state as the plan says, the next step with what to do, and the figures", async () => {
    const plan = (await api<PlanDto>("GET", `/api/assessments/${demo.assessmentId}/plan`)).body;
    const verdicts = (
      await api<{ figures: PlanDto["figures"] }>("GET", `/api/assessments/${demo.assessmentId}/verdicts`)
    ).body;
    await openPage(page, `${demo.origin}/assessments/${demo.assessmentId}`);
    const steps = page.locator("#steps .stepper-step");
    await steps.first().waitFor();
    expect(await steps.count()).toBe(4);
    for (const s of plan.steps) {
      const state = await page
        .locator(`#steps .stepper-step[data-step="${s.step}"]`)
        .getAttribute("data-state");
      expect(state).toBe(s.done ? "done" : plan.next?.step === s.step ? "current" : "todo");
    }
    if (plan.next) {
      expect(await page.locator('#steps [aria-current="step"]').getAttribute("data-step")).toBe(
        String(plan.next.step),
      );
      expect(await page.locator("#steps .next-step").textContent()).toContain(plan.next.title);
    }
    // The figures are the server's.
    const figure = async (label: string) =>
      Number(await page.locator(`[data-figure="${label}"] .figure-number`).textContent());
    expect(await figure("Items")).toBe(verdicts.figures.items);
    expect(await figure("Verdicts by a person")).toBe(verdicts.figures.humanVerdicts);
    expect(await figure("Derived verdicts")).toBe(verdicts.figures.derivedVerdicts);
    expect(await figure("Not assessed")).toBe(verdicts.figures.notAssessed);
    expect(await figure("Stale")).toBe(verdicts.figures.stale);
    await page.screenshot({ path: join(SHOTS, "steps-assessment-stepper.png") });

    // A fresh release: step 2 is next (no measure yet); its pitfalls sit on the step they block, with a link.
    const freshPlan = (await api<PlanDto>("GET", `/api/assessments/${fresh}/plan`)).body;
    await openPage(page, `${demo.origin}/assessments/${fresh}`);
    await page.locator("#steps .stepper-step").first().waitFor();
    expect(await page.locator('#steps [aria-current="step"]').getAttribute("data-step")).toBe(
      String(freshPlan.next?.step),
    );
    for (const s of freshPlan.steps)
      if (s.pitfalls.length > 0) {
        const detail = page.locator(`#steps details.step-detail[data-step="${s.step}"]`);
        await detail.locator("summary").click();
        expect(await detail.locator(".pitfall-line a").count()).toBe(s.pitfalls.length);
      }

    // The start page: the path of each open assessment, the next step highlighted.
    await openPage(page, `${demo.origin}/`);
    await page.locator(".path-card .stepper-step").first().waitFor();
    expect(await page.locator('.path-card [aria-current="step"]').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, "steps-home.png"), fullPage: true });
  });

  it("findings are grouped by capability with progress; each has a URL; back and Escape close the editor", async () => {
    await openPage(page, `${demo.origin}/assessments/${demo.assessmentId}`);
    const group = page.locator(".finding-group").first();
    await group.waitFor();
    expect(await page.locator(".finding-group").count()).toBeGreaterThan(6);
    // Folded until opened: the page draws headings, not every finding.
    expect(await page.locator(".finding-row").count()).toBe(0);
    expect(await group.locator(".group-facts").textContent()).toMatch(/\d+ of \d+ settled \(\d+%\)/);
    await group.locator("button.group-toggle").click();
    const row = group.locator(".finding-row").first();
    await row.waitFor();
    const item = (await row.getAttribute("data-finding")) as string;
    await row.locator("a.finding-link").click();
    await expect
      .poll(() => page.url())
      .toBe(`${demo.origin}/assessments/${demo.assessmentId}/findings/${encodeURIComponent(item)}`);
    const editor = page.locator("section.editor");
    await editor.waitFor();
    // The effective verdict and who decided it.
    expect(await editor.locator(".provenance").textContent()).toMatch(/Effective verdict/);
    // Escape closes it and gives the keyboard back to the finding's line.
    await page.keyboard.press("Escape");
    await expect.poll(() => page.url()).toBe(`${demo.origin}/assessments/${demo.assessmentId}`);
    expect(await editor.count()).toBe(0);
    await expect
      .poll(() =>
        page.evaluate(
          "document.activeElement && document.activeElement.closest('[data-finding]')?.getAttribute('data-finding')",
        ),
      )
      .toBe(item);
    // The back button: to the editor, then back to the list.
    await page.goBack();
    await editor.waitFor();
    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${demo.origin}/assessments/${demo.assessmentId}`);
    expect(await editor.count()).toBe(0);
    // A deep link opens the finding directly.
    await openPage(
      page,
      `${demo.origin}/assessments/${demo.assessmentId}/findings/${encodeURIComponent(item)}`,
    );
    await editor.waitFor();
    expect(await editor.locator("h3").textContent()).not.toBe("");
    // A derived verdict says where it came from, with its rule on demand.
    const derived = page
      .locator(".finding-row", { has: page.locator(".source-tag", { hasText: "derived: measures" }) })
      .first();
    await page.getByRole("button", { name: "Open every group" }).click();
    await derived.locator("a.finding-link").click();
    await editor.locator("details summary", { hasText: "How it was derived" }).click();
    expect(await editor.locator(".provenance").textContent()).toMatch(/Rule: .*measure/);
    expect(await editor.locator(".provenance a[href^='#measure-M-']").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "steps-finding-derived.png") });
  });

  it("save-and-next saves the finding and opens the next one", async () => {
    await openPage(page, `${demo.origin}/assessments/${fresh}`);
    const group = page.locator(".finding-group").first();
    await group.locator("button.group-toggle").click();
    const rows = group.locator(".finding-row");
    await rows.nth(1).waitFor();
    const first = (await rows.nth(0).getAttribute("data-finding")) as string;
    const second = (await rows.nth(1).getAttribute("data-finding")) as string;
    await rows.nth(0).locator("a.finding-link").click();
    const editor = page.locator("section.editor");
    await editor.getByLabel("Verdict").selectOption("inconclusive");
    await editor.getByLabel("Notes").fill("Bench unit not yet provisioned.");
    await editor.getByRole("button", { name: "Save and next" }).click();
    await expect.poll(() => page.url()).toContain(`/findings/${encodeURIComponent(second)}`);
    const saved = (
      await api<FindingJson>("GET", `/api/assessments/${fresh}/findings/${encodeURIComponent(first)}`)
    ).body;
    expect(saved.verdict).toBe("inconclusive");
  });

  it("marks several findings not applicable with one rationale, and signs them off", async () => {
    await openPage(page, `${demo.origin}/assessments/${fresh}`);
    await page.getByLabel("Text").fill("T7.5");
    const rows = page.locator(".finding-row");
    await rows.first().waitFor();
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      picked.push((await rows.nth(i).getAttribute("data-finding")) as string);
      await rows.nth(i).locator("input.row-pick").check();
    }
    await page.getByRole("button", { name: "Mark not applicable…" }).click();
    const why = "The ward unit has no operational modes of its own.";
    await page.getByLabel(/Why the 3 selected item\(s\) do not apply/).fill(why);
    await page.getByRole("button", { name: "Mark 3 not applicable" }).click();
    await page.getByText(/^Marked 3 finding\(s\) not applicable/).waitFor();
    const doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    for (const id of picked) {
      const f = doc.findings.find((x) => x.item === id);
      expect(f?.verdict).toBe("not-applicable");
      expect(f?.statement).toEqual({ support: "not-applicable", detail: why });
    }
    await page.screenshot({ path: join(SHOTS, "steps-bulk-not-applicable.png") });
    // Sign them off in one go.
    for (const id of picked) await page.locator(`[data-finding="${id}"] input.row-pick`).check();
    await page.getByRole("button", { name: "Sign off 3" }).click();
    await page.getByText(/^Signed off 3 finding\(s\)/).waitFor();
    const after = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    for (const id of picked) expect(after.findings.find((x) => x.item === id)?.signOff).toBeDefined();
  });

  it("accepts proposed verdicts in bulk", async () => {
    // A person's verdict on a NISTIR 8259A element proposes verdicts for the items it maps to.
    const source = "nist-ir-8259a:1.1";
    const f = (
      await api<FindingJson>("GET", `/api/assessments/${fresh}/findings/${encodeURIComponent(source)}`)
    ).body;
    const set = await api("PATCH", `/api/assessments/${fresh}/findings/${encodeURIComponent(source)}`, {
      verdict: "pass",
      method: "test",
      version: f.version,
    });
    expect(set.status).toBe(200);
    const open = (
      await api<{ proposals: { id: string; item: string; verdict: string }[] }>(
        "GET",
        `/api/assessments/${fresh}/proposals?kind=verdict`,
      )
    ).body.proposals;
    expect(open.length).toBeGreaterThan(0);
    await openPage(page, `${demo.origin}/assessments/${fresh}?show=proposals#findings`);
    await page.locator(".scope-notice").waitFor();
    await page.locator(".finding-row").first().waitFor();
    const shown = await page.locator(".finding-row").count();
    expect(shown).toBe(new Set(open.map((p) => p.item)).size);
    await page.getByRole("button", { name: /^Select every finding shown/ }).click();
    await page.getByRole("button", { name: `Accept ${shown} proposal(s)` }).click();
    await page.getByText(/^Accepted \d+ proposal\(s\)/).waitFor();
    const doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    const accepted = doc.findings.filter((x) => x.accepted).map((x) => x.item);
    expect(accepted.sort()).toEqual([...new Set(open.map((p) => p.item))].sort());
  });

  it("adds a measure from the library, verifies it, and its items are settled by it", async () => {
    await openPage(page, `${demo.origin}/assessments/${fresh}#measures`);
    const library = (
      await api<{ measures: { id: string; title: string; links: { item: string }[] }[] }>(
        "GET",
        "/api/measure-library",
      )
    ).body;
    const entry = library.measures.find((m) => m.id === "secure-reset") ?? library.measures[0];
    if (!entry) throw new Error("empty measure library");
    await page.locator("#measures summary", { hasText: "Add a measure" }).click();
    await page.getByLabel("Library measure").selectOption(entry.id);
    await page.getByRole("button", { name: "Add from the library" }).click();
    await page.getByText(/^Added ".*" with \d+ link\(s\)\./).waitFor();
    let doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    const m = doc.measures?.find((x) => x.library?.id === entry.id);
    expect(m?.title).toBe(entry.title);
    const card = page.locator(`#measure-${m?.id}`);
    await card.locator("summary", { hasText: `Open ${m?.id}` }).click();
    await card
      .locator("summary")
      .filter({ hasText: /^Verify/ })
      .click();
    await card.getByLabel("Verification verdict").selectOption("pass");
    await card.getByLabel("Verification method").selectOption("test");
    await card.getByLabel("Verification notes").fill("Reset on the bench erased the key store.");
    await card.getByRole("button", { name: "Record the verification" }).click();
    await card.getByText(`${m?.id} verified: pass.`).waitFor();
    doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    expect(doc.measures?.find((x) => x.id === m?.id)?.verification).toMatchObject({
      verdict: "pass",
      method: "test",
    });
    const verdicts = (
      await api<{ items: { item: string; source: string; path?: { measures?: string[] } }[] }>(
        "GET",
        `/api/assessments/${fresh}/verdicts`,
      )
    ).body.items;
    const settled = verdicts.filter(
      (v) => v.source === "measures" && v.path?.measures?.includes(m?.id ?? ""),
    );
    expect(settled.length).toBeGreaterThan(0);
    await expect.poll(async () => (await card.textContent()) ?? "").toContain(`settles ${settled.length}`);
    await page.screenshot({ path: join(SHOTS, "steps-measure-verified.png") });
    // Removing it is refused while it settles verdicts; forced, it goes.
    await card
      .locator("summary")
      .filter({ hasText: /^Remove/ })
      .click();
    await card.getByLabel("Reason for removing it").fill("Replaced by the secure element's own reset.");
    await card.getByRole("button", { name: `Remove ${m?.id}` }).click();
    await card.getByText(/^Not removed:/).waitFor();
    await card.getByRole("button", { name: "Remove anyway" }).click();
    await expect
      .poll(async () =>
        (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body.measures?.find(
          (x) => x.id === m?.id,
        ),
      )
      .toMatchObject({ removed: expect.anything() });
  });

  it("adds a risk to the register and edits it", async () => {
    await openPage(page, `${demo.origin}/assessments/${fresh}#risks`);
    const form = page.getByRole("form", { name: "Add a risk" });
    await form.getByLabel("Asset").fill("Room temperature set points");
    await form.getByLabel("Threat").fill("Tampering over the building network");
    await form.getByLabel("Likelihood").selectOption("medium");
    await form.getByLabel("Impact").selectOption("high");
    await form.getByLabel("Residual risk").selectOption("low");
    // Mitigation names the measures that mitigate; this one is accepted as it is.
    await form.getByLabel("Treatment", { exact: true }).selectOption("accept");
    await form
      .getByLabel("Treatment notes")
      .fill("Set points are bounded by the firmware; a change is harmless.");
    await form.getByRole("button", { name: "Add the risk" }).click();
    // The answer, whichever it is (a refusal names its reason in the notice).
    const answer = page.locator('#risks [role="alert"], #risks .notice-ok');
    await answer.first().waitFor();
    expect(await answer.first().textContent()).toBe("Risk added to the register.");
    let doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    const risk = doc.risks?.find((r) => r.asset === "Room temperature set points");
    expect(risk).toMatchObject({ threat: "Tampering over the building network", residual: "low" });
    await page.getByRole("button", { name: `Edit ${risk?.id}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${risk?.id}` });
    await edit.getByLabel("Residual risk").selectOption("medium");
    await edit.getByRole("button", { name: "Save the risk" }).click();
    await page.getByText(`${risk?.id} saved.`).waitFor();
    doc = (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body;
    expect(doc.risks?.find((r) => r.id === risk?.id)?.residual).toBe("medium");
  });

  it("no serious or critical accessibility violation on the changed pages, at 1440 and 390 pixels", async () => {
    const failures: string[] = [];
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      const first =
        (await api<AssessmentJson>("GET", `/api/assessments/${fresh}`)).body.findings[0]?.item ?? "";
      for (const [name, url] of [
        ["home", "/"],
        ["assessment", `/assessments/${demo.assessmentId}`],
        ["fresh", `/assessments/${fresh}`],
        ["finding", `/assessments/${fresh}/findings/${encodeURIComponent(first)}`],
        ["scoped", `/assessments/${fresh}?show=proposals#findings`],
      ] as const) {
        await openPage(page, `${demo.origin}${url}`);
        await page.locator("#findings, .path-card").first().waitFor();
        if (name === "fresh") await page.getByRole("button", { name: "Open every group" }).click();
        for (const v of await axe(page)) failures.push(`${viewport.width} ${name}: ${v}`);
        const over = (await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        )) as number;
        if (over > 0) failures.push(`${viewport.width} ${name}: scrolls sideways by ${over} px`);
        await page.screenshot({ path: join(SHOTS, `steps-${viewport.width}-${name}.png`) });
      }
    }
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
  });
});
