import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseVulns } from "../../src/collect/vulns/analyse.js";
import { importFeeds, listFeeds, loadFeedSet } from "../../src/collect/vulns/feed-store.js";
import { feedKindOf, parseNvd, parseOsv } from "../../src/collect/vulns/feeds.js";
import type { VulnMatch } from "../../src/collect/vulns/match.js";
import { evaluateAffected, indexAdvisories, purlTarget } from "../../src/collect/vulns/match.js";
import type { FeedSet } from "../../src/collect/vulns/model.js";
import { prepareVulns } from "../../src/collect/vulns/prepare.js";
import { mavenCompare, semverCompare } from "../../src/collect/vulns/versions.js";
import { fixture } from "../helpers/cli.js";

const FEEDS = fixture("vulns", "feeds");
const SBOM = fixture("sbom", "cyclonedx-1.6-thermostat-firmware.cdx.json");
let dir: string;

function run(file: string, options: Record<string, unknown>): CollectorReport {
  const bytes = readFileSync(file);
  return analyseVulns(
    { bytes, info: { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length } },
    { date: "2026-10-01", options },
  );
}
const matchesOf = (r: CollectorReport) => (r.vulnerabilities as { matches: VulnMatch[] }).matches;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cairn-feeds-"));
  await importFeeds(FEEDS, dir, "2026-10-01T00:00:00Z");
});

describe("feeds", () => {
  it("imports OSV (JSON, YAML, arrays), NVD API 2.0 and KEV with counts and dates, and rejects bad records", async () => {
    const feeds = listFeeds(dir);
    expect(feeds.map((f) => [f.kind, f.records, f.rejected, f.feedDate?.slice(0, 10)])).toEqual([
      ["kev", 2, 0, "2026-09-30"],
      ["nvd", 2, 0, "2026-09-28"],
      ["osv", 4, 1, "2026-06-02"],
    ]);
    // The same files again: nothing new.
    const again = await importFeeds(FEEDS, dir, "2026-10-02T00:00:00Z");
    expect(again.every((r) => r.skipped === "already imported")).toBe(true);
    expect(listFeeds(dir)).toHaveLength(3);
  });

  it("tells feed kinds apart and reads NVD configurations into CPE ranges", () => {
    const nvd = JSON.parse(readFileSync(join(FEEDS, "nvd-cve-api-2.0.json"), "utf8"));
    expect(feedKindOf(nvd)).toBe("nvd");
    expect(
      feedKindOf(JSON.parse(readFileSync(join(FEEDS, "known_exploited_vulnerabilities.json"), "utf8"))),
    ).toBe("kev");
    expect(feedKindOf({ hello: 1 })).toBeUndefined();
    const parsed = parseNvd(nvd, "nvd");
    const zephyr = parsed.items.find((a) => a.id === "CVE-2099-0202");
    // Only the vulnerable CPE of the AND node is kept; the platform is a condition, not an affected product.
    expect(zephyr?.affected).toHaveLength(1);
    expect(zephyr?.affected[0]?.cpe).toMatchObject({ vendor: "zephyrproject", product: "zephyr" });
  });

  it("evaluates OSV ranges: introduced/fixed, last_affected, several ranges, explicit versions", () => {
    const [adv] = parseOsv(
      JSON.parse(readFileSync(join(FEEDS, "osv", "GHSA-jfh8-c2jp-5v3q.json"), "utf8")),
      "osv",
    ).items;
    const affected = adv?.affected[0];
    if (!affected) throw new Error("no affected entry");
    const maven = (v: string) => evaluateAffected(affected, v, mavenCompare);
    expect(maven("2.14.1")).toBe("affected");
    expect(maven("2.15.0")).toBe("not-affected");
    expect(maven("2.12.2")).toBe("not-affected");
    expect(maven("2.12.1")).toBe("affected");
    expect(maven("2.0-beta9")).toBe("affected");
    expect(maven("2.0-beta8")).toBe("not-affected");
    const last = {
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { last_affected: "1.3.0" }] }],
      versions: [],
    };
    expect(evaluateAffected(last, "1.3.0", semverCompare)).toBe("affected");
    expect(evaluateAffected(last, "1.3.1", semverCompare)).toBe("not-affected");
    expect(evaluateAffected(last, "banana", semverCompare)).toBe("unknown");
  });

  it("maps package URLs to OSV ecosystems and names", () => {
    expect(purlTarget("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")?.key).toBe(
      "maven:org.apache.logging.log4j:log4j-core",
    );
    expect(purlTarget("pkg:pypi/Django_Rest@1.0")?.key).toBe("pypi:django-rest");
    expect(purlTarget("pkg:npm/%40angular/core@17.0.0")?.key).toBe("npm:@angular/core");
    expect(purlTarget("pkg:deb/debian/curl@7.88.1-10?distro=debian-12")).toMatchObject({
      key: "debian:curl",
      distro: "debian-12",
    });
    expect(purlTarget("pkg:golang/github.com/gin-gonic/gin@v1.9.0")?.key).toBe("go:github.com/gin-gonic/gin");
    expect(purlTarget("pkg:github/Mbed-TLS/mbedtls@v3.6.2")?.key).toBe("git:github.com/mbed-tls/mbedtls");
    expect(purlTarget("pkg:generic/acme/fw@1.0")).toBeUndefined();
    expect(purlTarget("not a purl")).toBeUndefined();
  });
});

