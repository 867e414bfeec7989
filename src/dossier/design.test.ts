// The dossier of the worked example (examples/smart-thermostat: 495 items, 18 design measures, 5
// risks, most items settled through the measures): the design file and the risk analysis in every
// output, each derived verdict with where it came from, and an open list that holds only what is
// really open.
import { unzipSync } from "fflate";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readPdf, structNodes } from "../../test/helpers/pdf.js";
import { deriveVerdicts } from "../assessment/derive.js";
import type { Assessment } from "../assessment/model.js";
import { lintAssessment } from "../assessment/pitfalls.js";
import { computeReadiness } from "../assessment/readiness.js";
import { loadCatalogs } from "../catalog/files.js";
import { bundledPath } from "../core/paths.js";
import { formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { validateOscal } from "../oscal/validate.js";
import { buildDossier } from "./build.js";
import { validateCycloneDx } from "./cyclonedx-validate.js";
import { derivationText, itemNamer } from "./design.js";
import { verifyDossier } from "./manifest.js";
import type { DossierInput, DossierResult } from "./model.js";
import { readAssessmentFolder } from "./read-assessment.js";
import { sha256Hex } from "./util.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const folder = readAssessmentFolder(bundledPath("examples", "smart-thermostat", "assessment"));
const dec = new TextDecoder();
const text = (r: DossierResult, path: string) => dec.decode(r.files.get(path));
const jsonOf = (r: DossierResult, path: string) => JSON.parse(text(r, path));
/** Visible text of an HTML fragment, spaces collapsed. */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ")
    .trim();
/** The HTML of the table row (or section) whose opening tag carries this id. */
function rowOf(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  if (at < 0) throw new Error(`no element with id ${id}`);
  return html.slice(at, html.indexOf("</tr>", at));
}

function inputOf(assessment: Assessment): DossierInput {
  const asOf = assessment.updated.slice(0, 10);
  return {
    assessment,
    profile: folder.profile,
    registry,
    crosswalks: set,
    readiness: computeReadiness(assessment, folder.profile, registry, set, undefined, { asOf }),
    pitfalls: lintAssessment(assessment, folder.profile, asOf),
    evidenceFiles: folder.evidenceFiles,
    draft: false,
    profileSha256: folder.profileSha256,
  };
}

const a = folder.assessment;
const derivation = deriveVerdicts(a, folder.profile);
let built: DossierResult;

beforeAll(async () => {
  built = await buildDossier(inputOf(a));
}, 180_000);

afterEach(() => {
  vi.useRealTimers();
});

describe("the worked example's dossier", { timeout: 180_000 }, () => {
  it("is the worked example the issue describes: 495 items, 18 measures, 5 risks, most items derived", () => {
    expect(built.problems.map(formatProblem)).toEqual([]);
    expect(built.built).toBe(true);
    expect(folder.profile.items).toHaveLength(495);
    expect(a.measures).toHaveLength(18);
    expect(a.risks).toHaveLength(5);
    expect(derivation.figures).toMatchObject({ items: 495, humanVerdicts: 88, derivedVerdicts: 425 });
  });

  it("the open list holds what is really open: nothing undecided; the failing required item EN 303 645 5.13-1 is named on the first page", async () => {
    // Before derived verdicts, this dossier called 425 items "not decided" and was a DRAFT.
    expect(built.open?.items).toEqual([]);
    expect(built.open?.pitfalls).toEqual([]);
    expect(built.draft).toBe(false);
    const unsettled = [...derivation.items.values()].filter((v) => !v.settled);
    expect(unsettled).toEqual([]);
    const fails = [...derivation.items.values()].filter((v) => v.verdict === "fail").map((v) => v.item);
    expect(fails.sort()).toEqual(["etsi-en-303-645:5.13-1", "etsi-en-303-645:5.6-8"]);
    const html = text(built, "report.html");
    const standing = visible(html.slice(html.indexOf('<div class="standing'), html.indexOf("<h1>")));
    expect(standing).toBe(
      "Final: every required item has a current verdict, and no pitfall error was found; 1 required item fails (ETSI EN 303 645 5.13-1), listed under Does not meet.",
    );
    expect(html).not.toContain("not decided");
    const doesNotMeet = visible(html.slice(html.indexOf("<b>Does not meet"), html.indexOf("<nav>")));
    expect(doesNotMeet).toBe(
      "Does not meet (2): ETSI EN 303 645 5.13-1 Validate input data ETSI EN 303 645 5.6-8 Hardware memory access control (recommended)",
    );
    const pages = (await readPdf(built.files.get("report.pdf") as Uint8Array)).pages.map((p) =>
      p.replace(/\s+/g, " "),
    );
    expect(pages[0]).toContain("1 required item fails (ETSI EN 303 645 5.13-1)");
    expect(pages[0]).not.toContain("not decided");
    for (const p of pages) expect(p).not.toContain("DRAFT");
  });

  it("the executive summary gives the figures: items, verdicts by a person, derived verdicts, not assessed, stale", async () => {
    const f = derivation.figures;
    const line = `Verdicts by a person: 88 (70 on items, 18 on measures). Derived verdicts: 425 (${f.bySource.measures} from design measures, ${f.bySource.rollUp} rolled up from their children, 0 from accepted crosswalk proposals). Not assessed: 0. Stale: 0. Design measures: 18 (18 verified); risks in the register: 5.`;
    expect(f.bySource.measures + f.bySource.rollUp).toBe(425);
    const html = text(built, "report.html");
    expect(visible(rowOf(html, "figures").split("</p>")[0] ?? "")).toContain(line);
    expect(html).toContain(
      "495 items in the profile (470 required or conditional): 493 pass, 2 fail, 0 partly met, 0 not applicable, 0 inconclusive, 0 not assessed.",
    );
    const pages = (await readPdf(built.files.get("report.pdf") as Uint8Array)).pages;
    expect(pages.slice(0, 2).join(" ").replace(/\s+/g, " ")).toContain("Derived verdicts: 425");
  });

  it("the report's Design measures section: each measure with kind, owner, description, the items it implements, evidence and verification", async () => {
    const html = text(built, "report.html");
    const section = html.slice(html.indexOf('id="measures"'), html.indexOf('id="risks"'));
    for (const m of a.measures ?? []) expect(section).toContain(`id="measure-${m.id}"`);
    const m1 = visible(
      section.slice(section.indexOf('id="measure-M-001"'), section.indexOf('id="measure-M-002"')),
    );
    expect(m1).toContain("M-001 Per-device X.509 identity provisioned at manufacture");
    expect(m1).toContain(
      "Each unit gets a unique key pair and certificate in a protected key store at the factory",
    );
    expect(m1).toContain("Kind technical Owner Firmware team From the library device-identity v1");
    expect(m1).toContain(
      "Verification pass (test) on release 4.2.0, by Dana Ortiz on 2026-10-02: Verified on firmware 4.2.0 as described in the evidence.",
    );
    expect(m1).toContain("Treats risks R-002");
    expect(m1).toContain("E-0007 Security architecture");
    expect(m1).toContain(
      "NISTIR 8259A 1.1 A unique logical identifier full from the measure library (device-identity)",
    );
    expect(m1).toContain(
      "ETSI EN 303 645 5.4-2 Tamper-resistant hard-coded device identity partial proposed through the crosswalks from NISTIR 8259A 1.1 (nist-ir-8259a--etsi-en-303-645#1.1-to-5.4-2), confirmed",
    );
    const settles = [...derivation.items.values()].filter(
      (v) => v.source === "measures" && v.path?.measures?.includes("M-001"),
    ).length;
    expect(settles).toBeGreaterThan(0);
    expect(m1).toContain(`Settles ${settles} items`);
    const m1links = a.measures?.find((m) => m.id === "M-001")?.links ?? [];
    expect(
      section
        .slice(section.indexOf('id="measure-M-001"'), section.indexOf('id="measure-M-002"'))
        .match(/<tr>/g),
    ).toHaveLength(m1links.length + 1);
    const pdf = await readPdf(built.files.get("report.pdf") as Uint8Array);
    const all = pdf.pages.join(" ").replace(/\s+/g, " ");
    expect(all).toContain("Design measures");
    expect(all).toContain("M-001 Per-device X.509 identity provisioned at manufacture");
    expect(all).toContain("pass (test) on release 4.2.0, by Dana Ortiz on 2026-10-02");
  });

  it("the report's Risk analysis section: the register as a table, each risk with its treating measures by id and title", async () => {
    const html = text(built, "report.html");
    expect(visible(rowOf(html, "risk-R-001"))).toBe(
      'id="risk-R-001"> R-001 Firmware image A malicious update installed over the network medium high mitigate: M-009 Firmware signed and verified by the boot loader before installation; M-008 Remote and local software update with rollback (A/B slots) low Product security office',
    );
    expect(html).toContain("5 risks, 0 flagged.");
    const pdf = await readPdf(built.files.get("report.pdf") as Uint8Array);
    const all = pdf.pages.join(" ").replace(/\s+/g, " ");
    expect(all).toContain("Risk analysis");
    expect(all).toContain("A malicious update installed over the network");
    const roles = pdf.trees.flatMap((t) => structNodes(t)).map((n) => n.role);
    expect(roles).toEqual(expect.arrayContaining(["Table", "TR", "TH", "TD"]));
  });

  it("every derived verdict in the findings says it is derived and from what", () => {
    const html = text(built, "report.html");
    const t111 = visible(rowOf(html, "item-nist-sp-800-213a:T1.1.1"));
    expect(t111).toContain(
      "Derived: from measure M-001 Per-device X.509 identity provisioned at manufacture (every linked measure passes; M-001 implements it fully)",
    );
    expect(t111).toMatch(/pass derived: measures$/);
    const capability = visible(rowOf(html, "item-nist-ir-8259a:1"));
    expect(capability).toContain(
      "Derived: rolled up from its children NISTIR 8259A 1.1, NISTIR 8259A 1.2 (every child passes)",
    );
    expect(capability).toMatch(/pass derived: roll-up$/);
    const person = visible(rowOf(html, "item-etsi-en-303-645:5.13-1"));
    expect(person).toContain("FAIL by a person");
    expect(person).toContain("Recorded by a person; the design would give: partial, from measure M-009");
    for (const v of derivation.items.values()) {
      const row = rowOf(html, `item-${v.item}`);
      if (v.source === "person") expect(row, v.item).toContain("by a person");
      else expect(row, v.item).toContain(`derived: ${v.source}`);
    }
  });

  it("matrix.xlsx: a Measures and a Risks sheet; each text's sheet gives the effective verdict and its source", async () => {
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(built.files.get("matrix.xlsx") as Uint8Array) as never);
    expect(wb.worksheets.map((w) => w.name).slice(-3)).toEqual(["Measures", "Risks", "Legend"]);
    const values = (ws: import("exceljs").Worksheet, n: number) =>
      // Blank cells are holes in exceljs's array: Array.from visits them.
      Array.from((ws.getRow(n).values as unknown[]).slice(1), (v) =>
        v === undefined || v === null ? "" : String(v),
      );
    const measures = wb.getWorksheet("Measures");
    if (!measures) throw new Error("no Measures sheet");
    expect(measures.rowCount).toBe(19);
    expect(values(measures, 1).slice(0, 8)).toEqual([
      "Id",
      "Title",
      "Kind",
      "Owner",
      "Description",
      "Implements",
      "Evidence",
      "Verification",
    ]);
    const m1 = values(measures, 2);
    expect(m1.slice(0, 4)).toEqual([
      "M-001",
      "Per-device X.509 identity provisioned at manufacture",
      "technical",
      "Firmware team",
    ]);
    expect(m1[5]?.split("\n")[0]).toBe("NISTIR 8259A 1.1 (full)");
    expect(m1.slice(7, 13)).toEqual(["pass", "test", "4.2.0", "Dana Ortiz", "2026-10-02", "active"]);
    const risks = wb.getWorksheet("Risks");
    if (!risks) throw new Error("no Risks sheet");
    expect(risks.rowCount).toBe(6);
    expect(values(risks, 2)).toEqual([
      "R-001",
      "Firmware image",
      "A malicious update installed over the network",
      "medium",
      "high",
      "mitigate",
      "M-009 Firmware signed and verified by the boot loader before installation\nM-008 Remote and local software update with rollback (A/B slots)",
      "",
      "low",
      "Product security office",
    ]);
    // The SP 800-213A sheet: T1.1.1 derived from measures; a capability rolled up; EN 303 645 5.13-1 a person's FAIL.
    const sheetWith = (catalog: string, label: string, title: string) => {
      // Sheet names hold at most 31 characters.
      const ws = wb.getWorksheet((registry.get(catalog)?.meta.shortTitle ?? catalog).slice(0, 31).trim());
      if (!ws) throw new Error(`no sheet for ${catalog}`);
      let hit: string[] | undefined;
      ws.eachRow((_row, n) => {
        const v = values(ws, n);
        if (v[0] === label && v[1] === title) hit = v;
      });
      if (!hit) throw new Error(`no row ${label}`);
      return hit;
    };
    expect(
      sheetWith("nist-sp-800-213a", "T1.1.1", "Ability to uniquely identify the IoT device logically.").slice(
        2,
        4,
      ),
    ).toEqual(["pass", "measures"]);
    expect(sheetWith("etsi-en-303-645", "5.13-1", "Validate input data").slice(2, 4)).toEqual([
      "FAIL",
      "person",
    ]);
    const capability = folder.profile.items.find((i) => i.id === "nist-ir-8259a:1");
    if (!capability) throw new Error("no capability 1 in the profile");
    expect(sheetWith("nist-ir-8259a", capability.label, capability.title).slice(2, 4)).toEqual([
      "pass",
      "roll-up",
    ]);
  });

  it("OSCAL: measures are components with verification observations, derived findings name their derivation, risks are risks; valid OSCAL 1.2.1", () => {
    const ar = jsonOf(built, "oscal/assessment-results.json");
    expect(validateOscal("assessment-results", ar, "ar").map(formatProblem)).toEqual([]);
    const result = ar["assessment-results"].results[0];
    type Prop = { name: string; value: string; class?: string };
    const props = (x: { props?: Prop[] }, name: string) =>
      (x.props ?? []).filter((p) => p.name === name).map((p) => p.value);
    const components = result["local-definitions"].components;
    expect(components).toHaveLength(18);
    const c1 = components.find((c: { props: Prop[] }) => props(c, "measure-id")[0] === "M-001");
    expect(c1.title).toBe("M-001: Per-device X.509 identity provisioned at manufacture");
    expect(c1.status.state).toBe("operational");
    expect(c1.props).toContainEqual(
      expect.objectContaining({ name: "implements", value: "nist-ir-8259a:1.1", class: "full" }),
    );
    const verif = result.observations.find(
      (o: { props: Prop[]; types?: string[] }) =>
        o.types?.includes("mitigation") && props(o, "measure-id")[0] === "M-001",
    );
    expect(verif.subjects[0]).toMatchObject({ "subject-uuid": c1.uuid, type: "component" });
    expect(verif.methods).toEqual(["TEST"]);
    const finding = (item: string) =>
      result.findings.find((f: { props: Prop[] }) => props(f, "cairn-item")[0] === item);
    const t111 = finding("nist-sp-800-213a:T1.1.1");
    expect(props(t111, "verdict")).toEqual(["pass"]);
    expect(props(t111, "verdict-source")).toEqual(["measures"]);
    expect(props(t111, "derived-from-measure")).toEqual(["M-001"]);
    expect(t111.target.status.state).toBe("satisfied");
    expect(
      t111["related-observations"].map((r: { "observation-uuid": string }) => r["observation-uuid"]),
    ).toContain(verif.uuid);
    const cap = finding("nist-ir-8259a:1");
    expect(props(cap, "verdict-source")).toEqual(["roll-up"]);
    expect(props(cap, "derived-from-child")).toEqual(["nist-ir-8259a:1.1", "nist-ir-8259a:1.2"]);
    const fail = finding("etsi-en-303-645:5.13-1");
    expect(props(fail, "verdict-source")).toEqual(["person"]);
    expect(fail.target.status.state).toBe("not-satisfied");
    expect(result.risks).toHaveLength(5);
    const r1 = result.risks.find((r: { props: Prop[] }) => props(r, "risk-id")[0] === "R-001");
    expect(props(r1, "treated-by-measure")).toEqual(["M-009", "M-008"]);
    expect(r1.status).toBe("closed");
    const m9 = components.find((c: { props: Prop[] }) => props(c, "measure-id")[0] === "M-009");
    expect(r1["mitigating-factors"][0].subjects[0]["subject-uuid"]).toBe(m9.uuid);
  });

  it("CycloneDX: each measure is evidence, and claims settled by measures are backed by them; valid CycloneDX 1.6", () => {
    const bom = jsonOf(built, "cyclonedx/attestation.cdx.json");
    expect(validateCycloneDx(bom, "bom").map(formatProblem)).toEqual([]);
    const d = bom.declarations;
    const m1 = d.evidence.find((e: { "bom-ref": string }) => e["bom-ref"] === "measure:M-001");
    expect(m1.description).toContain(
      "Design measure M-001: Per-device X.509 identity provisioned at manufacture",
    );
    expect(m1.description).toContain(
      "Verification: pass (test) on release 4.2.0 by Dana Ortiz on 2026-10-02",
    );
    const claim = d.claims.find(
      (c: { "bom-ref": string }) => c["bom-ref"] === "claim:nist-sp-800-213a:T1.1.1",
    );
    expect(claim.mitigationStrategies).toEqual(["measure:M-001"]);
    expect(claim.evidence).toEqual(expect.arrayContaining(["measure:M-001", "evidence:E-0007"]));
    expect(claim.predicate).toContain("verdict pass, derived from measures M-001");
    const entry = d.attestations[0].map.find(
      (m: { requirement: string }) => m.requirement === "requirement:nist-sp-800-213a:T1.1.1",
    );
    expect(entry.conformance.score).toBe(1);
    expect(entry.confidence.rationale).toMatch(
      /^From the evidence of measures M-001: strongest evidence E-0006 \(proves\)/,
    );
    const fail = d.attestations[0].map.find(
      (m: { requirement: string }) => m.requirement === "requirement:etsi-en-303-645:5.13-1",
    );
    expect(fail.conformance.score).toBe(0);
  });

  it("is deterministic and verifiable", async () => {
    expect(verifyDossier(built.files)).toMatchObject({ ok: true, changed: [], missing: [], added: [] });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2033-02-03T04:05:06Z"));
    const again = await buildDossier(inputOf(a));
    vi.useRealTimers();
    for (const [path, bytes] of built.files)
      expect(sha256Hex(again.files.get(path) as Uint8Array), path).toBe(sha256Hex(bytes));
    expect(sha256Hex(again.zip as Uint8Array)).toBe(sha256Hex(built.zip as Uint8Array));
  });
});

