import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type PropValue = string | number | boolean | string[];
interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: string;
  notes?: string;
}
interface CatalogFile {
  format: string;
  catalog: Record<string, unknown> & { id: string; version: string; verification: string };
  items: Item[];
}
interface OscalControl {
  id: string;
  title: string;
  props?: { name: string; value: string }[];
  controls?: OscalControl[];
}
interface OscalCatalog {
  catalog: {
    metadata: { version: string };
    groups: { id: string; title: string; controls: OscalControl[] }[];
  };
}
interface OscalProfile {
  profile: { imports: { "include-controls"?: { "with-ids"?: string[] }[] }[] };
}

const read = <T>(rel: string): T =>
  JSON.parse(readFileSync(new URL(`../../${rel}`, import.meta.url), "utf8")) as T;

const file = read<CatalogFile>("catalogs/nist-sp-800-53.json");
const items = file.items;
const byRef = new Map(items.map((i) => [i.ref, i]));
const get = (ref: string): Item => {
  const item = byRef.get(ref);
  if (!item) throw new Error(`no item ${ref}`);
  return item;
};
const families = items.filter((i) => i.kind === "family");
const controls = items.filter((i) => i.kind === "control" || i.kind === "control-enhancement");
const baselines = (i: Item): string[] => (i.props?.baselines as string[] | undefined) ?? [];

/** "ac-2.1" -> "AC-2(1)" (independent of the generator's conversion). */
const fromOscal = (id: string): string => {
  const [base, enhancement] = id.toUpperCase().split(".");
  return enhancement === undefined ? (base ?? id) : `${base}(${enhancement})`;
};

