import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { checkContext } from "../profile/context.js";
import { buildProfile } from "../profile/engine.js";
import { loadBundledRules, loadPresets } from "../profile/files.js";
import { exportCatalogToOscal } from "./catalog-export.js";
import { oscalControlId } from "./ids.js";
import { exportProfileToOscal, oscalCatalogFileName } from "./profile-export.js";
import { resolveProfile } from "./profile-resolve.js";
import type { OscalControl, OscalGroup } from "./types.js";
import { validateOscal } from "./validate.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);

function controlsOf(x: { controls?: OscalControl[]; groups?: OscalGroup[] }): OscalControl[] {
  const out: OscalControl[] = [];
  const walk = (c: OscalControl) => {
    out.push(c);
    for (const k of c.controls ?? []) walk(k);
  };
  for (const c of x.controls ?? []) walk(c);
  for (const g of x.groups ?? []) out.push(...controlsOf(g));
  return out;
}

describe("OSCAL export", () => {
  it("maps refs to OSCAL tokens", () => {
    expect(oscalControlId("nist-sp-800-53", "AC-2(1)")).toBe("ac-2.1");
    expect(oscalControlId("etsi-en-303-645", "5.1-1")).toBe("etsi-en-303-645_5.1-1");
    expect(oscalControlId("eu-cra", "annex-i.part-i.2.a")).toBe("eu-cra_annex-i.part-i.2.a");
    expect(oscalControlId("nist-sp-800-213a", "T1.1.1")).toBe("nist-sp-800-213a_T1.1.1");
    expect(oscalControlId("nist-ir-8259b", "1.1")).not.toBe(oscalControlId("nist-ir-8259a", "1.1"));
  });

  it("every bundled catalog exports to a valid OSCAL 1.2.1 catalog with one control or group per item", () => {
    for (const c of registry.latest()) {
      const doc = exportCatalogToOscal(c);
      expect(validateOscal("catalog", doc, c.key), c.key).toEqual([]);
      const groups: OscalGroup[] = [];
      const walkGroups = (g: OscalGroup) => {
        groups.push(g);
        for (const x of g.groups ?? []) walkGroups(x);
      };
      for (const g of doc.catalog.groups ?? []) walkGroups(g);
      expect(controlsOf(doc.catalog).length + groups.length, c.key).toBe(c.items.length);
    }
  });

  it("a profile exports to a valid OSCAL profile that resolves to exactly its items, with Cairn's props", () => {
    const preset = loadPresets().find((p) => p.id === "ip-camera-sensitive-site");
    const { context } = checkContext(preset?.context, rules);
    if (!context) throw new Error("preset");
    const profile = buildProfile(context, rules, registry, set, { id: "cam", created: "2026-11-27" });
    const doc = exportProfileToOscal(profile, registry);
    expect(validateOscal("profile", doc, "cam")).toEqual([]);
    expect(JSON.stringify(exportProfileToOscal(profile, registry))).toBe(JSON.stringify(doc));

    const catalogs = new Map(
      Object.entries(profile.catalogs).map(([id, version]) => {
        const c = registry.require(`${id}@${version}`);
        return [oscalCatalogFileName(c.key), exportCatalogToOscal(c)];
      }),
    );
    const result = resolveProfile(doc as never, (href) => catalogs.get(href.replace(/^.*\//, "")), {
      lastModified: "2026-11-27T00:00:00Z",
    });
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(validateOscal("catalog", result.document, "resolved")).toEqual([]);
    const resolved = controlsOf(result.catalog as never);
    const selected = new Set(
      profile.items.map((i) => oscalControlId(i.catalog, i.id.slice(i.id.indexOf(":") + 1))),
    );
    const got = new Set(resolved.map((c) => c.id));
    for (const id of selected) expect(got.has(id), id).toBe(true);
    // As-is merge keeps the structure: a control outside the profile is there only as the
    // ancestor of one inside it, and carries none of Cairn's selection props.
    const isAncestor = (c: OscalControl): boolean =>
      (c.controls ?? []).some((k) => selected.has(k.id) || isAncestor(k));
    for (const c of resolved.filter((x) => !selected.has(x.id))) {
      expect(isAncestor(c), c.id).toBe(true);
      expect(c.props?.some((p) => p.name === "stringency")).toBe(false);
    }
    const t111 = resolved.find((c) => c.id === "nist-sp-800-213a_T1.1.1");
    expect(t111?.props?.find((p) => p.name === "stringency")?.value).toBe("moderate");
    expect(t111?.props?.find((p) => p.name === "assessment-method")?.value).toBe("independent-assessment");
  });
});