describe("stale derived verdicts, a removed measure and flagged risks", { timeout: 180_000 }, () => {
  let changed: DossierResult;
  beforeAll(async () => {
    // A new release (as `cairn assess release` moves it): every measure's verification is stale,
    // and with it every item the measures settle. M-018 removed; a risk no measure treats.
    const b = structuredClone(a);
    b.release.version = "4.2.1";
    const m18 = b.measures?.find((m) => m.id === "M-018");
    if (!m18) throw new Error("no M-018");
    m18.removed = {
      by: "Dana Ortiz",
      at: "2026-10-04",
      reason: "merged into the security design file",
      settled: m18.links.map((l) => l.item),
    };
    b.risks?.push({
      id: "R-006",
      asset: "Cloud account of the household",
      threat: "Credential stuffing against the companion app",
      likelihood: "high",
      impact: "medium",
      treatment: { decision: "accept", measures: [] },
      residual: "high",
      version: 1,
    });
    changed = await buildDossier(inputOf(b));
  }, 180_000);

  it("shows stale derived verdicts as open, a DRAFT until they are verified again", () => {
    expect(changed.draft).toBe(true);
    const open = new Map((changed.open?.items ?? []).map((g) => [g.item, g]));
    const t111 = open.get("nist-sp-800-213a:T1.1.1");
    expect(t111).toMatchObject({ verdict: "pass", source: "measures" });
    expect(t111?.reasons).toEqual(["stale: M-001 was verified on release 4.2.0, assessed release is 4.2.1"]);
    const html = text(changed, "report.html");
    expect(visible(rowOf(html, "item-nist-sp-800-213a:T1.1.1"))).toContain(
      "Stale (open): M-001 was verified on release 4.2.0, assessed release is 4.2.1",
    );
    const ar = jsonOf(changed, "oscal/assessment-results.json");
    expect(validateOscal("assessment-results", ar, "ar").map(formatProblem)).toEqual([]);
    const f = ar["assessment-results"].results[0].findings.find(
      (x: { props: { name: string; value: string }[] }) =>
        x.props.some((p) => p.name === "cairn-item" && p.value === "nist-sp-800-213a:T1.1.1"),
    );
    expect(f.target.status).toMatchObject({ state: "not-satisfied", reason: "other" });
    expect(
      validateCycloneDx(jsonOf(changed, "cyclonedx/attestation.cdx.json"), "bom").map(formatProblem),
    ).toEqual([]);
  });

  it("lists the removed measure with its reason, and flags the risk no measure treats", async () => {
    const html = text(changed, "report.html");
    const removed = visible(
      html.slice(html.indexOf("<h3>Removed measures</h3>"), html.indexOf('id="risks"')),
    );
    expect(removed).toContain(
      "M-018 User and administrator security guide by Dana Ortiz on 2026-10-04 merged into the security design file",
    );
    expect(visible(rowOf(html, "risk-R-006"))).toContain(
      "R-006 Cloud account of the household Credential stuffing against the companion app high medium accept high",
    );
    expect(rowOf(html, "risk-R-006")).toContain('class="flagged"');
    expect(visible(rowOf(html, "risk-R-006"))).toContain("no measure treats it; high residual risk");
    expect(html).toContain("6 risks, 1 flagged.");
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(changed.files.get("matrix.xlsx") as Uint8Array) as never);
    const risks = wb.getWorksheet("Risks");
    expect(String(risks?.getRow(7).getCell(11).value)).toBe("no measure treats it; high residual risk");
    const ar = jsonOf(changed, "oscal/assessment-results.json");
    const c18 = ar["assessment-results"].results[0]["local-definitions"].components.find(
      (c: { title: string }) => c.title.startsWith("M-018:"),
    );
    expect(c18.status).toMatchObject({ state: "disposition" });
    const r6 = ar["assessment-results"].results[0].risks.find((r: { title: string }) =>
      r.title.startsWith("R-006"),
    );
    expect(r6.status).toBe("deviation-approved");
    expect(unzipSync(changed.zip as Uint8Array)["matrix.xlsx"]).toBeDefined();
  });
});

