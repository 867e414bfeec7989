// The third markets (issue 13): EU radio equipment, UK PSTI, Singapore CLS, Japan JC-STAR, and the
// CRA's dates of application: their catalogs, profiles, crosswalks, readiness on a date, pitfalls.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Assessment, EvidenceRecord } from "../../src/assessment/model.js";
import { newAssessment } from "../../src/assessment/ops.js";
import { lintAssessment } from "../../src/assessment/pitfalls.js";
import { computeReadiness, defaultMarkets, marketTargeted } from "../../src/assessment/readiness.js";
import { loadCatalogs } from "../../src/catalog/files.js";
import { formatProblem } from "../../src/core/problem.js";
import { loadCrosswalks } from "../../src/crosswalk/files.js";
import { infer } from "../../src/crosswalk/inference.js";
import { buildMatrix } from "../../src/crosswalk/matrix.js";
import { renderHtml } from "../../src/dossier/html.js";
import { buildReportModel } from "../../src/dossier/report-model.js";
import { executiveSummary } from "../../src/dossier/summary.js";
import { checkContext } from "../../src/profile/context.js";
import { buildProfile } from "../../src/profile/engine.js";
import { loadBundledRules, loadPresets } from "../../src/profile/files.js";
import type { DeviceContext, Profile } from "../../src/profile/model.js";
import { profileFromPreset } from "../../src/profile/presets.js";

const { registry, catalogs } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);
const root = fileURLToPath(new URL("../../", import.meta.url));

function profile(ctx: DeviceContext): Profile {
  const { context, problems } = checkContext(ctx, rules);
  if (!context) throw new Error(problems.map(formatProblem).join("\n"));
  return buildProfile(context, rules, registry, set, { id: "m", created: "2026-12-01" });
}
function preset(id: string): Profile {
  const p = loadPresets().find((x) => x.id === id);
  if (!p) throw new Error(id);
  return profileFromPreset(p, rules, registry, set, { id, created: "2026-12-01" });
}
const count = (p: Profile, catalog: string) => p.items.filter((i) => i.catalog === catalog).length;
const has = (p: Profile, id: string) => p.items.some((i) => i.id === id);

const radio: DeviceContext = {
  impact: { confidentiality: "moderate", integrity: "low", availability: "low" },
  environment: "home",
  connectivity: "internet-exposed",
  data: ["personal"],
  lifetimeYears: 6,
  markets: ["eu-red"],
  features: ["radio", "internet-connected"],
};

function assessment(p: Profile, release = { version: "1", date: "2026-01-10", supportEnd: "2033-01-10" }) {
  return newAssessment(p, {
    id: "a",
    title: "t",
    kind: "self-attestation",
    product: { id: "p", manufacturer: "m", model: "x", category: "c" },
    release,
    assessors: [{ name: "A" }],
    date: "2026-01-11",
    profileFile: "profile.json",
    profileSha256: "0".repeat(64),
  });
}
function withEvidence(a: Assessment, tags: string[]): Assessment {
  const e: EvidenceRecord = {
    id: `E-${a.evidence.length + 1}`,
    kind: "attestation",
    title: tags.join(","),
    strength: "supports",
    tags,
    text: "declared",
    effective: "2026-01-12",
    addedBy: "A",
    addedAt: "2026-01-12",
  };
  return { ...a, evidence: [...a.evidence, e] };
}
function withVerdict(
  a: Assessment,
  item: string,
  verdict: Assessment["findings"][number]["verdict"],
): Assessment {
  return { ...a, findings: a.findings.map((f) => (f.item === item ? { ...f, verdict } : f)) };
}
const pitfallIds = (a: Assessment, p: Profile, asOf: string) => lintAssessment(a, p, asOf).map((x) => x.id);

