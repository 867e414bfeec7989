import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, jsonMutator, mutator } from "../../../test/helpers/fuzz.js";
import { importFeeds } from "../vulns/feed-store.js";
import { osvScannerCollector as c } from "./index.js";

const osv = (n: string) => fixture("osv-scanner", n);
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const GATEWAY = "t800-gateway.osv-scanner.json";

let feeds: string;
let kevOptions: Record<string, unknown>;
beforeAll(async () => {
  feeds = mkdtempSync(join(tmpdir(), "cairn-osvs-feeds-"));
  await importFeeds(
    join(FIXTURES, "vulns", "feeds", "known_exploited_vulnerabilities.json"),
    feeds,
    "2026-12-01",
  );
  kevOptions = (await c.prepare?.({ feeds })) ?? {};
});
afterAll(() => rmSync(feeds, { recursive: true, force: true }));

describe("osv-scanner collector", () => {
  it("reads the packages, groups their vulnerabilities by alias and rates them", async () => {
    const r = await run(c, osv(GATEWAY));
    expect(r.valid).toBe(true);
    expect(r.format).toBe("osv-scanner-json");
    expect(results(r, "osv-scanner.format")).toEqual(["pass"]);
    const s = r.osvScanner as {
      summary: Record<string, unknown>;
      packages: {
        name: string;
        groups: { ids: string[]; severity: string; fixed: string[]; called?: boolean }[];
      }[];
    };
    expect(s.summary).toMatchObject({
      packages: 4,
      vulnerablePackages: 3,
      vulnerabilities: 4,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, none: 0, unknown: 1 },
      fixable: 2,
      licenseViolations: 1,
    });
    expect(s.packages.find((p) => p.name === "nwc-rtos-kernel")?.groups[0]?.severity).toBe("high");
    const store = s.packages.find((p) => p.name === "@northwind/config-store")?.groups;
    expect(store).toEqual([
      expect.objectContaining({
        ids: ["CAIRN-TEST-OSVS-0001", "CAIRN-TEST-OSVS-0002"],
        severity: "critical",
        fixed: ["2.3.4"],
      }),
    ]);
    const mqtt = s.packages.find((p) => p.name === "nwc-mqtt-client")?.groups;
    expect(mqtt?.map((g) => [g.ids[0], g.severity, g.called])).toEqual([
      ["CAIRN-TEST-OSVS-0004", "medium", undefined],
      ["CAIRN-TEST-OSVS-0005", "unknown", false],
    ]);
    expect(
      r.checks.filter((x) => x.id === "osv-scanner.vulnerable-package").map((x) => [x.result, x.location]),
    ).toEqual([
      ["warn", "/results/0/packages/0"],
      ["warn", "/results/1/packages/0"],
      ["warn", "/results/1/packages/1"],
    ]);
    expect(r.checks.find((x) => x.id === "osv-scanner.vulnerable-package")?.message).toBe(
      "npm/@northwind/config-store@2.3.0 (lockfile:/build/t800-gateway/webui/package-lock.json): CAIRN-TEST-OSVS-0001/CAIRN-TEST-OSVS-0002 critical (CVSS 9.1), fixed in 2.3.4",
    );
    expect(results(r, "osv-scanner.severity")).toEqual(["warn"]);
    expect(results(r, "osv-scanner.kev")).toEqual(["info"]);
    expect(r.checks.find((x) => x.id === "osv-scanner.call-analysis")?.message).toMatch(
      /^1 vulnerabilities are not called .*CAIRN-TEST-OSVS-0005 in PyPI\/nwc-mqtt-client@1\.8\.1/,
    );
    expect(r.checks.find((x) => x.id === "osv-scanner.licenses")).toMatchObject({
      result: "warn",
      location: "/results/0/packages/1",
    });
    // Without a KEV catalog, open vulnerabilities leave the items inconclusive (as the vulns collector).
    expect(proposal(r, "eu-cra:annex-i.part-i.2.a")).toMatchObject({
      verdict: "inconclusive",
      strength: "supports",
    });
    expect(r.tags).toEqual(["vulnerability-scan"]);
  });

  it("fails CRA Annex I Part I (2)(a) and EN 18031-1 GEC-1 on a known exploited vulnerability (KEV feeds)", async () => {
    const r = await run(c, osv(GATEWAY), { options: kevOptions });
    expect(r.checks.filter((x) => x.id === "osv-scanner.kev").map((x) => [x.result, x.location])).toEqual([
      ["fail", "/results/1/packages/0"],
    ]);
    expect(r.checks.find((x) => x.id === "osv-scanner.kev")?.message).toMatch(
      /^CVE-2099-0202 \(CAIRN-TEST-OSVS-0003\) in GIT\/nwc-rtos-kernel@3\.1\.0 is a known exploited/,
    );
    for (const item of ["eu-cra:annex-i.part-i.2.a", "cen-en-18031-1:GEC-1"])
      expect(proposal(r, item)).toMatchObject({ verdict: "fail", strength: "proves-only-when-failing" });
    const store = JSON.parse(new TextDecoder().decode(osv(GATEWAY)));
    store.results.splice(1, 1);
    const noKev = await run(c, json(store), { options: kevOptions });
    expect(results(noKev, "osv-scanner.kev")).toEqual(["pass"]);
    expect(proposal(noKev, "cen-en-18031-1:GEC-1")?.verdict).toBe("inconclusive");
  });

  it("supports a pass when the scan reports nothing", async () => {
    const r = await run(c, osv("clean.osv-scanner.json"), { options: kevOptions });
    expect(r.valid).toBe(true);
    expect(results(r, "osv-scanner.vulnerable-package")).toEqual(["pass"]);
    expect(results(r, "osv-scanner.kev")).toEqual(["pass"]);
    expect(proposal(r, "eu-cra:annex-i.part-i.2.a")).toMatchObject({ verdict: "pass", strength: "supports" });
  });

  it("reads the earliest output shape (packageSource, Package, no groups)", async () => {
    const r = await run(c, osv("t800-webui-v1.0.osv-scanner.json"));
    expect(r.valid).toBe(true);
    expect((r.osvScanner as { summary: unknown }).summary).toMatchObject({
      vulnerabilities: 1,
      bySeverity: { unknown: 1 },
    });
    expect(results(r, "osv-scanner.severity")).toEqual(["info"]);
  });

  it("lists entries of the wrong shape and rejects other JSON", async () => {
    const bad = await run(
      c,
      json({
        results: [
          {
            source: { path: "x" },
            packages: [
              { package: {} },
              { package: { name: "a" }, vulnerabilities: [{}], groups: [{ ids: ["GHSA-x"] }] },
            ],
          },
        ],
      }),
    );
    expect(bad.valid).toBe(false);
    expect(bad.proposals).toEqual([]);
    expect(bad.checks.filter((x) => x.id === "osv-scanner.format").map((x) => x.location)).toEqual([
      "/results/0/source",
      "/results/0/packages/0",
      "/results/0/packages/1/vulnerabilities/0",
      "/results/0/packages/1/groups/0",
    ]);
    const other = await run(c, json({ bomFormat: "CycloneDX", results: 1 }));
    expect(other.valid).toBe(false);
    expect(other.checks[0]?.message).toMatch(/not OSV-Scanner output/);
    expect(c.detect(osv(GATEWAY), undefined)).toBeGreaterThanOrEqual(0.9);
    expect(c.detect(osv("clean.osv-scanner.json"), undefined)).toBeGreaterThanOrEqual(0.9);
    expect(c.detect(osv("t800-webui-v1.0.osv-scanner.json"), undefined)).toBeGreaterThanOrEqual(0.9);
    expect(c.detect(json({ results: [] }), undefined)).toBeGreaterThan(0);
    expect(c.detect(fixture("scan", "ssh-audit-openssh-9.2-weak.json"), undefined)).toBe(0);
  });

  it("names a missing --feeds folder; without the option and no default folder, runs without KEV", async () => {
    await expect(c.prepare?.({ feeds: join(feeds, "nope") })).rejects.toThrow(
      /--feeds .*nope: no feeds folder/,
    );
  });

  it("reads 20,000 vulnerable packages (timed in bench/collect-artifacts.ts)", async () => {
    const big = {
      results: [
        {
          source: { path: "/big/package-lock.json", type: "lockfile" },
          packages: Array.from({ length: 20_000 }, (_, i) => ({
            package: { name: `pkg-${i}`, version: "1.0.0", ecosystem: "npm" },
            vulnerabilities: [{ id: `CAIRN-TEST-${i}`, aliases: [`CVE-2099-${i}`] }],
            groups: [{ ids: [`CAIRN-TEST-${i}`], max_severity: "5.0" }],
          })),
        },
      ],
    };
    const r = await run(c, json(big), { options: kevOptions });
    expect((r.osvScanner as { summary: { vulnerabilities: number } }).summary.vulnerabilities).toBe(20_000);
  });

  it("survives 10,000 hostile inputs", async () => {
    const seeds = [GATEWAY, "clean.osv-scanner.json", "t800-webui-v1.0.osv-scanner.json"].map(osv);
    await fuzzCollector(
      c,
      mutator(seeds, ['"', "{", "}", "[", "]", ",", '"results":', '"groups":[{"ids":[]}]', "null"]),
      {
        runs: 10_000,
        context: { options: kevOptions },
      },
    );
    const jsonSeeds = seeds.map((b) => JSON.parse(new TextDecoder().decode(b)));
    await fuzzCollector(c, jsonMutator(jsonSeeds, 5), { runs: 10_000, context: { options: kevOptions } });
  }, 120_000);
});
