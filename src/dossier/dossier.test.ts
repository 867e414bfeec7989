import { unzipSync } from "fflate";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readPdf, structNodes } from "../../test/helpers/pdf.js";
import { deriveVerdicts } from "../assessment/derive.js";
import { loadCatalogs } from "../catalog/files.js";
import { formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { validateOscal } from "../oscal/validate.js";
import { buildDossier } from "./build.js";
import { validateCycloneDx } from "./cyclonedx-validate.js";
import { verifyDossier } from "./manifest.js";
import type { DossierInput, DossierResult, Manifest } from "./model.js";
import { pdfText } from "./pdf.js";
import { syntheticInput } from "./synthetic.js";
import { sha256Hex } from "./util.js";
import { deterministicZip, zipTime } from "./zip.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const dec = new TextDecoder();
const text = (r: DossierResult, path: string) => dec.decode(r.files.get(path));
const jsonOf = (r: DossierResult, path: string) => JSON.parse(text(r, path));

/** The text shown on each page of the PDF, as pdf.js reads it through the embedded fonts. */
async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  return (await readPdf(bytes)).pages;
}

/** A copy to change: the assessment and profile deep-copied, the registry, crosswalks and files shared. */
function copyOf(i: DossierInput): DossierInput {
  const c = structuredClone({ ...i, registry: undefined, crosswalks: undefined, evidenceFiles: undefined });
  return {
    ...c,
    registry: i.registry,
    crosswalks: i.crosswalks,
    evidenceFiles: i.evidenceFiles,
  } as DossierInput;
}

/** The synthetic assessment with every required item decided and no pitfall: nothing is open. */
function complete(i: DossierInput): DossierInput {
  const out = copyOf(i);
  for (const f of out.assessment.findings) {
    if (f.verdict !== "fail" && f.verdict !== "not-applicable") f.verdict = "pass";
    delete f.basis;
    f.evidence = [];
  }
  out.pitfalls = [];
  return out;
}

let input: DossierInput;
let first: DossierResult;

beforeAll(async () => {
  input = syntheticInput(registry, set);
  first = await buildDossier(input);
}, 120_000);

afterEach(() => {
  vi.useRealTimers();
});