describe("nist-sp-800-53 catalog", () => {
  it("has the expected metadata", () => {
    expect(file.format).toBe("cairn-catalog/1");
    expect(file.catalog).toMatchObject({
      id: "nist-sp-800-53",
      version: "5.0.1",
      published: "2020-09",
      status: "final",
      publisher: "NIST",
      terms: "full-text",
      verification: "checked",
      kinds: ["family", "control", "control-enhancement"],
    });
  });

  it("has 20 families and 1189 controls and enhancements", () => {
    expect(families.map((f) => f.ref).join(" ")).toBe(
      "AC AT AU CA CM CP IA IR MA MP PE PL PM PS PT RA SA SC SI SR",
    );
    expect(controls).toHaveLength(1189);
    expect(items.filter((i) => i.kind === "control")).toHaveLength(322);
    expect(items.filter((i) => i.kind === "control-enhancement")).toHaveLength(867);
    expect(controls.filter((i) => i.props?.withdrawn === true)).toHaveLength(182);
  });

  it("has unique refs, labels as printed and parents defined before children", () => {
    const problems: string[] = [];
    const seen = new Map<string, Item>();
    for (const item of items) {
      const p = (msg: string) => problems.push(`${item.ref}: ${msg}`);
      if (seen.has(item.ref)) p("duplicate ref");
      if (item.label !== item.ref) p(`label ${item.label}`);
      if (item.kind === "family") {
        if (!/^[A-Z]{2}$/.test(item.ref)) p("family ref");
        if (item.parent !== undefined) p("family with a parent");
      } else {
        const parent = item.parent === undefined ? undefined : seen.get(item.parent);
        if (!parent) p(`parent ${item.parent} not defined before`);
        else if (item.kind === "control") {
          if (!/^[A-Z]{2}-\d+$/.test(item.ref)) p("control ref");
          if (parent.kind !== "family") p("control parent is not a family");
        } else {
          if (!/^[A-Z]{2}-\d+\(\d+\)$/.test(item.ref)) p("enhancement ref");
          if (parent.kind !== "control" || !item.ref.startsWith(`${parent.ref}(`)) p("enhancement parent");
        }
        if (item.props?.family !== item.ref.slice(0, 2)) p("props.family");
        if (typeof item.text !== "string" || item.text.length === 0) p("no text");
        if (item.title.includes(" | ")) p("title with ' | '");
      }
      seen.set(item.ref, item);
    }
    expect(problems).toEqual([]);
  });

  it("has the 800-53B baseline counts LOW 149, MODERATE 287, HIGH 370, PRIVACY 96", () => {
    const count = (level: string) => controls.filter((i) => baselines(i).includes(level)).length;
    expect({
      LOW: count("LOW"),
      MODERATE: count("MODERATE"),
      HIGH: count("HIGH"),
      PRIVACY: count("PRIVACY"),
    }).toEqual({ LOW: 149, MODERATE: 287, HIGH: 370, PRIVACY: 96 });
    const problems: string[] = [];
    for (const item of controls) {
      const b = baselines(item);
      const canonical = ["LOW", "MODERATE", "HIGH", "PRIVACY"].filter((l) => b.includes(l));
      if (canonical.join() !== b.join()) problems.push(`${item.ref}: order or values ${b.join()}`);
      if (b.includes("LOW") && !b.includes("MODERATE")) problems.push(`${item.ref}: LOW without MODERATE`);
      if (b.includes("MODERATE") && !b.includes("HIGH")) problems.push(`${item.ref}: MODERATE without HIGH`);
      if (item.props?.withdrawn === true && b.length > 0)
        problems.push(`${item.ref}: withdrawn in a baseline`);
    }
    expect(problems).toEqual([]);
  });

  it("takes baseline membership from the 800-53B OSCAL profiles", () => {
    for (const level of ["low", "moderate", "high", "privacy"]) {
      const profile = read<OscalProfile>(
        `reference/nist/oscal/sp800-53b-rev5-${level}-baseline-profile.oscal.json`,
      );
      const ids = profile.profile.imports
        .flatMap((imp) => imp["include-controls"] ?? [])
        .flatMap((inc) => inc["with-ids"] ?? [])
        .map(fromOscal)
        .sort();
      const inCatalog = controls
        .filter((i) => baselines(i).includes(level.toUpperCase()))
        .map((i) => i.ref)
        .sort();
      expect(inCatalog, level).toEqual(ids);
    }
  });

  it("spot checks", () => {
    expect(get("AC").title).toBe("Access Control");
    expect(get("SC").title).toBe("System and Communications Protection");
    expect(get("PT").title).toBe("Personally Identifiable Information Processing and Transparency");
    expect(get("AC-2")).toMatchObject({
      kind: "control",
      title: "Account Management",
      parent: "AC",
      props: { family: "AC", withdrawn: false, baselines: ["LOW", "MODERATE", "HIGH"] },
    });
    expect(get("AC-2(1)")).toEqual({
      ref: "AC-2(1)",
      label: "AC-2(1)",
      kind: "control-enhancement",
      title: "Automated System Account Management",
      text: "Support the management of system accounts using [Assignment: organization-defined automated mechanisms].",
      parent: "AC-2",
      props: { family: "AC", withdrawn: false, baselines: ["MODERATE", "HIGH"] },
    });
    expect(get("AC-13")).toMatchObject({
      kind: "control",
      title: "Supervision and Review — Access Control",
      text: "[Withdrawn: Incorporated into AC-2 and AU-6.]",
      props: {
        withdrawn: true,
        baselines: [],
        withdrawnTo: ["AC-2", "AU-6"],
        withdrawnRelation: "incorporated-into",
      },
    });
    expect(get("AC-2(10)").props).toMatchObject({ withdrawn: true, withdrawnTo: ["AC-2"] });
    expect(get("SA-12").props).toMatchObject({ withdrawnTo: ["SR"] });
    expect(get("IR-10").props).toMatchObject({ withdrawnTo: ["IR-4(11)"], withdrawnRelation: "moved-to" });
    expect(get("SC-7(5)").title).toBe("Deny by Default — Allow by Exception");
    expect(get("IA-8(5)").title).toBe("Acceptance of PIV-I Credentials");
    expect(get("IA-5(15)").title).toBe("GSA-approved Products and Services");
    expect(get("PM-30").text).toContain("\nb. Implement the supply chain risk management strategy");
    expect(get("SA-4(3)").text).not.toContain("<assign");
    expect(get("SI-4").props?.baselines).toEqual(["LOW", "MODERATE", "HIGH"]);
    expect(get("PT-2").props?.baselines).toEqual(["PRIVACY"]);
  });

  it("gives withdrawal targets that resolve to catalog items", () => {
    for (const item of controls) {
      const targets = item.props?.withdrawnTo;
      if (targets === undefined) continue;
      expect(item.props?.withdrawn, item.ref).toBe(true);
      for (const target of targets as string[])
        expect(byRef.has(target), `${item.ref} -> ${target}`).toBe(true);
    }
  });

  it("marks every to-verify item with a reason", () => {
    const flagged = items.filter((i) => i.verification === "to-verify");
    expect(flagged.map((i) => i.ref)).toEqual(["AC-4(25)", "SA-12(14)"]);
    for (const item of flagged) expect(item.notes).toBeTruthy();
  });

  it("matches every control id and title of the OSCAL 5.0.1 catalog", () => {
    const oscal = read<OscalCatalog>("reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json").catalog;
    expect(oscal.metadata.version).toBe("5.0.1");
    const expected: { ref: string; title: string; withdrawn: boolean }[] = [];
    const walk = (list: OscalControl[] | undefined): void => {
      for (const c of list ?? []) {
        const withdrawn = c.props?.some((p) => p.name === "status" && p.value === "withdrawn") ?? false;
        expected.push({ ref: fromOscal(c.id), title: c.title, withdrawn });
        walk(c.controls);
      }
    };
    for (const group of oscal.groups) {
      expect(get(fromOscal(group.id)).title, group.id).toBe(group.title);
      walk(group.controls);
    }
    expect(controls.map((i) => i.ref)).toEqual(expected.map((e) => e.ref));

    const mismatches: string[] = [];
    const caseOnly: string[] = [];
    for (const e of expected) {
      const item = byRef.get(e.ref);
      if (!item) {
        mismatches.push(`${e.ref}: missing`);
        continue;
      }
      if (item.props?.withdrawn !== e.withdrawn)
        mismatches.push(`${e.ref}: withdrawn ${String(item.props?.withdrawn)}`);
      if (item.title === e.title) continue;
      if (item.title.toLowerCase() === e.title.toLowerCase()) caseOnly.push(e.ref);
      else mismatches.push(`${e.ref}: '${item.title}' vs OSCAL '${e.title}'`);
    }
    expect(mismatches).toEqual([]);
    // OSCAL 5.0.1 title-cases acronyms ("Gsa-approved"); the catalog keeps NIST's capitals.
    expect(caseOnly).toEqual([
      "IA-5(15)",
      "IA-8(3)",
      "SA-4(7)",
      "SA-9(8)",
      "SC-13(1)",
      "SC-13(2)",
      "SR-2(1)",
    ]);
  });
});