describe("catalogs of the new markets", () => {
  it("every bundled catalog states its completeness, and catalog list shows it with the verification state", () => {
    for (const c of catalogs) expect(c.meta.completeness?.status, c.meta.id).toMatch(/^(complete|partial)$/);
    const out = execFileSync(process.execPath, ["bin/cairn.js", "catalog", "list", "--json"], {
      cwd: root,
      encoding: "utf8",
    });
    const rows = JSON.parse(out) as {
      id: string;
      verification: { state: string };
      completeness: { status: string };
    }[];
    const row = (id: string) => rows.find((r) => r.id === id);
    expect(row("nist-ir-8425")).toMatchObject({
      completeness: { status: "partial" },
      verification: { state: "partly checked" },
    });
    expect(row("jp-jc-star")).toMatchObject({
      completeness: { status: "partial" },
      verification: { state: "to verify" },
    });
    expect(row("nist-ir-8259a")).toMatchObject({
      completeness: { status: "complete" },
      verification: { state: "checked" },
    });
    expect(rows.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        "eu-red",
        "eu-red-2022-30",
        "uk-psti",
        "sg-cls",
        "jp-jc-star",
        "cen-en-18031-2",
        "cen-en-18031-3",
      ]),
    );
  });

  it("RED and its delegated regulation carry the OJ wording, as amended, with their dates", () => {
    expect(registry.item("eu-red:art-3.3.d")?.text).toBe(
      "radio equipment does not harm the network or its functioning nor misuse network resources, thereby causing an unacceptable degradation of service;",
    );
    const art12 = registry.item("eu-red-2022-30:art-1.2")?.text ?? "";
    expect(art12).toContain(
      "or traffic data or location data, as defined in Article 2, points (b) and (c), of Directive 2002/58/EC:",
    );
    expect(art12).not.toContain("traffic data and location data");
    expect(registry.item("eu-red-2022-30:art-3")?.text).toMatch(/It shall apply from 1 August 2025\.$/);
    expect(registry.item("eu-red:art-3.3.e")?.props).toMatchObject({
      appliesFrom: "2025-08-01",
      appliesUntil: "2027-12-11",
    });
  });

  it("EN 18031 parts hold identifiers only, split by part as the public sources give it", () => {
    const ids = (part: number) =>
      registry
        .require(`cen-en-18031-${part}`)
        .items.filter((i) => i.kind === "provision")
        .map((i) => i.ref);
    for (const part of [1, 2, 3]) {
      const c = registry.require(`cen-en-18031-${part}`);
      expect(c.meta.terms).toBe("ids-only");
      for (const i of c.items) expect(i.text, i.id).toBeUndefined();
    }
    expect(ids(1)).toHaveLength(33);
    expect(ids(1)).toEqual(expect.arrayContaining(["RLM-1", "NMM-1", "TCM-1"]));
    expect(ids(2)).toEqual(
      expect.arrayContaining(["ACM-3", "ACM-6", "DLM-1", "UNM-2", "GEC-7", "LGM-4", "AUM-2-2"]),
    );
    expect(ids(2)).not.toContain("RLM-1");
    expect(ids(3)).toEqual(expect.arrayContaining(["AUM-1-3", "GEC-8", "LGM-1"]));
    expect(ids(3)).not.toContain("DLM-1");
    expect(registry.item("cen-en-18031-1:AUM-5-1")?.props.ojRestriction).toMatch(
      /not to set, or not to use, a password/,
    );
    expect(registry.item("cen-en-18031-3:SUM-2")?.props.ojRestriction).toMatch(/6\.3\.2\.4/);
    // Two independent source groups now name the seven identifiers one source named before.
    for (const ref of ["SUM-1", "CCK-1", "CCK-2", "CCK-3", "GEC-4", "GEC-5", "GEC-6"])
      expect(registry.item(`cen-en-18031-1:${ref}`)?.verification, ref).toBe("checked");
  });

  it("UK PSTI carries the Schedule 1 password requirement and Schedule 2's deemed-compliance routes", () => {
    expect(registry.item("uk-psti:sch-1.1")?.text).toContain(
      "(2) Passwords must be—\n(a) unique per product; or\n(b) defined by the user of the product.",
    );
    expect(registry.item("uk-psti:sch-1.2")?.text).toBeUndefined();
    expect(registry.item("uk-psti:sch-1.2")?.verification).toBe("to-verify");
    expect(registry.item("uk-psti:sch-2.2")?.text).toContain("(a) provision 5.2-1 of ETSI EN 303 645; or");
    expect(registry.require("uk-psti").meta.license).toMatch(/Open Government Licence v3\.0/);
  });

  it("the generators of the new catalogs and crosswalks reproduce the committed files", () => {
    for (const script of [
      "scripts/catalogs/eu-red.ts",
      "scripts/catalogs/en-18031.ts",
      "scripts/catalogs/uk-psti.ts",
      "scripts/catalogs/asia-labels.ts",
      "scripts/catalogs/eu-cra.ts",
      "scripts/crosswalks/markets.ts",
    ])
      execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", script, "--check"], {
        cwd: root,
        stdio: "pipe",
      });
  }, 60_000);
});

