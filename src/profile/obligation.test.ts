import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { checkContext } from "./context.js";
import { buildProfile } from "./engine.js";
import { loadBundledRules } from "./files.js";
import type { ProfileItem } from "./model.js";
import { notApplicableRefusal, obligationFields } from "./obligation.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);

function enItem(ref: string): ProfileItem {
  const item = registry.item(`etsi-en-303-645:${ref}`);
  if (!item) throw new Error(ref);
  return {
    id: item.id,
    catalog: item.catalogId,
    label: item.label,
    title: item.title,
    kind: item.kind,
    stringency: "moderate",
    method: "self-attestation",
    ...obligationFields(item),
    evidence: [],
    because: [],
  };
}

describe("obligationFields", () => {
  it("carries Table B.1's status and condition numbers onto the profile item", () => {
    expect(obligationFields(registry.item("etsi-en-303-645:5.3-6") as never)).toEqual({
      obligation: "conditional",
      status: "R C",
      conditions: ["9", "12"],
    });
    expect(obligationFields(registry.item("etsi-en-303-645:5.4-1") as never)).toEqual({
      obligation: "required",
      status: "M",
    });
    expect(obligationFields(registry.item("etsi-en-303-645:5.11-2") as never)).toEqual({
      obligation: "recommended",
      status: "R",
    });
    expect(obligationFields(registry.item("nist-ir-8259a:1") as never)).toEqual({ obligation: "required" });
  });
});

describe("notApplicableRefusal (EN 303 645: not applicable only for conditional provisions)", () => {
  it("refuses N/A on an unconditional mandatory provision", () => {
    const reason = notApplicableRefusal(enItem("5.4-1"));
    expect(reason).toBe(
      'EN 303 645 5.4-1 is mandatory without condition (Table B.1 status M): "not applicable" may be declared only for a conditional provision (M C, R C); it must be met',
    );
  });

  it("refuses N/A on an unconditional recommendation, pointing to not supported with a justification", () => {
    const reason = notApplicableRefusal(enItem("5.8-1"));
    expect(reason).toMatch(
      /^EN 303 645 5\.8-1 is a recommendation without condition \(Table B\.1 status R\)/,
    );
    expect(reason).toMatch(/declare it not supported, with a justification/);
  });

  it("allows N/A on conditional provisions (M C and R C)", () => {
    expect(notApplicableRefusal(enItem("5.1-1"))).toBeUndefined();
    expect(notApplicableRefusal(enItem("5.3-10"))).toBeUndefined();
    expect(notApplicableRefusal(enItem("6-4"))).toBeUndefined();
  });

  it("refuses it for each of the 14 provisions the review found wrongly conditional", () => {
    for (const ref of [
      "5.1-3",
      "5.4-1",
      "5.4-4",
      "5.5-5",
      "5.5-7",
      "5.8-2",
      "5.8-3",
      "6-3",
      "5.5-4",
      "5.5-6",
      "5.7-2",
      "5.8-1",
      "5.11-2",
      "5.11-4",
    ])
      expect(notApplicableRefusal(enItem(ref)), ref).toBeDefined();
  });

  it("says nothing about other catalogs", () => {
    const item = {
      id: "nist-ir-8259a:1",
      catalog: "nist-ir-8259a",
      label: "1",
      obligation: "required" as const,
    };
    expect(notApplicableRefusal(item)).toBeUndefined();
  });

  it("falls back on the obligation of a profile item made before statuses were recorded", () => {
    const old = {
      id: "etsi-en-303-645:5.2-2",
      catalog: "etsi-en-303-645",
      label: "5.2-2",
      obligation: "recommended" as const,
    };
    expect(notApplicableRefusal(old)).toMatch(/\(obligation recommended\)/);
    expect(notApplicableRefusal({ ...old, obligation: "conditional" })).toBeUndefined();
  });

  it("a profile selecting EN 303 645 gives the function what it needs: 23 items may be N/A, 45 may not", () => {
    const { context } = checkContext(
      {
        impact: { confidentiality: "low", integrity: "low", availability: "low" },
        environment: "home",
        connectivity: "internet-exposed",
        data: ["personal"],
        lifetimeYears: 5,
        markets: ["etsi-en-303-645"],
      },
      rules,
    );
    if (!context) throw new Error("context");
    const p = buildProfile(context, rules, registry, set, { id: "x", created: "2026-12-01" });
    const en = p.items.filter((i) => i.catalog === "etsi-en-303-645");
    expect(en).toHaveLength(68);
    expect(en.filter((i) => notApplicableRefusal(i) === undefined)).toHaveLength(23);
    expect(en.every((i) => i.status !== undefined)).toBe(true);
  });
});
