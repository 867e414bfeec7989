import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { checkContext } from "../profile/context.js";
import { buildProfile } from "../profile/engine.js";
import { loadBundledRules, loadPresets } from "../profile/files.js";
import type { Profile } from "../profile/model.js";
import {
  type AssessmentCommand,
  applyCommand,
  type FindingUpdate,
  type NewEvidenceRecord,
} from "./changes.js";
import type { Assessment, EvidenceRecord, Release } from "./model.js";
import { checkAssessment, checkConsistency, currentEvidence, isStale, newAssessment } from "./ops.js";
import { lintAssessment } from "./pitfalls.js";
import { computeReadiness } from "./readiness.js";

// The core's commands, called the way these tests read best (the rules are in changes.ts).
const run = (a: Assessment, p: Profile, c: AssessmentCommand, by: string, at: string) =>
  applyCommand(a, p, c, { by, name: by, at });
const recordFinding = (
  a: Assessment,
  p: Profile,
  item: string,
  update: FindingUpdate,
  by: string,
  at: string,
) => run(a, p, { type: "record-finding", item, update }, by, at).assessment;
const signOff = (a: Assessment, item: string, reviewer: string, at: string) =>
  run(a, sensor, { type: "sign-off", item }, reviewer, at).assessment;
const changeRelease = (a: Assessment, release: Release, at: string) =>
  run(a, sensor, { type: "change-release", release }, "A", at).assessment;
const adoptProfile = (a: Assessment, p: Profile, file: string, sha256: string, at: string) =>
  run(a, sensor, { type: "adopt-profile", profile: p, file, sha256, text: "{}" }, "A", at).assessment;
function addEvidence(a: Assessment, r: NewEvidenceRecord & { addedBy: string; addedAt: string }) {
  const { addedBy, addedAt, ...record } = r;
  const o = run(a, sensor, { type: "add-evidence", record }, addedBy, addedAt);
  return { assessment: o.assessment, id: (o.result as EvidenceRecord).id };
}

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);

function profileOf(presetId: string, change: Record<string, unknown> = {}): Profile {
  const preset = loadPresets().find((p) => p.id === presetId);
  const { context } = checkContext({ ...preset?.context, ...change }, rules);
  if (!context) throw new Error("context");
  return buildProfile(context, rules, registry, set, { id: presetId, created: "2026-11-27" });
}

function fresh(profile: Profile): Assessment {
  return newAssessment(profile, {
    id: "a1",
    title: "test",
    kind: "self-attestation",
    product: { id: "p", manufacturer: "m", model: "x", category: "sensor" },
    release: { version: "1.0", date: "2026-01-10", supportEnd: "2034-01-10" },
    assessors: [{ name: "A" }],
    date: "2026-01-11",
    profileFile: "profile.json",
    profileSha256: "0".repeat(64),
  });
}

function evidence(a: Assessment, tags: string[], extra: Partial<Parameters<typeof addEvidence>[1]> = {}) {
  return addEvidence(a, {
    kind: "attestation",
    title: tags.join(","),
    text: "declared",
    strength: "supports",
    tags,
    effective: "2026-01-12",
    addedBy: "A",
    addedAt: "2026-01-12",
    ...extra,
  });
}

function passAll(a: Assessment, profile: Profile): Assessment {
  let x = a;
  for (const i of profile.items)
    x = recordFinding(x, profile, i.id, { verdict: "pass", method: "test" }, "A", "2026-01-12");
  return x;
}

const sensor = profileOf("temperature-sensor-industrial");

