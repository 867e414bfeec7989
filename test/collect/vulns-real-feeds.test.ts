import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseVulns } from "../../src/collect/vulns/analyse.js";
import { importFeeds, listFeeds, loadFeedSet } from "../../src/collect/vulns/feed-store.js";
import type { VulnMatch } from "../../src/collect/vulns/match.js";
import { prepareVulns } from "../../src/collect/vulns/prepare.js";
import { cli, fixture } from "../helpers/cli.js";

// Real advisories, unchanged (test/fixtures/vulns/real/SOURCES.md): OSV JSON from GitHub's advisory
// database and the Go vulnerability database, OSV YAML from the PyPA database and OSS-Fuzz (GIT
// ranges), NVD CVE API 2.0 records and the whole CISA KEV catalog. Every count and date expected
// here is read from the files themselves, and every match verdict follows from what the record
// states (the reason sits next to it).

const REAL = fixture("vulns", "real");
const SBOM = fixture("vulns", "real-feeds-gateway.cdx.json");
const json = (path: string) => JSON.parse(readFileSync(join(REAL, path), "utf8"));
const yaml = (path: string) => parseYaml(readFileSync(join(REAL, path), "utf8"));

const kevFile = json("kev/known_exploited_vulnerabilities.json") as {
  catalogVersion: string;
  dateReleased: string;
  count: number;
  vulnerabilities: {
    cveID: string;
    dateAdded: string;
    dueDate: string;
    knownRansomwareCampaignUse: string;
  }[];
};
const nvdResponse = json("nvd/nvd_response.json") as {
  timestamp: string;
  totalResults: number;
  vulnerabilities: { cve: { id: string; lastModified: string } }[];
};
const heartbleed = json("nvd/CVE-2014-0160.json") as { cve: { id: string; lastModified: string } };
const osvRecords = [
  json("osv/GHSA-jfh8-c2jp-5v3q.json"),
  json("osv/GO-2021-0113.json"),
  yaml("osv/OSV-2022-508.yaml"),
  yaml("osv/PYSEC-2023-74.yaml"),
] as { id: string; modified: string; published: string }[];

const min = (xs: string[]) => [...xs].sort()[0];
const max = (xs: string[]) => [...xs].sort().at(-1);

let dir: string;
let imports: { file: string; kind?: string; records: number; rejected: number; feedDate?: string }[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cairn-real-feeds-"));
  const r = await cli("feeds", "import", REAL, "--data", dir, "--json");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  imports = (JSON.parse(r.stdout) as { imports: typeof imports }).imports;
});

const importOf = (suffix: string) => imports.find((i) => i.file.endsWith(suffix));

describe("importing real feeds (cairn feeds import)", () => {
  it("reads the whole CISA KEV catalog: its count, release date and oldest entry", () => {
    expect(kevFile.vulnerabilities).toHaveLength(kevFile.count);
    expect(importOf("known_exploited_vulnerabilities.json")).toMatchObject({
      kind: "kev",
      records: kevFile.count,
      rejected: 0,
      feedDate: kevFile.dateReleased,
    });
    expect(listFeeds(dir).find((f) => f.kind === "kev")?.oldestRecord).toBe(
      min(kevFile.vulnerabilities.map((v) => v.dateAdded)),
    );
  });

  it("reads an NVD API 2.0 response: every entry it holds, the response's timestamp", () => {
    // The response says totalResults 4 and holds CVE-2021-20560 twice, as NVD returned it.
    expect(nvdResponse.vulnerabilities).toHaveLength(nvdResponse.totalResults);
    expect(importOf("nvd_response.json")).toMatchObject({
      kind: "nvd",
      records: nvdResponse.totalResults,
      rejected: 0,
      feedDate: nvdResponse.timestamp,
    });
    expect(listFeeds(dir).find((f) => f.file === "nvd_response.json")?.oldestRecord).toBe(
      min(nvdResponse.vulnerabilities.map((v) => v.cve.lastModified)),
    );
  });

  it("reads a single NVD CVE record file, dated by its lastModified", () => {
    expect(importOf("CVE-2014-0160.json")).toMatchObject({
      kind: "nvd",
      records: 1,
      rejected: 0,
      feedDate: heartbleed.cve.lastModified,
    });
  });

  it("imports the OSV records (JSON and YAML) of the folder as one import, dated by their modified", () => {
    // golang/vulndb's repository copies carry Go's zero time as `modified` (vuln.go.dev fills it in
    // when publishing): no date at all, so the record counts by its `published` date instead.
    const go = osvRecords.find((r) => r.id === "GO-2021-0113");
    expect(go?.modified).toBe("0001-01-01T00:00:00Z");
    const dates = osvRecords.map((r) => (r === go ? r.published : r.modified));
    expect(importOf("(4 OSV files)")).toMatchObject({
      kind: "osv",
      records: osvRecords.length,
      rejected: 0,
      feedDate: max(dates),
    });
    expect(listFeeds(dir).find((f) => f.kind === "osv")?.oldestRecord).toBe(min(dates));
  });

  it("loads one advisory per id and the KEV catalog, and changes nothing on a second import", async () => {
    const set = loadFeedSet(dir);
    const ids = [
      ...osvRecords.map((r) => r.id),
      ...nvdResponse.vulnerabilities.map((v) => v.cve.id),
      heartbleed.cve.id,
    ];
    expect(set.advisories.map((a) => a.id).sort()).toEqual([...new Set(ids)].sort());
    expect(set.kev.size).toBe(new Set(kevFile.vulnerabilities.map((v) => v.cveID)).size);
    const again = await importFeeds(REAL, dir, "2026-10-02T00:00:00Z");
    expect(again.map((r) => r.skipped)).toEqual(imports.map(() => "already imported"));
  });

  it("reads the same NVD record in the shapes fkie-cad's mirror publishes (bare record, yearly cve_items file)", async () => {
    const other = mkdtempSync(join(tmpdir(), "cairn-nvd-shapes-"));
    writeFileSync(join(other, "CVE-2014-0160.json"), JSON.stringify(heartbleed.cve));
    writeFileSync(
      join(other, "CVE-2021.json"),
      JSON.stringify({
        timestamp: "2026-10-02T00:00:23",
        cve_count: 2,
        feed_name: "CVE-2021",
        source: "fkie-cad/nvd-json-data-feeds",
        cve_items: nvdResponse.vulnerabilities.slice(1, 3).map((v) => v.cve),
      }),
    );
    const store = mkdtempSync(join(tmpdir(), "cairn-nvd-store-"));
    const r = await importFeeds(other, store, "2026-10-01T00:00:00Z");
    expect(r.map((x) => [x.file.split("/").pop(), x.kind, x.records, x.feedDate])).toEqual([
      ["CVE-2021.json", "nvd", 2, "2026-10-02T00:00:23"],
      ["CVE-2014-0160.json", "nvd", 1, heartbleed.cve.lastModified],
    ]);
  });
});

