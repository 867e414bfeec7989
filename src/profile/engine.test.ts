import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { acquisitionClauses, clausesToHtml, clausesToMarkdown } from "./clauses.js";
import { checkContext } from "./context.js";
import { diffProfiles } from "./diff.js";
import { buildProfile, holds } from "./engine.js";
import { loadBundledRules, loadPresets } from "./files.js";
import type { DeviceContext, Profile } from "./model.js";
import { tailor } from "./tailor.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);
const presets = loadPresets();

function preset(id: string): Profile {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new Error(id);
  const { context, problems } = checkContext(p.context, rules);
  if (!context) throw new Error(JSON.stringify(problems));
  return buildProfile(context, rules, registry, set, { id, created: "2026-11-27" });
}

const count = (p: Profile, catalog: string) => p.items.filter((i) => i.catalog === catalog).length;

describe("context validation fails closed", () => {
  it("names every missing or unknown value with what is allowed", () => {
    const { context, problems } = checkContext(
      {
        impact: { confidentiality: "low", integrity: "severe" },
        environment: "moon",
        connectivity: "internet-exposed",
        data: [],
        markets: ["us-federal", "mars"],
        lifetimeYears: 0,
        colour: "red",
      },
      rules,
    );
    expect(context).toBeUndefined();
    const text = problems.map(formatProblem);
    expect(text).toContain(
      "context colour: unknown field; allowed: name, impact, environment, connectivity, data, lifetimeYears, markets, features",
    );
    expect(text).toContain('context impact.integrity: "severe" is not allowed; allowed: low, moderate, high');
    expect(text).toContain("context impact.availability: missing; allowed: low, moderate, high");
    expect(
      text.some((t) =>
        t.startsWith('context environment: "moon" is not allowed; allowed: industrial, medical, office'),
      ),
    ).toBe(true);
    expect(
      text.some((t) => t.startsWith("context data: missing: give one or more of public, sensitive")),
    ).toBe(true);
    expect(text.some((t) => t.startsWith('context markets[1]: "mars" is not allowed'))).toBe(true);
    expect(text).toContain("context lifetimeYears: 0 is not allowed; a whole number of years from 1 to 40");
  });

  it("every preset fits the vocabulary", () => {
    for (const p of presets) expect(checkContext(p.context, rules).problems, p.id).toEqual([]);
  });
});

describe("buildProfile", () => {
  it("the guide's temperature sensor: the core and the LOW baseline at moderate stringency, self-attestation", () => {
    const p = preset("temperature-sensor-industrial");
    expect(p.baseline).toBe("LOW");
    expect(count(p, "nist-ir-8259a")).toBe(30);
    expect(count(p, "nist-ir-8259b")).toBe(48);
    expect(count(p, "nist-sp-800-213a")).toBe(236);
    expect(
      p.items
        .filter((i) => i.catalog === "nist-ir-8259a" && i.kind === "capability")
        .map((i) => i.stringency),
    ).toEqual(Array(6).fill("moderate"));
    expect(p.requirements).toEqual({ fips140_3: true, independentAssessment: false, minSupportYears: 7 });
    expect(new Set(p.items.map((i) => i.method))).toEqual(new Set(["self-attestation"]));
  });

  it("the guide's medical device in a military hospital: more SP 800-213A, independent assessment, FIPS 140-3", () => {
    const p = preset("medical-device-military-hospital");
    expect(p.baseline).toBe("HIGH");
    expect(count(p, "nist-sp-800-213a")).toBeGreaterThan(100);
    expect(p.requirements).toEqual({ fips140_3: true, independentAssessment: true, minSupportYears: 12 });
    expect(new Set(p.items.map((i) => i.method))).toEqual(new Set(["independent-assessment"]));
    expect(new Set(p.items.map((i) => i.stringency))).toEqual(new Set(["high"]));
    const t111 = p.items.find((i) => i.id === "nist-sp-800-213a:T1.1.1");
    expect(t111?.because[0]).toMatchObject({ rule: "FED-BASELINE-213A", controls: ["IA-3"] });
  });

  it("selects SP 800-213A items by the baseline's controls: HIGH holds MODERATE holds LOW", () => {
    const base = presets.find((x) => x.id === "building-automation-controller")?.context as DeviceContext;
    const at = (level: "low" | "moderate" | "high") =>
      buildProfile(
        {
          ...base,
          connectivity: "internet-exposed",
          impact: { confidentiality: level, integrity: level, availability: level },
        },
        rules,
        registry,
        set,
        { id: level, created: "2026-11-27" },
      );
    const ids = (p: Profile) =>
      new Set(p.items.filter((i) => i.catalog === "nist-sp-800-213a").map((i) => i.id));
    const [low, mod, high] = [ids(at("low")), ids(at("moderate")), ids(at("high"))];
    expect(low.size).toBeGreaterThan(0);
    for (const id of low) expect(mod.has(id)).toBe(true);
    for (const id of mod) expect(high.has(id)).toBe(true);
    expect(high.size).toBeGreaterThan(low.size);
  });

  it("the consumer label uses NISTIR 8425, not 8259A; the EU market adds CRA Annex I and EN 303 645", () => {
    const p = preset("consumer-smart-plug-us-label");
    expect(count(p, "nist-ir-8425")).toBe(43);
    expect(count(p, "nist-ir-8259a")).toBe(0);
    expect(count(p, "eu-cra")).toBeGreaterThan(20);
    expect(
      p.items
        .filter((i) => i.catalog === "eu-cra")
        .every((i) => registry.item(i.id)?.props.assessable === true),
    ).toBe(true);
    expect(count(p, "etsi-en-303-645")).toBe(68);
    expect(p.items.find((i) => i.id === "etsi-en-303-645:5.1-1")?.obligation).toBe("conditional");
    expect(p.items.find((i) => i.id === "etsi-en-303-645:5.3-1")?.obligation).toBe("recommended");
    expect(p.items.find((i) => i.id === "etsi-en-303-645:5.4-1")?.obligation).toBe("required");
  });

  it("internet exposure raises logical access and update; personal data raises data protection", () => {
    const p = preset("consumer-smart-plug-us-label");
    expect(p.items.find((i) => i.id === "nist-ir-8425:P4")?.stringency).toBe("high");
    expect(p.items.find((i) => i.id === "nist-ir-8425:P3")?.stringency).toBe("high");
    expect(p.items.find((i) => i.id === "nist-ir-8425:P1")?.stringency).toBe("moderate");
    const cam = preset("ip-camera-sensitive-site");
    expect(cam.items.find((i) => i.id === "nist-ir-8259a:4")?.because.map((b) => b.rule)).toEqual([
      "FED-CORE-8259A",
      "NET-EXPOSED",
    ]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(preset("ip-camera-sensitive-site"))).toBe(
      JSON.stringify(preset("ip-camera-sensitive-site")),
    );
  });

  it("evaluates nested conditions", () => {
    const ctx = presets[0]?.context as DeviceContext;
    expect(
      holds(
        {
          all: [
            { fact: "markets", includesAny: ["us-federal"] },
            { not: { fact: "lifetimeYears", atLeast: 8 } },
          ],
        },
        ctx,
        "low",
      ),
    ).toBe(true);
    expect(
      holds(
        {
          any: [
            { fact: "highWaterMark", atLeast: "moderate" },
            { fact: "data", includesAll: ["public", "health"] },
          ],
        },
        ctx,
        "low",
      ),
    ).toBe(false);
  });
});