describe("findings and evidence", () => {
  it("a new assessment has one not-assessed finding per profile item and is consistent", () => {
    const a = fresh(sensor);
    expect(a.findings).toHaveLength(sensor.items.length);
    expect(new Set(a.findings.map((f) => f.verdict))).toEqual(new Set(["not-assessed"]));
    expect(checkConsistency(a, sensor)).toEqual([]);
  });

  it("refuses findings for items outside the profile and unknown evidence", () => {
    const a = fresh(sensor);
    expect(() =>
      recordFinding(a, sensor, "eu-cra:annex-i.part-i.1", { verdict: "pass" }, "A", "2026-01-12"),
    ).toThrow(/is not in profile/);
    expect(() =>
      recordFinding(a, sensor, "nist-ir-8259a:1", { attach: ["E-0042"] }, "A", "2026-01-12"),
    ).toThrow(/no evidence E-0042 in this assessment/);
  });

  it("evidence is appended with sequential ids; a revision supersedes and is what counts", () => {
    let a = fresh(sensor);
    const first = evidence(a, ["sbom"]);
    a = first.assessment;
    const second = evidence(a, ["sbom"], { supersedes: first.id, title: "sbom v2" });
    a = second.assessment;
    expect([first.id, second.id]).toEqual(["E-0001", "E-0002"]);
    expect(currentEvidence(a, "E-0001")?.title).toBe("sbom v2");
    expect(a.evidence[0]?.title).toBe("sbom");
    expect(() => evidence(a, ["x"], { supersedes: "E-0001" })).toThrow(/already superseded/);
  });

  it("a changed verdict drops the sign-off; changing the release or the profile item makes it stale", () => {
    let a = fresh(sensor);
    a = recordFinding(a, sensor, "nist-ir-8259a:1", { verdict: "pass" }, "A", "2026-01-12");
    a = signOff(a, "nist-ir-8259a:1", "R", "2026-01-13");
    expect(a.findings[0]?.signOff).toEqual({ reviewer: "R", date: "2026-01-13" });
    a = recordFinding(a, sensor, "nist-ir-8259a:1", { verdict: "fail" }, "A", "2026-01-14");
    expect(a.findings[0]?.signOff).toBeUndefined();
    const f = a.findings[0];
    if (!f) throw new Error("finding");
    expect(isStale(f, a, sensor)).toBe(false);
    const moved = changeRelease(a, { version: "1.1", date: "2026-03-01" }, "2026-03-02");
    expect(isStale(moved.findings[0] as never, moved, sensor)).toBe(true);
    // Internet exposure raises 8259A capability 4: its findings go stale, capability 1's do not.
    const exposed = profileOf("temperature-sensor-industrial", { connectivity: "internet-exposed" });
    let b = recordFinding(a, sensor, "nist-ir-8259a:4", { verdict: "pass" }, "A", "2026-01-12");
    b = adoptProfile(b, exposed, "profile.json", "1".repeat(64), "2026-02-01");
    expect(isStale(b.findings.find((x) => x.item === "nist-ir-8259a:4") as never, b, exposed)).toBe(true);
    expect(isStale(b.findings.find((x) => x.item === "nist-ir-8259a:1") as never, b, exposed)).toBe(false);
    expect(b.findings.length).toBe(exposed.items.length);
  });

  it("adopting a smaller profile retires findings instead of dropping them", () => {
    const camera = profileOf("ip-camera-sensitive-site");
    let a = passAll(fresh(camera), camera);
    a = adoptProfile(a, sensor, "profile.json", "2".repeat(64), "2026-02-01");
    expect(a.findings).toHaveLength(sensor.items.length);
    expect(a.retiredFindings?.length).toBe(camera.items.length - sensor.items.length);
    expect(a.retiredFindings?.[0]).toMatchObject({ verdict: "pass", retired: "2026-02-01" });
  });

  it("check passes only when every required item passes on the current release", () => {
    let a = passAll(fresh(sensor), sensor);
    expect(checkAssessment(a, sensor)).toMatchObject({ ok: true, total: sensor.items.length });
    a = recordFinding(a, sensor, "nist-ir-8259a:5.3", { verdict: "fail" }, "A", "2026-01-12");
    expect(checkAssessment(a, sensor).failing).toEqual([
      { item: "nist-ir-8259a:5.3", verdict: "fail", reason: "fails", source: "person" },
    ]);
    a = changeRelease(a, { version: "2", date: "2026-05-01" }, "2026-05-01");
    expect(
      checkAssessment(a, sensor).failing.every((f) => f.reason.startsWith("stale") || f.reason === "fails"),
    ).toBe(true);
    expect(checkAssessment(a, sensor).ok).toBe(false);
  });

  it("a recommended provision may be declared not supported with a justification", () => {
    const plug = profileOf("consumer-smart-plug-us-label");
    let a = passAll(fresh(plug), plug);
    const should = plug.items.find((i) => i.obligation === "recommended");
    if (!should) throw new Error("no recommended item");
    a = recordFinding(
      a,
      plug,
      should.id,
      { verdict: "fail", statement: { support: "not-supported", detail: "" } },
      "A",
      "2026-01-12",
    );
    expect(checkAssessment(a, plug).ok).toBe(false);
    a = recordFinding(
      a,
      plug,
      should.id,
      { statement: { support: "not-supported", detail: "Battery device: no remote update path" } },
      "A",
      "2026-01-12",
    );
    expect(checkAssessment(a, plug).ok).toBe(true);
  });
});

