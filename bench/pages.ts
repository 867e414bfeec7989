// Page loads of the web workbench on loopback with the worked example (495 items since rules
// 2026.12), in Debian's Chromium driven by playwright-core: time from the start of navigation to
// the frame where the page's heading is there and nothing says it is loading (budget 500 ms), and
// scrolling the profile and assessment pages top to bottom, frames per second from
// requestAnimationFrame (budget 60).
// Run with `npm run bench` (or `node dist/bench/pages.js` after a build).
import { launch, openPage, scrollFps, signIn, startDemo } from "../test/e2e/demo-server.js";
import { report } from "./stats.js";

export async function benchPages(): Promise<void> {
  console.log("\n== web pages (Chromium, loopback, worked example) ==");
  const demo = await startDemo();
  const browser = await launch();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, demo);
    const pages: [string, string][] = [
      ["home", "/"],
      ["catalogs", "/catalogs"],
      ["catalog item", "/catalogs/nist-ir-8259a?item=nist-ir-8259a%3A1"],
      ["search", "/catalogs?q=SBOM"],
      ["family", "/family"],
      ["matrix", "/matrix?anchor=nist-ir-8259a&columns=etsi-en-303-645,eu-cra"],
      ["profiles", "/profiles"],
      ["profile wizard", "/profiles/new"],
      ["profile (495 items)", `/profiles/${demo.profileId}`],
      ["assessments", "/assessments"],
      ["assessment (495 findings)", `/assessments/${demo.assessmentId}`],
      ["admin", "/admin"],
      ["account", "/account"],
    ];
    // One visit each to warm the server's caches (catalogs, search index, matrices), then measured.
    for (const [, url] of pages) await openPage(page, `${demo.origin}${url}`);
    for (const [name, url] of pages) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await openPage(page, `${demo.origin}${url}`));
      report(`page ready: ${name}`, times, 500);
    }
    for (const [name, url, open] of [
      ["profile, every group open", `/profiles/${demo.profileId}`, true],
      ["assessment", `/assessments/${demo.assessmentId}`, false],
      ["assessment, every group open", `/assessments/${demo.assessmentId}`, true],
    ] as const) {
      await openPage(page, `${demo.origin}${url}`);
      if (open && url.startsWith("/profiles"))
        await page.evaluate(
          `document.querySelectorAll("details.item-group").forEach((d) => d.setAttribute("open", ""))`,
        );
      // The findings' own control, as a person opens them all.
      if (open && url.startsWith("/assessments")) {
        await page.getByRole("button", { name: "Open every group" }).click();
        await page.locator(".finding-row").first().waitFor();
      }
      const s = await scrollFps(page, 3000);
      const height = (await page.evaluate("document.documentElement.scrollHeight")) as number;
      console.log(
        `scroll ${name} (${height} px): ${s.fps.toFixed(1)} frames/s over ${s.frames} frames, longest frame ${s.worstMs.toFixed(1)} ms  (budget 60 frames/s: ${s.fps >= 58 ? "ok" : "UNDER"})`,
      );
    }
  } finally {
    await browser.close();
    await demo.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPages();