describe("profiles: the device's features decide which RED requirement applies", () => {
  it("internet-connected radio with personal data: (d) and (e), with EN 18031-1 and -2", () => {
    const p = profile(radio);
    expect(has(p, "eu-red:art-3.3.d")).toBe(true);
    expect(has(p, "eu-red:art-3.3.e")).toBe(true);
    expect(has(p, "eu-red:art-3.3.f")).toBe(false);
    expect(count(p, "cen-en-18031-1")).toBe(33);
    expect(count(p, "cen-en-18031-2")).toBe(43);
    expect(count(p, "cen-en-18031-3")).toBe(0);
    expect(p.notices?.some((n) => /repealed with effect from 11 December 2027/.test(n))).toBe(true);
  });

  it("money transfer adds (f) with EN 18031-3; a toy without internet gets (e) only; medical devices none", () => {
    expect(
      count(
        profile({ ...radio, features: ["radio", "internet-connected", "money-transfer"] }),
        "cen-en-18031-3",
      ),
    ).toBe(37);
    const toy = profile({ ...radio, features: ["radio", "toy"] });
    expect([has(toy, "eu-red:art-3.3.d"), has(toy, "eu-red:art-3.3.e")]).toEqual([false, true]);
    const medical = profile({ ...radio, features: ["radio", "internet-connected", "medical-device"] });
    expect(count(medical, "eu-red")).toBe(0);
    const vehicle = profile({ ...radio, features: ["radio", "internet-connected", "vehicle-aviation-toll"] });
    expect([has(vehicle, "eu-red:art-3.3.d"), has(vehicle, "eu-red:art-3.3.e")]).toEqual([true, false]);
  });

  it("refuses the EU radio market without features, naming the field", () => {
    const { features: _f, ...noFeatures } = radio;
    const { context, problems } = checkContext(noFeatures, rules);
    expect(context).toBeUndefined();
    expect(problems.map(formatProblem)).toContain(
      "context features: market eu-red needs the device's features: list them with features (radio, internet-connected, ...); the RED applies only to radio equipment, so without radio choose eu-cra instead",
    );
  });

  it("UK PSTI, CLS levels (cumulative) and JC-STAR star 1", () => {
    const cam = preset("consumer-camera-eu-uk");
    expect(count(cam, "uk-psti")).toBe(3);
    expect(has(cam, "eu-cra:art-14.2.a")).toBe(true);
    const lock = preset("smart-door-lock-asia");
    expect(lock.items.filter((i) => i.catalog === "sg-cls").map((i) => i.id)).toEqual([
      "sg-cls:L1",
      "sg-cls:L1.passwords",
      "sg-cls:L1.updates",
      "sg-cls:L2",
      "sg-cls:L2.mandatory",
    ]);
    expect(count(lock, "jp-jc-star")).toBe(5);
    expect(count(profile({ ...radio, markets: ["sg-cls-4"] }), "sg-cls")).toBe(10);
    expect(profile({ ...radio, environment: "office", markets: ["uk-psti"] }).warnings.join()).toMatch(
      /^CHECK-PSTI-NOT-CONSUMER/,
    );
  });
});

describe("crosswalks to the texts the markets build on", () => {
  it("PSTI's deemed compliance: EN 303 645 5.1-1 and 5.1-2 passing meet the password requirement", () => {
    const r = infer(
      set,
      new Map([
        ["etsi-en-303-645:5.1-1", "pass"],
        ["etsi-en-303-645:5.1-2", "pass"],
      ]),
    );
    expect(r.get("uk-psti:sch-1.1")?.result).toBe("pass");
    // 5.1-2 applies only where preset passwords are used: not applicable parts are left out.
    const noPreset = infer(
      set,
      new Map([
        ["etsi-en-303-645:5.1-1", "pass"],
        ["etsi-en-303-645:5.1-2", "not-applicable"],
      ]),
    );
    expect(noPreset.get("uk-psti:sch-1.1")?.result).toBe("pass");
    // A failure does not fail the requirement: it can be met another way.
    expect(infer(set, new Map([["etsi-en-303-645:5.2-1", "fail"]])).get("uk-psti:sch-1.2")).toBeUndefined();
  });

  it("the RED points are part of CRA Annex I (Delegated Regulation (EU) 2026/339, recital (3))", () => {
    const r = infer(set, new Map([["eu-red:art-3.3.d", "pass"]]));
    expect(r.get("eu-cra:annex-i")?.result).toBe("partial");
    expect(set.get("eu-red--eu-cra")?.meta.provenance.kind).toBe("official");
  });

  it("the matrix has rows and columns for the new markets", () => {
    const m = buildMatrix(set, registry.require("etsi-en-303-645"), [
      registry.require("uk-psti"),
      registry.require("sg-cls"),
      registry.require("jp-jc-star"),
    ]);
    const row = m.rows.find((r) => r.item === "etsi-en-303-645:5.1-1");
    expect(row?.cells["uk-psti"]?.map((c) => c.id)).toEqual(["uk-psti:sch-1.1"]);
    expect(row?.cells["sg-cls"]?.map((c) => c.id)).toContain("sg-cls:L1.passwords");
    expect(row?.cells["jp-jc-star"]?.map((c) => c.id)).toContain("jp-jc-star:star-1.botnet");
  });
});