describe("pitfalls", () => {
  const ids = (a: Assessment, p: Profile, asOf = "2026-02-01") => lintAssessment(a, p, asOf).map((x) => x.id);

  it("catches the guide's recurring errors", () => {
    const a = fresh(sensor);
    expect(ids(a, sensor)).toEqual(
      expect.arrayContaining(["no-8259b", "no-sbom", "no-vulnerability-disclosure"]),
    );
    const camera = profileOf("ip-camera-sensitive-site");
    expect(ids(fresh(camera), camera)).toContain("fips-140-3-without-evidence");
    const withoutB = { ...sensor, items: sensor.items.filter((i) => i.catalog !== "nist-ir-8259b") };
    expect(
      lintAssessment(fresh(withoutB), withoutB, "2026-02-01").find((p) => p.id === "no-8259b")?.message,
    ).toMatch(/holds no 8259B item/);
    const federal8425 = { ...sensor, items: profileOf("consumer-smart-plug-us-label").items };
    expect(ids(fresh(federal8425), federal8425)).toContain("8425-for-federal");
    const consumer8259a = { ...sensor, context: { ...sensor.context, markets: ["us-consumer-label"] } };
    expect(ids(fresh(consumer8259a), consumer8259a)).toContain("8259a-for-consumer-label");
    const checklist = { ...sensor, items: sensor.items.map((i) => ({ ...i, tailored: true })) };
    expect(ids(fresh(checklist), checklist)).toContain("checklist-without-profile");
  });

  it("checks the support period against the expected lifetime, and evidence dates", () => {
    let a = fresh(sensor);
    expect(ids(a, sensor)).not.toContain("support-period-too-short");
    a = changeRelease(a, { version: "1.0", date: "2026-01-10", supportEnd: "2029-01-10" }, "2026-01-11");
    expect(ids(a, sensor)).toContain("support-period-too-short");
    a = changeRelease(a, { version: "1.0", date: "2026-01-10" }, "2026-01-11");
    expect(ids(a, sensor)).toContain("no-support-period");
    let b = evidence(fresh(sensor), ["sbom"], { expires: "2026-01-31" }).assessment;
    expect(ids(b, sensor, "2026-02-01")).toContain("expired-evidence");
    expect(ids(b, sensor, "2026-01-20")).not.toContain("expired-evidence");
    const old = evidence(b, ["vdp"], { effective: "2025-06-01" });
    b = recordFinding(
      old.assessment,
      sensor,
      "nist-ir-8259b:2",
      { verdict: "pass", attach: [old.id] },
      "A",
      "2026-01-12",
    );
    expect(
      lintAssessment(b, sensor, "2026-01-20").find((p) => p.id === "evidence-older-than-release")?.refs,
    ).toEqual([old.id]);
  });

  it("a complete, evidenced assessment has no error", () => {
    let a = passAll(fresh(sensor), sensor);
    for (const tag of ["sbom", "vdp", "fips-140-3"]) a = evidence(a, [tag]).assessment;
    expect(lintAssessment(a, sensor, "2026-02-01").filter((p) => p.severity === "error")).toEqual([]);
  });
});

describe("readiness", () => {
  it("is direct for assessed markets and derived through crosswalks for the others", () => {
    const camera = profileOf("ip-camera-sensitive-site");
    const a = passAll(fresh(camera), camera);
    const r = computeReadiness(a, camera, registry, set);
    const federal = r.find((m) => m.market === "us-federal");
    expect(federal?.counts.met).toBe(federal?.items.length);
    expect(federal?.items.every((i) => i.source === "direct")).toBe(true);
    const cra = r.find((m) => m.market === "eu-cra");
    expect(cra?.items.every((i) => i.source === "direct" && i.result === "pass")).toBe(true);
    const label = r.find((m) => m.market === "us-consumer-label");
    expect(label?.items.every((i) => i.source === "derived")).toBe(true);
    const derived = label?.items.find((i) => i.result !== "unknown");
    expect(derived?.paths?.[0]?.rows[0]).toMatch(/^nist-ir-8425--nist-ir-8259/);
  });

  it("a stale or inconclusive verdict says nothing", () => {
    let a = passAll(fresh(sensor), sensor);
    a = recordFinding(a, sensor, "nist-ir-8259a:1", { verdict: "inconclusive" }, "A", "2026-01-12");
    a = changeRelease(a, { version: "9", date: "2026-06-01", supportEnd: "2040-01-01" }, "2026-06-01");
    const federal = computeReadiness(a, sensor, registry, set, ["us-federal"])[0];
    expect(federal?.counts.unknown).toBe(sensor.items.length);
  });
});