describe("tailoring and diff", () => {
  it("logs every change; removing a core item leaves a visible warning", () => {
    const p = preset("temperature-sensor-industrial");
    const removed = tailor(p, registry, {
      action: "remove",
      item: "nist-ir-8259a:5.3",
      rationale: "Sensor firmware is replaced, not rolled back",
      author: "J. Buyer",
      at: "2026-11-27",
    });
    expect(removed.items.some((i) => i.id === "nist-ir-8259a:5.3")).toBe(false);
    expect(removed.warnings).toHaveLength(1);
    expect(removed.warnings[0]).toMatch(
      /^core item nist-ir-8259a:5\.3 .* removed by J\. Buyer on 2026-11-27/,
    );
    const added = tailor(removed, registry, {
      action: "add",
      item: "etsi-en-303-645:5.6-8",
      rationale: "Tamper evidence",
      author: "J. Buyer",
      at: "2026-11-28",
    });
    expect(added.items.at(-1)).toMatchObject({
      id: "etsi-en-303-645:5.6-8",
      obligation: "recommended",
      status: "R",
      tailored: true,
      because: [{ rule: "TAILORING", note: "Tamper evidence" }],
    });
    expect(added.tailoring.map((t) => t.action)).toEqual(["remove", "add"]);
    expect(added.warnings).toEqual(removed.warnings);
    expect(p.tailoring).toEqual([]);
    expect(() =>
      tailor(p, registry, {
        action: "add",
        item: "nist-ir-8259a:1",
        rationale: " ",
        author: "x",
        at: "2026-11-27",
      }),
    ).toThrow(/rationale/);
  });

  it("shows what changes when the context changes", () => {
    const a = preset("building-automation-controller");
    const b = buildProfile({ ...a.context, connectivity: "internet-exposed" }, rules, registry, set, {
      id: "b",
      created: "2026-11-27",
    });
    const d = diffProfiles(a, b);
    expect(d.context).toEqual([
      { field: "connectivity", before: "internal-network", after: "internet-exposed" },
    ]);
    // Connectivity changes depth, not the selection (the baseline follows FIPS 199 alone).
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed.find((c) => c.id === "nist-ir-8259a:4")?.changes).toEqual([
      { field: "stringency", before: "moderate", after: "high" },
    ]);
  });
});

describe("acquisition clauses", () => {
  it("give a requirement per capability with verification and evidence, in Markdown and HTML", () => {
    const p = preset("medical-device-military-hospital");
    const c = acquisitionClauses(p, registry);
    expect(c.general.some((g) => g.startsWith("Cryptography. Every cryptographic function"))).toBe(true);
    expect(c.general.some((g) => g.includes("at least 12 years"))).toBe(true);
    expect(c.groups.some((g) => g.anchor.id === "nist-ir-8259a:5")).toBe(true);
    const md = clausesToMarkdown(c, p, registry);
    expect(md).toContain("**Verified by.** independent assessment.");
    expect(md).toContain("CMVP certificate number");
    const html = clausesToHtml(c, p, registry);
    expect(html).toContain("<h2>Capability requirements</h2>");
  });
});