describe("readiness says what applies on a given date", () => {
  const cam = preset("consumer-camera-eu-uk");
  const a = assessment(cam);

  it("CRA: reporting (Article 14) from 11 September 2026, the rest from 11 December 2027", () => {
    const on = (asOf: string) =>
      computeReadiness(a, cam, registry, set, ["eu-cra"], { asOf })[0]
        ?.items.filter((i) => i.applies)
        .map((i) => i.item) ?? [];
    expect(on("2026-06-01")).toEqual([]);
    expect(on("2026-10-01")).toEqual([
      "eu-cra:art-14.1",
      "eu-cra:art-14.2.a",
      "eu-cra:art-14.2.b",
      "eu-cra:art-14.2.c",
      "eu-cra:art-14.3",
      "eu-cra:art-14.4.a",
      "eu-cra:art-14.4.b",
      "eu-cra:art-14.4.c",
    ]);
    const later = computeReadiness(a, cam, registry, set, ["eu-cra"], { asOf: "2028-01-01" })[0];
    expect(later?.applicability).toEqual({ applies: later?.items.length, notYet: 0, ended: 0 });
    expect(later?.timeline?.map((e) => e.date)).toEqual(["2026-06-11", "2026-09-11", "2027-12-11"]);
  });

  it("EU radio equipment: from 1 August 2025 until the repeal on 11 December 2027", () => {
    const red = (asOf: string) =>
      computeReadiness(a, cam, registry, set, ["eu-red"], { asOf })[0]?.applicability;
    expect(red("2025-07-31")).toMatchObject({ applies: 0, ended: 0 });
    expect(red("2026-01-01")).toMatchObject({ notYet: 0, ended: 0 });
    expect(red("2027-12-11")).toMatchObject({ applies: 0, notYet: 0 });
  });

  it("lists the markets the profile targets, and says where the deciding catalogs are partial", () => {
    expect(defaultMarkets(cam)).toEqual([
      "us-federal",
      "us-consumer-label",
      "eu-cra",
      "etsi-en-303-645",
      "eu-red",
      "uk-psti",
    ]);
    const all = computeReadiness(a, cam, registry, set);
    expect(all.find((m) => m.market === "us-consumer-label")?.incomplete?.join(" ")).toMatch(
      /NIST IR 8425 is partial/,
    );
    expect(all.find((m) => m.market === "uk-psti")?.incomplete?.join(" ")).toMatch(
      /Schedule 1 paragraphs 2 and 3/,
    );
    expect(all.find((m) => m.market === "eu-red")?.items.length).toBe(2 + 33 + 43);
  });

  it("a market is targeted by its own id or by the ids that enable it (sg-cls-2 targets sg-cls)", () => {
    const lock = preset("smart-door-lock-asia");
    const all = computeReadiness(assessment(lock), lock, registry, set);
    expect(all.filter((m) => marketTargeted(m.market, lock)).map((m) => m.market)).toEqual([
      "sg-cls",
      "jp-jc-star",
    ]);
    expect(all.filter((m) => m.targeted).map((m) => m.market)).toEqual(["sg-cls", "jp-jc-star"]);
    expect(marketTargeted("eu-red", cam)).toBe(true);
    expect(marketTargeted("us-federal", cam)).toBe(false);
  });
});