describe("vulnerability collector", () => {
  it("matches by purl, CPE and GIT versions; KEV without VEX fails CRA Annex I Part I (2)(a)", () => {
    const feeds = loadFeedSet(dir);
    const r = run(SBOM, { feeds, vexStatements: [] });
    const m = matchesOf(r);
    const found = m
      .map((x) => `${x.component.name} ${x.advisory} ${x.by} ${x.status}${x.kev ? " kev" : ""}`)
      .sort();
    expect(found).toEqual([
      "mbedtls@3.6.2 CAIRN-TEST-GIT-0001 purl open",
      "mbedtls@3.6.2 CVE-2025-27809 cpe open",
      "org.apache.logging.log4j/log4j-core@2.14.1 GHSA-jfh8-c2jp-5v3q purl open kev",
      "requests@2.31.0 GHSA-9wx4-h78v-vm56 purl open",
      "zephyr@3.7.0 CVE-2099-0202 cpe open kev",
    ]);
    expect(r.checks.find((c) => c.id === "vulns.kev")?.result).toBe("fail");
    const cra = r.proposals.find((p) => p.item === "eu-cra:annex-i.part-i.2.a");
    expect(cra).toMatchObject({ verdict: "fail", strength: "proves-only-when-failing" });
    expect(cra?.reason).toContain("CVE-2021-44228 in org.apache.logging.log4j/log4j-core@2.14.1");
    // Components without purl or CPE are listed, never silently skipped.
    const v = r.vulnerabilities as {
      unidentified: { name: string }[];
      unchecked: { name: string; reason: string }[];
    };
    expect(v.unidentified.map((u) => u.name)).toEqual(["wifi-fw-blob@7.45.1"]);
    expect(v.unchecked.map((u) => u.name)).toEqual(["thermo-os@4.2.0"]);
  });

  it("applies OpenVEX and CSAF VEX per match", async () => {
    const options = await prepareVulns({
      feeds: dir,
      vex: [
        fixture("vulns", "vex", "openvex-requests.json"),
        fixture("vulns", "vex", "csaf-vex-zephyr.json"),
      ],
    });
    const r = run(SBOM, options);
    const m = matchesOf(r);
    expect(m.find((x) => x.advisory === "GHSA-9wx4-h78v-vm56")).toMatchObject({
      status: "not_affected",
      vex: [{ format: "openvex", justification: "vulnerable_code_not_in_execute_path" }],
    });
    expect(m.find((x) => x.advisory === "CVE-2099-0202")).toMatchObject({
      status: "not_affected",
      vex: [{ format: "csaf", justification: "vulnerable_code_not_present" }],
    });
    // log4j is still open and in KEV.
    expect(r.checks.find((c) => c.id === "vulns.kev")?.message).toMatch(/^1 known exploited/);
  });

  it("applies CycloneDX analysis inside the SBOM, and passes with supporting strength once KEV is resolved", () => {
    const feeds = loadFeedSet(dir) as FeedSet;
    const doc = JSON.parse(readFileSync(SBOM, "utf8"));
    doc.vulnerabilities = [
      {
        id: "CVE-2021-44228",
        affects: [{ ref: "log4j-core" }],
        analysis: { state: "resolved", detail: "patched build" },
      },
      {
        id: "CVE-2099-0202",
        affects: [{ ref: "zephyr" }],
        analysis: { state: "not_affected", justification: "code_not_present" },
      },
    ];
    const file = join(mkdtempSync(join(tmpdir(), "cairn-vex-")), "sbom.json");
    writeFileSync(file, JSON.stringify(doc));
    const r = run(file, { feeds, vexStatements: [] });
    expect(matchesOf(r).find((x) => x.advisory === "GHSA-jfh8-c2jp-5v3q")).toMatchObject({
      status: "fixed",
      vex: [{ format: "cyclonedx", source: "sbom" }],
    });
    expect(r.checks.find((c) => c.id === "vulns.kev")?.result).toBe("pass");
    expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-i.2.a")).toMatchObject({
      verdict: "inconclusive",
      strength: "supports",
    });
  });

  it("fails cleanly without feeds, and on input that is no SBOM", () => {
    const r = run(SBOM, {});
    expect(r.checks.find((c) => c.id === "vulns.feeds")?.result).toBe("fail");
    const bad = run(fixture("sbom", "truncated.cdx.json"), { feeds: loadFeedSet(dir) });
    expect(bad).toMatchObject({ valid: false, checks: [{ id: "vulns.sbom", result: "fail" }] });
  });

  it("indexes advisories once: withdrawn records are left out", () => {
    const index = indexAdvisories([
      {
        id: "A",
        aliases: [],
        source: "osv",
        affected: [{ ecosystem: "npm", name: "x", ranges: [], versions: [] }],
      },
      {
        id: "B",
        aliases: [],
        source: "osv",
        withdrawn: "2026-01-01",
        affected: [{ ecosystem: "npm", name: "x", ranges: [], versions: [] }],
      },
    ]);
    expect(index.advisories).toBe(1);
    expect(index.byKey.get("npm:x")?.map((e) => e.advisory.id)).toEqual(["A"]);
  });
});