describe("the design file and the register are validated before the build", () => {
  it("refuses a measure citing unrecorded evidence and a risk treated by a measure not in the design, naming each", async () => {
    const b = structuredClone(a);
    b.measures?.[0]?.evidence.push("E-9999");
    b.risks?.[0]?.treatment.measures.push("M-404");
    const r = await buildDossier(inputOf(b));
    expect(r.built).toBe(false);
    expect(r.problems.map(formatProblem)).toEqual([
      "assessment.json measures[0] (M-001).evidence: evidence E-9999 is not recorded",
      "assessment.json risks[0] (R-001).treatment.measures: measure M-404 is not in the design",
    ]);
  });
});

describe("derivationText", () => {
  const name = itemNamer(registry, folder.profile);
  it("names an accepted crosswalk proposal's source items and mapping rows, and a collector's evidence", () => {
    expect(
      derivationText(
        "proposal",
        "proposed through the crosswalks, accepted by Dana Ortiz",
        {
          proposal: "X-1a2b",
          from: ["nist-ir-8259a:1.1"],
          rows: ["nist-ir-8259a--etsi-en-303-645#1.1-to-5.4-2"],
        },
        name,
        () => undefined,
      ),
    ).toBe(
      "accepted proposal X-1a2b from NISTIR 8259A 1.1 through nist-ir-8259a--etsi-en-303-645#1.1-to-5.4-2 (proposed through the crosswalks, accepted by Dana Ortiz)",
    );
    expect(
      derivationText(
        "proposal",
        "proposed by the sbom collector, accepted by Dana Ortiz",
        { proposal: "P-0001", collector: { name: "sbom", evidence: "E-0001", strength: "supports" } },
        name,
        () => undefined,
      ),
    ).toBe(
      "accepted proposal P-0001 of the sbom collector, from evidence E-0001 (supports) (proposed by the sbom collector, accepted by Dana Ortiz)",
    );
  });
});
