// The crosswalk corrections of the 2026-12 review (issue 13): rows that over-claimed, a missing
// row, and the other rows of the same kinds (docs/crosswalks/etsi-cra.md, "Review 2026-12").
// Each assertion is about behaviour a user sees: `crosswalk gaps` and derived readiness.
import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../../src/catalog/files.js";
import { coverage } from "../../src/crosswalk/coverage.js";
import { loadCrosswalks } from "../../src/crosswalk/files.js";
import { infer } from "../../src/crosswalk/inference.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const row = (crosswalk: string, id: string) =>
  set.get(crosswalk)?.mappings.find((m) => m.key === `${crosswalk}#${id}`);
const derived = (input: Record<string, "pass" | "fail">, target: string) =>
  infer(set, new Map(Object.entries(input))).get(target)?.result ?? "unknown";

describe("crosswalk review 2026-12", () => {
  it("8259A 5.1 (a way to update) only intersects 5.3-2, which applies to non-constrained devices only", () => {
    expect(row("nist-ir-8259a--etsi-en-303-645", "5.1-to-5.3-2")?.relationship).toBe("intersects-with");
    // A constrained device without an update path fails 5.1; 5.3-2 does not apply to it.
    expect(derived({ "nist-ir-8259a:5.1": "fail" }, "etsi-en-303-645:5.3-2")).toBe("unknown");
  });

  it("a failed 8259A 5.2 derives no failure of the conditional 5.3-9 nor of CRA (2)(f)", () => {
    expect(row("nist-ir-8259a--etsi-en-303-645", "5.2-to-5.3-9")?.relationship).toBe("superset-of");
    expect(row("nist-ir-8259a--eu-cra", "5.2-to-I.2f")?.relationship).toBe("intersects-with");
    expect(derived({ "nist-ir-8259a:5.2": "fail" }, "etsi-en-303-645:5.3-9")).toBe("unknown");
    expect(derived({ "nist-ir-8259a:5.2": "fail" }, "eu-cra:annex-i.part-i.2.f")).toBe("unknown");
    // A pass still carries: 5.2 asks for everything 5.3-9 asks for.
    expect(derived({ "nist-ir-8259a:5.2": "pass" }, "etsi-en-303-645:5.3-9")).toBe("pass");
  });

  it("maps EN 303 645 5.13-1 (input validation) to CRA (2)(f), not (2)(k)", () => {
    const rows = set
      .get("etsi-en-303-645--eu-cra")
      ?.mappings.filter((m) => m.sources.includes("etsi-en-303-645:5.13-1"));
    expect(rows?.map((m) => [m.targets, m.relationship])).toEqual([
      [["eu-cra:annex-i.part-i.2.f"], "intersects-with"],
    ]);
  });

  it("maps 8259A Data Protection (3, 3.1) to EN 303 645 5.4-1 (secure storage of security parameters)", () => {
    for (const id of ["3-to-5.4-1", "3.1-to-5.4-1"]) {
      const m = row("nist-ir-8259a--etsi-en-303-645", id);
      expect(m?.targets, id).toEqual(["etsi-en-303-645:5.4-1"]);
      expect(m?.relationship, id).toBe("intersects-with");
    }
    expect(derived({ "nist-ir-8259a:3.1": "pass" }, "etsi-en-303-645:5.4-1")).toBe("partial");
  });

  it("`crosswalk gaps` no longer reports CRA (2)(j) fully covered by EN 303 645", () => {
    const report = coverage(set, registry.require("etsi-en-303-645"), registry.require("eu-cra"));
    const j = report.targets.find((t) => t.item === "eu-cra:annex-i.part-i.2.j");
    expect(j?.coverage).toBe("partial");
    expect(set.get("etsi-en-303-645--eu-cra")?.mappings.filter((m) => m.sources.length > 1)).toEqual([]);
    // No Annex I point is fully covered by EN 303 645 through the authored rows.
    expect(report.targets.filter((t) => t.coverage === "full").map((t) => t.item)).toEqual([]);
  });

  it("keeps subset-of to the CRA only where the point cannot be met without the provision", () => {
    const relaxed = ["5.1-3-to-I.2d", "5.5-4-to-I.2d", "5.5-6-to-I.2e", "5.8-1-to-I.2e", "5.8-2-to-I.2e"];
    for (const id of relaxed)
      expect(row("etsi-en-303-645--eu-cra", id)?.relationship, id).toBe("intersects-with");
    // A provision prescribing one means (cryptography) does not fail the point when it fails.
    expect(derived({ "etsi-en-303-645:5.8-1": "fail" }, "eu-cra:annex-i.part-i.2.e")).toBe("unknown");
    // One whose failure leaves the point unmet still carries the failure.
    expect(derived({ "etsi-en-303-645:5.1-1": "fail" }, "eu-cra:annex-i.part-i.2.d")).toBe("fail");
  });
});