describe("buildDossier", { timeout: 120_000 }, () => {
  it("writes every part of the dossier under fixed paths, evidence copied as it is", () => {
    expect(first.problems.map(formatProblem)).toEqual([]);
    expect(first.built).toBe(true);
    const paths = [...first.files.keys()];
    for (const p of [
      "report.html",
      "report.pdf",
      "matrix.xlsx",
      "matrix.csv",
      "oscal/assessment-results.json",
      "oscal/profile.json",
      "cyclonedx/attestation.cdx.json",
      "manifest.json",
    ])
      expect(paths).toContain(p);
    expect(paths.filter((p) => p.startsWith("evidence/"))).toHaveLength(3);
    for (const [path, bytes] of input.evidenceFiles) expect(first.files.get(path)).toEqual(bytes);
    expect(paths).toEqual([...paths].sort());
    // The zip holds the same tree.
    const unzipped = unzipSync(first.zip as Uint8Array);
    expect(Object.keys(unzipped).sort()).toEqual(paths);
    for (const [p, b] of first.files) expect(sha256Hex(unzipped[p] as Uint8Array)).toBe(sha256Hex(b));
  });

  it("OSCAL assessment results and profile are valid against the OSCAL 1.2.1 schemas", () => {
    const ar = jsonOf(first, "oscal/assessment-results.json");
    expect(validateOscal("assessment-results", ar, "ar").map(formatProblem)).toEqual([]);
    expect(
      validateOscal("profile", jsonOf(first, "oscal/profile.json"), "profile").map(formatProblem),
    ).toEqual([]);
    const result = ar["assessment-results"].results[0];
    expect(ar["assessment-results"].results).toHaveLength(1);
    expect(result.findings).toHaveLength(input.assessment.findings.length);
    expect(result.observations).toHaveLength(input.assessment.findings.length);
    const failed = result.findings.find((f: { props: { name: string; value: string }[] }) =>
      f.props.some((p) => p.name === "verdict" && p.value === "fail"),
    );
    expect(failed.target.status.state).toBe("not-satisfied");
    const resources = ar["assessment-results"]["back-matter"].resources;
    const file = input.assessment.evidence.find((e) => e.file)?.file;
    const res = resources.find(
      (r: { rlinks?: { href: string }[] }) => r.rlinks?.[0]?.href === `../${file?.path}`,
    );
    expect(res.rlinks[0].hashes).toEqual([{ algorithm: "SHA-256", value: file?.sha256 }]);
    expect(ar["assessment-results"].metadata["last-modified"]).toBe("2026-11-27T00:00:00Z");
  });

  it("the CycloneDX attestation is valid CycloneDX 1.6 with requirements, claims, evidence, conformance, confidence", () => {
    const bom = jsonOf(first, "cyclonedx/attestation.cdx.json");
    expect(validateCycloneDx(bom, "bom").map(formatProblem)).toEqual([]);
    expect(bom.specVersion).toBe("1.6");
    const requirements = bom.definitions.standards.flatMap(
      (s: { requirements: unknown[] }) => s.requirements,
    );
    expect(requirements).toHaveLength(input.profile.items.length);
    const d = bom.declarations;
    expect(d.assessors[0].thirdParty).toBe(true);
    expect(d.claims).toHaveLength(input.assessment.findings.length);
    expect(d.evidence).toHaveLength(input.assessment.evidence.length);
    const map = d.attestations[0].map;
    expect(map).toHaveLength(input.profile.items.length);
    const refs = new Set(requirements.map((r: { "bom-ref": string }) => r["bom-ref"]));
    for (const m of map) {
      expect(refs.has(m.requirement)).toBe(true);
      expect(m.conformance.score).toBeGreaterThanOrEqual(0);
      expect(m.confidence.score).toBeLessThanOrEqual(1);
    }
    const fail = input.assessment.findings.find((f) => f.verdict === "fail");
    expect(
      map.find((m: { requirement: string }) => m.requirement === `requirement:${fail?.item}`).conformance
        .score,
    ).toBe(0);
  });

  it("manifest.json lists every other file with its SHA-256 and size, and its own hash", () => {
    const m: Manifest = jsonOf(first, "manifest.json");
    expect(m.files.map((f) => f.path)).toEqual([...first.files.keys()].filter((p) => p !== "manifest.json"));
    for (const f of m.files) {
      const bytes = first.files.get(f.path) as Uint8Array;
      expect(f.sha256).toBe(sha256Hex(bytes));
      expect(f.size).toBe(bytes.length);
    }
    const blank = text(first, "manifest.json").replace(m.manifestSha256, "");
    expect(sha256Hex(blank)).toBe(m.manifestSha256);
    expect(m.generated).toBe("2026-11-27T00:00:00Z");
    expect(verifyDossier(first.files)).toMatchObject({ ok: true, changed: [], missing: [], added: [] });
  });

  it("is deterministic: another build at another time gives the same bytes, every file and the zip", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-05-17T13:37:11Z"));
    const again = await buildDossier(input);
    vi.useRealTimers();
    expect([...again.files.keys()]).toEqual([...first.files.keys()]);
    for (const [path, bytes] of first.files)
      expect(sha256Hex(again.files.get(path) as Uint8Array), path).toBe(sha256Hex(bytes));
    expect(sha256Hex(again.zip as Uint8Array)).toBe(sha256Hex(first.zip as Uint8Array));
    const pdf = Buffer.from(first.files.get("report.pdf") as Uint8Array).toString("latin1");
    expect(pdf).toMatch(/\/CreationDate \d+ 0 R/);
    expect(pdf).toContain("(D:20261127000000Z)");
    const core = dec.decode(unzipSync(first.files.get("matrix.xlsx") as Uint8Array)["docProps/core.xml"]);
    expect(core).toContain("2026-11-27T00:00:00Z");
  });

  it("zip entry times do not depend on the machine's time zone", () => {
    const zone = process.env.TZ;
    const files: [string, Uint8Array][] = [["a.txt", new Uint8Array([1, 2, 3])]];
    try {
      const out = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"].map((tz) => {
        process.env.TZ = tz;
        return sha256Hex(deterministicZip(files, zipTime("2026-03-29T02:30:00Z")));
      });
      expect(new Set(out).size).toBe(1);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(zipTime("1970-01-01").getFullYear()).toBe(1980);
  });

  it("verify names each file changed, missing or added, and a changed manifest", () => {
    const files = new Map(first.files);
    const html = files.get("report.html") as Uint8Array;
    files.set("report.html", new Uint8Array([...html.subarray(0, 100), 0x21, ...html.subarray(101)]));
    const evidence = [...files.keys()].find((p) => p.startsWith("evidence/")) as string;
    files.delete(evidence);
    files.set("extra.txt", new Uint8Array([1]));
    const r = verifyDossier(files);
    expect(r.ok).toBe(false);
    expect(r.changed).toEqual(["report.html"]);
    expect(r.missing).toEqual([evidence]);
    expect(r.added).toEqual(["extra.txt"]);
    expect(r.manifestIntact).toBe(true);

    const m = new Map(first.files);
    m.set(
      "manifest.json",
      new TextEncoder().encode(text(first, "manifest.json").replace('"draft": true', '"draft": false')),
    );
    const r2 = verifyDossier(m);
    expect(r2.manifestIntact).toBe(false);
    expect(r2.changed).toEqual(["manifest.json"]);
    expect(verifyDossier(new Map()).problems[0]?.message).toMatch(/missing/);
  });

  it("the XLSX matrix has a sheet per text, named after it, with each item's effective verdict, its source and evidence", async () => {
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(first.files.get("matrix.xlsx") as Uint8Array) as never);
    const texts = [...new Set(input.profile.items.map((i) => i.catalog))];
    const short = (id: string) => registry.get(id)?.meta.shortTitle ?? id;
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(-3)).toEqual(["Measures", "Risks", "Legend"]);
    expect(new Set(names.slice(0, -3))).toEqual(new Set(texts.map(short)));
    for (const id of texts) expect(names).not.toContain(id);
    const byItem = new Map(input.assessment.findings.map((f) => [f.item, f]));
    const effective = deriveVerdicts(input.assessment, input.profile).items;
    const word: Record<string, string> = {
      pass: "pass",
      partial: "partly met",
      fail: "FAIL",
      inconclusive: "inconclusive",
      "not-applicable": "not applicable",
      "not-assessed": "not assessed",
    };
    let checked = 0;
    let withEvidence = 0;
    for (const id of texts) {
      const ws = wb.getWorksheet(short(id));
      if (!ws) throw new Error(`no sheet named ${short(id)}`);
      const head = (ws.getRow(1).values as unknown[]).slice(1);
      expect(head.slice(0, 5)).toEqual(["Item", "Title", "Verdict", "Source", "Evidence"]);
      expect(head.slice(5)).toEqual(texts.filter((t) => t !== id).map(short));
      const catalog = registry.get(id);
      ws?.eachRow((row, n) => {
        if (n === 1) return;
        const label = String(row.getCell(1).value);
        const item = catalog?.items.find((x) => x.label === label);
        const f = item ? byItem.get(item.id) : undefined;
        const inProfile = item && input.profile.items.some((p) => p.id === item.id);
        const verdict = String(row.getCell(3).value ?? "");
        if (!inProfile) return expect(verdict, label).toBe("");
        checked++;
        const v = item ? effective.get(item.id) : undefined;
        expect(verdict.replace(/ \(stale\)$/, ""), label).toBe(
          v && (f || v.source !== "none") ? word[v.verdict] : "no finding",
        );
        expect(String(row.getCell(4).value ?? ""), label).toBe(v && v.source !== "none" ? v.source : "");
        const ev = String(row.getCell(5).value ?? "");
        for (const e of f?.evidence ?? []) expect(ev, label).toContain(e);
        if (ev) withEvidence++;
      });
    }
    expect(checked).toBe(input.profile.items.length);
    expect(withEvidence).toBeGreaterThan(0);
  });

  it("the HTML report is self-contained: inline CSS, no script, nothing loaded from elsewhere", () => {
    const html = text(first, "report.html");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(|\ssrc=/i);
    for (const m of html.matchAll(/href="([^"]*)"/g))
      expect(m[1]).toMatch(/^(#|evidence\/[0-9a-f]{64}|https:\/\/)/);
    for (const h of [
      'id="summary"',
      'id="context"',
      'id="findings"',
      'id="gaps"',
      'id="pitfalls"',
      'id="readiness"',
      'id="matrix"',
      'id="evidence"',
    ])
      expect(html).toContain(h);
    // Grouped by capability or clause, evidence with hashes, derived readiness with its path.
    expect(html).toContain("ETSI EN 303 645 5.1: ");
    expect(html).toContain(input.assessment.evidence[0]?.file?.sha256);
    expect(html).toContain("synthetic-crosswalk#1");
    expect(html).toContain("given on release 2.3.0");
  });

  it("is a DRAFT by itself while required items are open, saying on its first page what is open", async () => {
    expect(first.draft).toBe(true);
    expect(first.open?.items.length).toBeGreaterThan(0);
    expect(first.open?.pitfalls.map((p) => p.id)).toEqual(["default-password"]);
    expect(jsonOf(first, "manifest.json").draft).toBe(true);
    expect(jsonOf(first, "cyclonedx/attestation.cdx.json").declarations.attestations[0].summary).toContain(
      "DRAFT",
    );
    const html = text(first, "report.html");
    expect(html).toContain('class="standing draft-banner"');
    expect(html).toContain(
      `DRAFT: not final while ${first.open?.items.length} required items not decided, 1 pitfall error.`,
    );
    const pages = await pdfPageTexts(first.files.get("report.pdf") as Uint8Array);
    expect(pages[0]).toContain(
      `DRAFT: not final while ${first.open?.items.length} required items not decided, 1 pitfall error`,
    );
    expect(pages[0]).toContain("Pitfall: Universal default password");
    expect(pages[0]).toContain("Executive summary");
    for (const [i, p] of pages.entries()) {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p, `page ${i + 1}`).toContain("DRAFT");
    }
  });

  it("opens with the executive summary: verdicts, the declared support period, readiness per market as a chart, what fails", async () => {
    const pages = await pdfPageTexts(first.files.get("report.pdf") as Uint8Array);
    const one = pages[0]?.replace(/\s+/g, " ") ?? "";
    const a = input.assessment;
    expect(a.release.supportEnd).toBeDefined();
    expect(one).toContain("Executive summary");
    expect(one).toMatch(/\d+ items in the profile \(\d+ required or conditional\): \d+ pass, \d+ fail/);
    expect(one).toContain(`Security updates declared until ${a.release.supportEnd?.slice(0, 10)}`);
    expect(one).toContain("Markets the profile targets");
    const pdf = await readPdf(first.files.get("report.pdf") as Uint8Array);
    const chart = structNodes(pdf.trees[0] ?? null).find((n) => n.role === "Figure");
    expect(chart?.alt).toMatch(/% met/);
    // Without a support period, the summary says none is declared.
    const c = copyOf(input);
    delete c.assessment.release.supportEnd;
    const bare = await pdfPageTexts((await buildDossier(c)).files.get("report.pdf") as Uint8Array);
    expect(bare[0]?.replace(/\s+/g, " ")).toContain("No support period is declared");
  });

  it("is final when nothing required is open: no DRAFT anywhere, page numbers on every page", async () => {
    const r = await buildDossier(complete(input));
    expect(r.draft).toBe(false);
    expect(r.open).toMatchObject({ items: [], pitfalls: [] });
    expect(jsonOf(r, "manifest.json").draft).toBe(false);
    const html = text(r, "report.html");
    expect(html).not.toContain("DRAFT");
    expect(html).toContain("Final: every required item has a current verdict");
    const pages = await pdfPageTexts(r.files.get("report.pdf") as Uint8Array);
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p).not.toContain("DRAFT");
    });
    expect(pages.join(" ")).toContain("Consolidated matrix");
  });

  it("is final over open matters only with an override, printed on every page", async () => {
    const final = { by: "Ada Assessor", reason: "release gate for the pilot; open items tracked in JIRA-12" };
    const r = await buildDossier({ ...input, final });
    expect(r.draft).toBe(false);
    expect(r.final).toEqual(final);
    expect(jsonOf(r, "manifest.json")).toMatchObject({ draft: false, final });
    expect(text(r, "report.html")).toContain('class="override-foot"');
    const pages = await pdfPageTexts(r.files.get("report.pdf") as Uint8Array);
    for (const [i, p] of pages.entries()) {
      expect(p, `page ${i + 1}`).toContain("FINAL BY OVERRIDE (Ada Assessor: release gate for the pilot");
      expect(p).not.toContain("DRAFT");
    }
    // With nothing open, an override changes nothing.
    const done = await buildDossier({ ...complete(input), final });
    expect(done.final).toBeUndefined();
    expect(text(done, "report.html")).not.toContain('class="override-foot"');
  });

  it("flags a self-attestation against a profile that requires independent assessment", async () => {
    const c = complete(input);
    c.assessment.kind = "self-attestation";
    c.profile.requirements.independentAssessment = true;
    const r = await buildDossier(c);
    expect(r.draft).toBe(true);
    expect(r.open?.selfAttestation).toContain("requires independent assessment");
    const pages = await pdfPageTexts(r.files.get("report.pdf") as Uint8Array);
    expect(pages[0]).toContain("Self-attestation: profile");
  });

  it("is a tagged PDF (PDF/UA-1): structure tree in reading order, language, title, the chart's text alternative, no untagged text, embedded fonts", async () => {
    const bytes = first.files.get("report.pdf") as Uint8Array;
    const pdf = await readPdf(bytes);
    expect(pdf).toMatchObject({ lang: "en", marked: true, pdfua: true, displayTitle: true });
    expect(pdf.title).toContain(input.assessment.title);
    expect(pdf.untagged.flat()).toEqual([]);
    const nodes = pdf.trees.flatMap((t) => structNodes(t));
    const roles = new Set(nodes.map((n) => n.role));
    for (const role of ["Document", "H1", "H2", "H3", "P", "L", "LI", "Figure"])
      expect(roles).toContain(role);
    const figure = structNodes(pdf.trees[0] ?? null).find((n) => n.role === "Figure");
    expect(figure?.alt).toMatch(/^Readiness per market targeted by the profile: .*% met/);
    const first2 = structNodes(pdf.trees[0] ?? null).map((n) => n.role);
    expect(first2.indexOf("H1")).toBeLessThan(first2.indexOf("H2"));
    const raw = Buffer.from(bytes).toString("latin1");
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Courier)/);
    expect(raw).toContain("DejaVuSans");
  });

  it("shows every character of the text in its embedded font", async () => {
    const c = copyOf(input);
    c.assessment.title = "Überprüfung → ⊂ ∩ ≤ 5 € – “Größe” Ωμ";
    const r = await buildDossier(c);
    const pages = await pdfPageTexts(r.files.get("report.pdf") as Uint8Array);
    expect(pages[0]).toContain("Überprüfung → ⊂ ∩ ≤ 5 € – “Größe” Ωμ");
  });

  it("puts the audit trail in a readable table", async () => {
    const r = await buildDossier({
      ...input,
      auditTrail: [
        {
          at: "2026-11-20T10:00:00Z",
          actor: { id: "usr_1", email: "ada@example.test", via: "session" },
          action: "finding.update",
          target: "finding:A-1#nist-ir-8425:1",
          detail: { verdict: "pass" },
        },
      ],
    });
    const html = text(r, "report.html");
    expect(html).toContain("<td>ada@example.test</td><td>finding.update</td>");
    expect(html).not.toContain("<pre>{");
    const pdf = await readPdf(r.files.get("report.pdf") as Uint8Array);
    const nodes = pdf.trees.flatMap((t) => structNodes(t)).map((n) => n.role);
    expect(nodes).toEqual(expect.arrayContaining(["Table", "TR", "TH", "TD"]));
    expect(pdf.pages.join(" ")).toContain("ada@example.test");
  });
});