type Verdict = { advisory: string; status: VulnMatch["status"]; kev?: string } | "not affected" | "unchecked";

// What each component of real-feeds-gateway.cdx.json must get, and why the record says so.
const expected: [ref: string, verdict: Verdict, why: string][] = [
  [
    "log4j-core-2.14.1",
    { advisory: "GHSA-jfh8-c2jp-5v3q", status: "open", kev: "CVE-2021-44228" },
    "GHSA: ECOSYSTEM range introduced 2.13.0, fixed 2.15.0; alias CVE-2021-44228 is in KEV",
  ],
  [
    "log4j-core-2.12.2",
    "not affected",
    "GHSA: 2.12.2 is the fix of the range introduced at 2.4, below 2.13.0",
  ],
  ["log4j-core-2.17.1", "not affected", "GHSA: above the highest fixed version, 2.15.0"],
  ["x-text-0.3.6", { advisory: "GO-2021-0113", status: "open" }, "Go: SEMVER introduced 0, fixed 0.3.7"],
  ["x-text-0.3.7", "not affected", "Go: 0.3.7 is the fixed version"],
  [
    "requests-2.30.0",
    { advisory: "PYSEC-2023-74", status: "open" },
    "PyPA: ECOSYSTEM introduced 2.3.0, fixed 2.31.0; 2.30.0 is also in the versions list",
  ],
  [
    "requests-2.31.0",
    "not affected",
    "PyPA: 2.31.0 is the ECOSYSTEM fix; the record's GIT range orders commits, not release numbers",
  ],
  ["requests-2.2.1", "not affected", "PyPA: before introduced 2.3.0 and not in the versions list"],
  [
    "libcoap-v4.3.1",
    { advisory: "OSV-2022-508", status: "open" },
    "OSS-Fuzz: v4.3.1 is in the versions list",
  ],
  ["libcoap-fix", "not affected", "OSS-Fuzz: the GIT range's fixed commit c0572443"],
  [
    "libcoap-v4.3.0",
    "unchecked",
    "OSS-Fuzz: not listed, and where its tag sits between the commits needs the repository's history",
  ],
  [
    "openssl-1.0.1f",
    { advisory: "CVE-2014-0160", status: "open", kev: "CVE-2014-0160" },
    "NVD: cpe openssl:openssl versionStartIncluding 1.0.1, versionEndExcluding 1.0.1g; in KEV",
  ],
  ["openssl-1.0.1g", "not affected", "NVD: 1.0.1g is versionEndExcluding"],
  ["openssl-1.0.0", "not affected", "NVD: below versionStartIncluding 1.0.1"],
  [
    "s7-1500-fw-1.5",
    { advisory: "CVE-2014-0160", status: "not_affected", kev: "CVE-2014-0160" },
    "NVD: simatic_s7-1500_firmware:1.5 is vulnerable; the SBOM's own analysis says not_affected",
  ],
  ["s7-1500-fw-1.6", "not affected", "NVD: only firmware 1.5 of the S7-1500 is named"],
  ["pidgin-otr-4.0.1", { advisory: "CVE-2015-8833", status: "open" }, "NVD: versionEndIncluding 4.0.1"],
  [
    "pidgin-otr-4.0.2",
    "not affected",
    "NVD: above versionEndIncluding 4.0.1 (the description: before 4.0.2)",
  ],
  [
    "sterling-1.5.0.2",
    { advisory: "CVE-2021-20560", status: "open" },
    "NVD: 1.5.0.2 is named (the response holds the record twice: one match)",
  ],
  ["sterling-1.5.0.3", "not affected", "NVD: only 1.4.1.1 and 1.5.0.2 are named"],
  ["fw:gateway-os", "unchecked", "a pkg:generic purl names no advisory ecosystem"],
];