describe("the dossier of a third-market profile", () => {
  it("puts the markets the profile targets first, by the ids that enable them", () => {
    const lock = preset("smart-door-lock-asia");
    const a = assessment(lock);
    const model = buildReportModel(
      {
        assessment: a,
        profile: lock,
        registry,
        crosswalks: set,
        readiness: computeReadiness(a, lock, registry, set),
        pitfalls: lintAssessment(a, lock, "2026-01-11"),
        evidenceFiles: new Map(),
        draft: false,
      },
      [],
    );
    const ex = executiveSummary(model);
    expect(ex.targeted.map((r) => r.market)).toEqual(["sg-cls", "jp-jc-star"]);
    expect(ex.others.map((r) => r.market)).not.toContain("sg-cls");
    const html = renderHtml(model);
    // The readiness chart: the targeted group, then the others apart.
    const from = html.indexOf("Markets the profile targets");
    const to = html.indexOf("Not targeted by the profile", from);
    expect(from).toBeGreaterThan(-1);
    expect(to).toBeGreaterThan(from);
    const group = html.slice(from, to);
    expect(group).toContain("Singapore Cybersecurity Labelling Scheme");
    expect(group).toContain("Japan JC-STAR (star 1)");
    expect(group).not.toContain("EU Cyber Resilience Act");
  });
});

describe("pitfalls of the markets", () => {
  it("CRA reporting: a warning in the six months before 11 September 2026, an error from it, silent with evidence", () => {
    const p = preset("consumer-camera-eu-uk");
    const a = assessment(p);
    expect(pitfallIds(a, p, "2025-12-01")).not.toContain("cra-reporting-not-ready");
    expect(lintAssessment(a, p, "2026-06-01").find((x) => x.id === "cra-reporting-not-ready")?.severity).toBe(
      "warning",
    );
    expect(lintAssessment(a, p, "2026-10-01").find((x) => x.id === "cra-reporting-not-ready")?.severity).toBe(
      "error",
    );
    expect(pitfallIds(withEvidence(a, ["psirt"]), p, "2026-10-01")).not.toContain("cra-reporting-not-ready");
  });

  it("CRA support period: at least five years unless the expected use is shorter (Article 13(8))", () => {
    const p = preset("consumer-camera-eu-uk");
    const short = assessment(p, { version: "1", date: "2026-01-10", supportEnd: "2029-01-10" });
    expect(pitfallIds(short, p, "2026-02-01")).toContain("cra-support-period-under-five-years");
    expect(pitfallIds(assessment(p), p, "2026-02-01")).not.toContain("cra-support-period-under-five-years");
  });

  it("PSTI statement of compliance, EN 18031 restrictions, the RED repeal", () => {
    const p = preset("consumer-camera-eu-uk");
    const a = assessment(p);
    const ids = pitfallIds(a, p, "2026-02-01");
    expect(ids).toContain("psti-no-statement-of-compliance");
    expect(ids).toContain("red-en18031-restrictions");
    expect(ids).not.toContain("red-delegated-regulation-repealed");
    const done = withEvidence(withEvidence(a, ["statement-of-compliance"]), ["en-18031-restrictions"]);
    expect(pitfallIds(done, p, "2026-02-01")).not.toContain("psti-no-statement-of-compliance");
    expect(pitfallIds(done, p, "2026-02-01")).not.toContain("red-en18031-restrictions");
    expect(pitfallIds(a, p, "2028-01-01")).toContain("red-delegated-regulation-repealed");
  });

  it("not applicable on an unconditional EN 303 645 provision is an error; on a conditional one it is not", () => {
    const p = preset("consumer-camera-eu-uk");
    const na = withVerdict(assessment(p), "etsi-en-303-645:5.4-1", "not-applicable");
    const pit = lintAssessment(na, p, "2026-02-01").find(
      (x) => x.id === "not-applicable-on-unconditional-provision",
    );
    expect(pit?.refs).toEqual(["etsi-en-303-645:5.4-1"]);
    const conditional = withVerdict(assessment(p), "etsi-en-303-645:5.1-2", "not-applicable");
    expect(pitfallIds(conditional, p, "2026-02-01")).not.toContain(
      "not-applicable-on-unconditional-provision",
    );
  });

  it("EN 303 645 alone for the CRA, and the partial consumer catalog, are flagged", () => {
    const p = preset("consumer-smart-plug-us-label");
    const a = withVerdict(assessment(p), "etsi-en-303-645:5.1-1", "pass");
    const ids = pitfallIds(a, p, "2026-02-01");
    expect(ids).toContain("en-303-645-not-harmonised-under-cra");
    expect(ids).toContain("consumer-profile-incomplete");
  });
});