describe("validation before the build", { timeout: 120_000 }, () => {
  const broken = (): DossierInput => {
    const b = copyOf(input);
    b.evidenceFiles = new Map(input.evidenceFiles);
    const a = b.assessment;
    a.findings.push({ item: "nist-ir-8259a:1", verdict: "pass", evidence: [] });
    const dropped = a.findings.splice(3, 1)[0];
    a.findings[0]?.evidence.push("E-9999");
    a.updated = "2026-13-45";
    const [f1, f2] = a.evidence;
    b.evidenceFiles.delete(f1?.file?.path as string);
    b.evidenceFiles.set(f2?.file?.path as string, new TextEncoder().encode("tampered"));
    return Object.assign(b, { dropped: dropped?.item });
  };

  it("an invalid assessment is refused with every problem named", async () => {
    const b = broken();
    const r = await buildDossier(b);
    expect(r.built).toBe(false);
    expect(r.files.size).toBe(0);
    const text = r.problems.map(formatProblem);
    const has = (s: string) =>
      expect(
        text.some((t) => t.includes(s)),
        `${s} in\n${text.join("\n")}`,
      ).toBe(true);
    has("(nist-ir-8259a:1): item is not in profile consumer-smart-plug-us-label");
    has(`required item ${(b as DossierInput & { dropped: string }).dropped} has no finding`);
    has("evidence E-9999 is not recorded");
    has(`evidence[0] (E-0001).file: evidence file ${b.assessment.evidence[0]?.file?.path} is missing`);
    has("evidence[1] (E-0002).file: evidence/");
    has("SHA-256 is");
    has('updated: bad date "2026-13-45"');
  });

  it("with draft it builds, DRAFT on every page of the PDF and in the HTML, problems listed", async () => {
    const b = {
      ...broken(),
      draft: true,
      auditTrail: [{ at: "2026-11-20", by: "Ada Assessor", action: "verdict" }],
    };
    const r = await buildDossier(b);
    expect(r.built).toBe(true);
    expect(r.problems.length).toBeGreaterThan(5);
    const html = text(r, "report.html");
    expect(html).toContain('class="standing draft-banner"');
    expect(html).toContain('class="draft-mark"');
    expect(html).toContain("Validation problems");
    const pages = await pdfPageTexts(r.files.get("report.pdf") as Uint8Array);
    expect(pages.length).toBeGreaterThan(5);
    // The footer, and the watermark (pdf.js may split its rotated letters).
    for (const [i, p] of pages.entries())
      expect(p.replace(/\s+/g, "").match(/DRAFT/g)?.length ?? 0, `page ${i + 1}`).toBeGreaterThanOrEqual(2);
    expect(jsonOf(r, "manifest.json").draft).toBe(true);
    expect(jsonOf(r, "audit-trail.json")).toEqual(b.auditTrail);
    expect(html).toContain('id="audit"');
    // The missing evidence file is left out; the outputs stay valid documents.
    expect([...r.files.keys()].filter((p) => p.startsWith("evidence/"))).toHaveLength(2);
    expect(validateOscal("assessment-results", jsonOf(r, "oscal/assessment-results.json"), "ar")).toEqual([]);
    expect(validateCycloneDx(jsonOf(r, "cyclonedx/attestation.cdx.json"), "bom")).toEqual([]);
    expect(verifyDossier(r.files).ok).toBe(true);
  });
});

describe("pdfText", () => {
  it("keeps WinAnsi text and spells out what the standard fonts cannot show", () => {
    expect(pdfText("5.1-1 ⊂, 5.4-1 ∩ → café – “ok”")).toBe("5.1-1 <, 5.4-1 ~ -> café – “ok”");
    expect(pdfText("日本")).toBe("??");
  });
});