function run(bytes: Buffer, options: Record<string, unknown>): CollectorReport {
  const info = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
  return analyseVulns({ bytes, info }, { date: "2026-10-01", options });
}

describe("matching an SBOM against the real feeds", () => {
  const raw = JSON.parse(readFileSync(SBOM, "utf8")) as {
    metadata: { component: Record<string, string> };
    components: Record<string, string>[];
  };
  const all = [raw.metadata.component, ...raw.components];
  const label = (c: Record<string, string>) => `${c.group ? `${c.group}/` : ""}${c.name}@${c.version}`;

  it("covers every component of the SBOM", () => {
    expect(expected.map(([ref]) => ref).sort()).toEqual(all.map((c) => c["bom-ref"]).sort());
  });

  // One run serves every row: the verdicts are of one report.
  let report: Promise<CollectorReport> | undefined;
  const once = () => {
    report ??= prepareVulns({ feeds: dir }).then((options) => run(readFileSync(SBOM), options));
    return report;
  };

  it.each(expected)("%s: %j (%s)", async (ref, verdict) => {
    const r = await once();
    const v = r.vulnerabilities as {
      matches: VulnMatch[];
      unchecked: { name: string }[];
      unmatched: string[];
    };
    const c = all.find((x) => x["bom-ref"] === ref) as Record<string, string>;
    const matches = v.matches.filter((m) => m.component.ref === ref);
    if (verdict === "not affected") {
      expect(matches).toEqual([]);
      expect(v.unmatched).toContain(label(c));
    } else if (verdict === "unchecked") {
      expect(matches).toEqual([]);
      expect(v.unchecked.map((u) => u.name)).toContain(label(c));
    } else {
      expect(matches.map((m) => [m.advisory, m.status, m.kev?.cve])).toEqual([
        [verdict.advisory, verdict.status, verdict.kev],
      ]);
      // The KEV facts shown are the catalog's.
      if (verdict.kev) {
        const entry = kevFile.vulnerabilities.find((k) => k.cveID === verdict.kev);
        expect(matches[0]?.kev).toEqual({
          cve: entry?.cveID,
          dateAdded: entry?.dateAdded,
          dueDate: entry?.dueDate,
          ransomware: entry?.knownRansomwareCampaignUse,
        });
      }
    }
  });

  it("fails CRA Annex I Part I (2)(a) for the open KEV matches, not for the one a VEX says not_affected", async () => {
    const r = await once();
    const open = [
      "CVE-2021-44228 in org.apache.logging.log4j/log4j-core@2.14.1",
      "CVE-2014-0160 in openssl@1.0.1f",
    ];
    const kev = r.checks.find((c) => c.id === "vulns.kev");
    expect(kev?.result).toBe("fail");
    expect(kev?.message).toMatch(/^2 known exploited/);
    for (const s of open) expect(kev?.message).toContain(s);
    expect(kev?.message).not.toContain("simatic");
    const cra = r.proposals.find((p) => p.item === "eu-cra:annex-i.part-i.2.a");
    expect(cra).toMatchObject({ verdict: "fail", strength: "proves-only-when-failing" });
    for (const s of open) expect(cra?.reason).toContain(s);
  });

  it("no longer fails once VEX statements mark the two KEV matches fixed and not_affected", async () => {
    const doc = JSON.parse(readFileSync(SBOM, "utf8"));
    doc.vulnerabilities.push(
      { id: "CVE-2021-44228", affects: [{ ref: "log4j-core-2.14.1" }], analysis: { state: "resolved" } },
      {
        id: "CVE-2014-0160",
        affects: [{ ref: "openssl-1.0.1f" }],
        analysis: { state: "not_affected", justification: "code_not_reachable" },
      },
    );
    const r = run(Buffer.from(JSON.stringify(doc)), await prepareVulns({ feeds: dir }));
    expect(r.checks.find((c) => c.id === "vulns.kev")?.result).toBe("pass");
    expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-i.2.a")?.verdict).not.toBe("fail");
  });
});
