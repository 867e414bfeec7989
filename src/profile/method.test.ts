// The profiling method's corrections (issue 13, rules 2026.12): each test fails on rules 2026.11.
import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { checkContext } from "./context.js";
import { buildProfile } from "./engine.js";
import { loadBundledRules, loadPresets } from "./files.js";
import type { DeviceContext, Profile } from "./model.js";
import { profileFromPreset } from "./presets.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);
const presets = loadPresets();

function preset(id: string): Profile {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return profileFromPreset(p, rules, registry, set, { id, created: "2026-12-01" });
}
function build(ctx: DeviceContext): Profile {
  const { context, problems } = checkContext(ctx, rules);
  if (!context) throw new Error(problems.map(formatProblem).join("\n"));
  return buildProfile(context, rules, registry, set, { id: "t", created: "2026-12-01" });
}
const ids = (p: Profile, catalog: string) =>
  new Set(p.items.filter((i) => i.catalog === catalog).map((i) => i.id));

/** SP 800-213A items whose mapped controls are all PRIVACY-baseline only. */
function privacyOnlyItems(): string[] {
  const cw = set.get("nist-sp-800-213a--nist-sp-800-53");
  const controls = registry.require("nist-sp-800-53");
  const byItem = new Map<string, Set<string>>();
  for (const m of cw?.mappings ?? []) {
    if (m.relationship === "not-related") continue;
    for (const s of m.sources) {
      const b = byItem.get(s) ?? new Set<string>();
      for (const t of m.targets)
        for (const x of (controls.byRef.get(t.slice(t.indexOf(":") + 1))?.props.baselines as string[]) ?? [])
          b.add(x);
      byItem.set(s, b);
    }
  }
  return [...byItem]
    .filter(([, b]) => b.has("PRIVACY") && !b.has("LOW") && !b.has("MODERATE") && !b.has("HIGH"))
    .map(([id]) => id)
    .filter((id) => ["element", "action", "section"].includes(registry.item(id)?.kind ?? ""));
}

const base: DeviceContext = {
  impact: { confidentiality: "moderate", integrity: "moderate", availability: "low" },
  environment: "office",
  connectivity: "internal-network",
  data: ["sensitive"],
  lifetimeYears: 8,
  markets: ["us-federal"],
};

describe("(a) the SP 800-53B PRIVACY baseline applies to personal information", () => {
  it("selects the 23 actions that map only to privacy-baseline controls when the data is personal", () => {
    const only = privacyOnlyItems();
    expect(only).toHaveLength(23);
    const withPii = ids(build({ ...base, data: ["sensitive", "personal"] }), "nist-sp-800-213a");
    const without = ids(build(base), "nist-sp-800-213a");
    for (const id of only) {
      expect(withPii.has(id), id).toBe(true);
      expect(without.has(id), id).toBe(false);
    }
    const item = build({ ...base, data: ["health"] }).items.find((i) => i.id === only[0]);
    expect(item?.because.some((b) => b.rule === "FED-PRIVACY-213A")).toBe(true);
  });

  it("the presets handling personal or health data now hold them", () => {
    const only = privacyOnlyItems();
    for (const id of ["medical-device-military-hospital", "ip-camera-sensitive-site"]) {
      const got = ids(preset(id), "nist-sp-800-213a");
      expect(
        only.every((x) => got.has(x)),
        id,
      ).toBe(true);
    }
  });
});

describe("(b) no carve-out for low-impact devices; the guide's minimal set is a documented tailoring", () => {
  it("a LOW, internal device with public data gets the LOW baseline's SP 800-213A items", () => {
    const p = preset("temperature-sensor-industrial");
    expect(p.baseline).toBe("LOW");
    const a213 = p.items.filter((i) => i.catalog === "nist-sp-800-213a");
    expect(a213.length).toBeGreaterThan(100);
    expect(a213.every((i) => i.because.every((b) => b.rule === "FED-BASELINE-213A"))).toBe(true);
    expect(p.tailoring).toEqual([]);
  });

  it("the minimal preset removes them with a logged rationale and keeps the 8259A/8259B core", () => {
    const full = preset("temperature-sensor-industrial");
    const min = preset("temperature-sensor-industrial-minimal");
    expect(min.context).toEqual(full.context);
    expect(ids(min, "nist-sp-800-213a").size).toBe(0);
    expect(ids(min, "nist-ir-8259a").size).toBe(30);
    expect(ids(min, "nist-ir-8259b").size).toBe(48);
    expect(min.tailoring).toHaveLength(ids(full, "nist-sp-800-213a").size);
    expect(min.tailoring.every((t) => t.action === "remove" && /Guide's minimal set/.test(t.rationale))).toBe(
      true,
    );
    expect(min.warnings).toEqual([]);
  });
});

describe("(c) FIPS 140-3 from LOW up; what is SP 800-213's and what is Cairn's policy", () => {
  it("a federal LOW device needs FIPS 140-3 validated cryptography (SC-13 is in the LOW baseline)", () => {
    const p = preset("temperature-sensor-industrial");
    expect(p.requirements).toEqual({ fips140_3: true, independentAssessment: false, minSupportYears: 7 });
    expect(registry.item("nist-sp-800-53:SC-13")?.props.baselines).toContain("LOW");
  });

  it("labels each requirement with its rule and basis", () => {
    const p = preset("medical-device-military-hospital");
    const basis = Object.fromEntries(
      (p.requirementsBasis ?? []).map((b) => [b.requirement, [b.rule, b.basis]]),
    );
    expect(basis).toEqual({
      fips140_3: ["FIPS-140-3", "method"],
      independentAssessment: ["INDEPENDENT-ASSESSMENT", "policy"],
      minSupportYears: ["SUPPORT-PERIOD", "method"],
    });
  });
});

describe("(d) contexts outside the method are refused, inconsistent ones warned", () => {
  it("refuses classified data: national security systems are outside FIPS 199", () => {
    const { context, problems } = checkContext({ ...base, data: ["classified"] }, rules);
    expect(context).toBeUndefined();
    expect(problems.map(formatProblem).join("\n")).toMatch(
      /context data: classified information is outside this method: systems that process it are national security systems/,
    );
  });

  it("warns on health data with a LOW confidentiality impact", () => {
    const p = build({
      ...base,
      impact: { confidentiality: "low", integrity: "low", availability: "low" },
      data: ["health"],
    });
    expect(
      p.warnings.some((w) => w.startsWith("CHECK-HEALTH-LOW-CONFIDENTIALITY: health data with a LOW")),
    ).toBe(true);
  });
});

describe("(e) EN 303 645 is not a harmonised standard under the CRA", () => {
  it("says so wherever the EU market selects it", () => {
    const p = preset("ip-camera-sensitive-site");
    expect(p.notices?.some((n) => /not as a harmonised standard under the CRA/.test(n))).toBe(true);
    const rule = rules.rules.find((r) => r.id === "EU-EN-303-645");
    expect(rule?.rationale).toMatch(/not a harmonised standard under the CRA/);
    expect(preset("temperature-sensor-industrial").notices).toBeUndefined();
  });
});

describe("(f) HIGH deepens federal texts only", () => {
  it("a HIGH device sold in the EU and under the US label keeps EU and consumer items at their own depth", () => {
    const p = build({
      ...base,
      impact: { confidentiality: "high", integrity: "high", availability: "high" },
      connectivity: "internal-network",
      data: ["public"],
      markets: ["us-federal", "us-consumer-label", "eu-cra"],
    });
    const depth = (id: string) => p.items.find((i) => i.id === id)?.stringency;
    expect(depth("nist-ir-8259a:1")).toBe("high");
    expect(depth("nist-sp-800-213a:T1.1.1")).toBe("high");
    expect(depth("etsi-en-303-645:5.1-1")).toBe("moderate");
    expect(depth("nist-ir-8425:P1")).toBe("moderate");
    expect(depth("eu-cra:annex-i.part-i.2.a")).toBe("moderate");
  });
});
