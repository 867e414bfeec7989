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
  order?: number;
  props?: Record<string, PropValue>;
  verification?: "checked" | "to-verify";
  notes?: string;
}
interface CatalogFile {
  format: string;
  catalog: Record<string, unknown> & {
    source: Record<string, string>;
    completeness?: { status: string; gaps?: { kind: string; description: string }[] };
  };
  items: Item[];
}

const file = new URL("../../catalogs/nist-sp-800-213a.json", import.meta.url);
const raw = readFileSync(file, "utf8");
const data = JSON.parse(raw) as CatalogFile;
const byRef = new Map(data.items.map((i) => [i.ref, i]));

function get(ref: string): Item {
  const item = byRef.get(ref);
  if (!item) throw new Error(`no item ${ref}`);
  return item;
}

function children(ref: string): Item[] {
  return data.items.filter((i) => i.parent === ref);
}

function partOf(item: Item): string {
  let cur: Item | undefined = item;
  while (cur?.parent !== undefined) cur = byRef.get(cur.parent);
  return cur?.ref ?? "";
}

function count(part: string, kind: string): number {
  return data.items.filter((i) => i.kind === kind && partOf(i) === part).length;
}

describe("nist-sp-800-213a catalog", () => {
  it("has the expected metadata", () => {
    expect(data.format).toBe("cairn-catalog/1");
    expect(data.catalog.id).toBe("nist-sp-800-213a");
    // The content is NIST's online catalog of November 2021 at a recorded commit, not the final
    // PDF: the version says so, the title is the catalog's own, no DOI of the PDF is claimed.
    expect(data.catalog.version).toBe("2021-11-online");
    expect(data.catalog.published).toBe("2021-11-05");
    expect(data.catalog.title).toBe("IoT Device Cybersecurity Requirement Catalogs");
    expect(data.catalog.status).toBe("final");
    expect(data.catalog.publisher).toBe("NIST");
    expect(data.catalog.terms).toBe("full-text");
    expect(data.catalog.source.doi).toBeUndefined();
    expect(data.catalog.source.url).toBe(
      "https://pages.nist.gov/IoT-Device-Cybersecurity-Requirement-Catalogs/",
    );
    expect(data.catalog.source.reference).toContain(
      "usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs@60ed8e6a802bfab80acdcb5a40ace2aa153529e2",
    );
    expect(data.catalog.source.reference).toContain("not the final SP 800-213A PDF");
    expect(data.catalog.source.basis).toContain("byte-identical");
    expect(data.catalog.source.basis).toContain("60ed8e6a802bfab80acdcb5a40ace2aa153529e2");
    // What the final publication is reported to add, recorded as to verify.
    const reported = data.catalog.completeness?.gaps?.filter((g) => g.kind === "reported") ?? [];
    expect(reported.map((g) => g.description).join(" ")).toMatch(/two-letter family codes/);
    expect(reported.map((g) => g.description).join(" ")).toMatch(/Secure Network Onboarding/);
    expect(reported.map((g) => g.description).join(" ")).toMatch(/Device Authenticity Support/);
    expect(raw.endsWith("}\n")).toBe(true);
    expect(raw.startsWith('{\n  "format"')).toBe(true);
  });

  it("has two parts", () => {
    const parts = data.items.filter((i) => i.kind === "part");
    expect(parts.map((p) => [p.ref, p.label])).toEqual([
      ["technical", "Technical Device Cybersecurity Capabilities"],
      ["non-technical", "Non-Technical Supporting Capabilities"],
    ]);
  });

  it("has the technical counts: 7 capabilities, 38 sub-capabilities, 161 elements", () => {
    expect(count("technical", "capability")).toBe(7);
    expect(count("technical", "sub-capability")).toBe(38);
    expect(count("technical", "element")).toBe(161);
  });

  // One action per action row of NIST's draft mapping. Row 174 is printed in this copy of the pages as
  // an example inside a <details> block; the mapping and another version of the page make it an
  // action, D.1.b.1.2 (see docs/catalogs/nist-sp-800-213a.md).
  it("has the non-technical counts: 4 capabilities, 14 sub-capabilities, 181 actions", () => {
    expect(count("non-technical", "capability")).toBe(4);
    expect(count("non-technical", "sub-capability")).toBe(14);
    expect(count("non-technical", "section")).toBe(32);
    expect(count("non-technical", "point")).toBe(50);
    expect(count("non-technical", "action")).toBe(181);
    expect(count("non-technical", "sub-action")).toBe(5);
  });

  it("keeps kinds in their parts", () => {
    for (const i of data.items) {
      if (["element", "sub-element"].includes(i.kind)) expect(partOf(i)).toBe("technical");
      if (["section", "point", "action", "sub-action"].includes(i.kind))
        expect(partOf(i)).toBe("non-technical");
    }
  });

  it("has unique refs and parents that resolve, listed before their children", () => {
    const seen = new Set<string>();
    for (const i of data.items) {
      expect(seen.has(i.ref), `duplicate ${i.ref}`).toBe(false);
      expect(i.ref).toMatch(/^[A-Za-z0-9][A-Za-z0-9._()/-]*$/);
      if (i.parent !== undefined) expect(seen.has(i.parent), `${i.ref} -> ${i.parent}`).toBe(true);
      seen.add(i.ref);
    }
    expect(seen.size).toBe(data.items.length);
  });

  it("nests kinds as the structure says", () => {
    const allowed: Record<string, string[]> = {
      part: [],
      capability: ["part"],
      "sub-capability": ["capability"],
      element: ["sub-capability"],
      "sub-element": ["element", "sub-element"],
      section: ["sub-capability"],
      point: ["section"],
      action: ["point"],
      "sub-action": ["action", "sub-action"],
    };
    for (const i of data.items) {
      const parentKind = i.parent === undefined ? undefined : get(i.parent).kind;
      const ok = allowed[i.kind];
      expect(ok, `unknown kind ${i.kind}`).toBeDefined();
      if (parentKind === undefined) expect(i.kind).toBe("part");
      else expect(ok).toContain(parentKind);
    }
  });

  it("numbers siblings 1..n in file order", () => {
    const byParent = new Map<string, number[]>();
    for (const i of data.items) {
      const key = i.parent ?? "";
      byParent.set(key, [...(byParent.get(key) ?? []), i.order ?? -1]);
    }
    for (const orders of byParent.values()) expect(orders).toEqual(orders.map((_, k) => k + 1));
  });

  it("lists the 7 technical capabilities in NIST's order", () => {
    expect(children("technical").map((c) => [c.ref, c.title])).toEqual([
      ["T1", "Device Identification"],
      ["T2", "Device Configuration"],
      ["T3", "Data Protection"],
      ["T4", "Logical Access to Interfaces"],
      ["T5", "Software Update"],
      ["T6", "Cybersecurity State Awareness"],
      ["T7", "Device Security"],
    ]);
    expect(children("technical").map((c) => children(c.ref).length)).toEqual([4, 5, 4, 9, 2, 9, 5]);
    expect(get("T1").props?.mappingName).toBe("Device Identity");
    expect(get("T1").props?.definition).toBe(
      "The IoT device can be uniquely identified logically and physically.",
    );
  });

  it("lists the 4 non-technical capabilities A-D", () => {
    expect(children("non-technical").map((c) => [c.ref, c.label, c.props?.name])).toEqual([
      ["A", "A", "Documentation"],
      ["B", "B", "Information and Query Reception"],
      ["C", "C", "Information Dissemination"],
      ["D", "D", "Education and Awareness"],
    ]);
    expect(get("A").title).toBe("Documentation from the Manufacturer");
    expect(get("C").title).toBe("Information Dissemination – From the Manufacturer and/or Supporting Entity");
    expect(children("non-technical").map((c) => children(c.ref).length)).toEqual([4, 2, 2, 6]);
  });

  it("spot-checks technical wording", () => {
    const t11 = get("T1.1");
    expect(t11.title).toBe("Identifier Management Support");
    expect(t11.label).toBe("Identifier Management Support");
    expect(t11.text).toBe("Ability for device identification. Elements that may be necessary:");
    expect(t11.verification).toBe("checked");
    expect(get("T1.1.1").text).toBe("Ability to uniquely identify the IoT device logically.");
    expect(get("T1.1.1").props?.mappingRow).toBe(0);
    // A sub-capability printed as a heading and one paragraph has that paragraph as its element.
    expect(get("T1.4").text).toBeUndefined();
    expect(get("T1.4.1").text).toBe(
      "Ability to add a unique physical identifier at an external or internal location on the device authorized entities can access.",
    );
    expect(get("T3.3.3").text).toBe("Ability to “sanitize” or “purge” specific or all data in the device.");
    expect(get("T7.5.8.6").kind).toBe("sub-element");
    expect(get("T7.5.8.6").text).toBe("Manufacturer defined capability");
    expect(get("T7.5.8").props?.mappingRow).toBe(160);
  });

  it("follows NIST's mapping where the page markup is off", () => {
    // Device Configuration Control: the three configuration settings sit under their lead-in.
    expect(children("T2.5").length).toBe(3);
    expect(get("T2.5.3").text).toBe(
      "Configuration settings for use with the Device Configuration capability including, but not limited to:",
    );
    expect(children("T2.5.3").map((c) => c.text)).toEqual([
      "Ability for authorized entities to configure the cryptography use itself, such as choosing a key length.",
      "Ability to configure any remote update mechanisms to be either automatically or manually initiated for update downloads and installations.",
      "Ability to enable or disable notification when an update is available and specify who or what is to be notified.",
    ]);
    // Update Application Support: the conditional lead-in is kept as a condition.
    expect(children("T5.2").map((c) => c.props?.conditional ?? false)).toEqual([false, true, true]);
    expect(get("T5.2.2").props?.condition).toBe(
      "If software updates are delivered and applied automatically",
    );
    // Authentication Support: three elements, the one-line restatement kept in the notes.
    expect(children("T4.1").length).toBe(3);
    expect(get("T4.1").notes).toContain("Hard Tokens; etc.");
    expect(children("T4.1.2.2").length).toBe(6);
  });

  it("spot-checks non-technical wording", () => {
    expect(get("A.1").label).toBe("1)");
    expect(get("A.1").title).toBe(
      "Document assumptions made during the development process and other expectations related to the IoT device.",
    );
    expect(get("A.1.a").label).toBe("a.");
    expect(get("A.1.a").title).toBe("Expected customers and use cases");
    expect(get("A.1.a.1").label).toBe("1.");
    expect(get("A.1.a.1").title).toBe(
      "Device acquisition and maintenance: Establish communications describing the IoT device security, authorization, and supporting maintenance requirements.",
    );
    expect(get("A.1.a.1.1").kind).toBe("action");
    expect(get("A.1.a.1.1").text).toBe(
      "Providing details for the device security capabilities, along with how to implement the security management and operational controls, and supporting maintenance activities, for the IoT device.",
    );
    expect(get("A.1.a.1.1").props?.mappingRow).toBe(1);
    expect(get("B.2.a.4").title).toBe(
      "Establish a customer services support communications capability to respond to customer calls and queries.",
    );
    expect(get("D.6.a.2.2").text).toBe(
      "Providing the education explaining the processes that the manufacturer, or supporting entities, will follow to communicate the IoT device remediation efforts with stakeholders (IoT device customers, users, etc.).",
    );
    // A.1.h.1: six actions (as in the mapping), the second with five sub-actions.
    expect(children("A.1.h.1").length).toBe(6);
    expect(children("A.1.h.1.2").map((c) => c.kind)).toEqual(Array(5).fill("sub-action"));
  });

  it("keeps examples in props without counting them, except the one NIST's mapping makes an action", () => {
    const examples = get("D.1.b.1.1").props?.examples;
    expect(Array.isArray(examples)).toBe(true);
    expect((examples as string[]).length).toBeGreaterThan(0);
    expect(
      (examples as string[]).some((e) => e.startsWith("Providing awareness communications (e.g., posters")),
    ).toBe(false);
    const promoted = data.items.filter((i) =>
      i.text?.startsWith("Providing awareness communications (e.g., posters"),
    );
    expect(promoted.map((i) => [i.ref, i.kind])).toEqual([["D.1.b.1.2", "action"]]);
    expect(children("D.1.b.1").length).toBe(5);
  });

  it("joins elements and actions to distinct rows of NIST's draft mapping", () => {
    const techRows = data.items.filter((i) => i.kind === "element").map((i) => i.props?.mappingRow);
    expect([...techRows].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 161 }, (_, k) => k),
    );
    const actionRows = data.items.filter((i) => i.kind === "action").map((i) => i.props?.mappingRow);
    expect(actionRows.every((r) => typeof r === "number")).toBe(true);
    expect(new Set(actionRows).size).toBe(181);
    const promoted = data.items.find((i) => i.props?.mappingRow === 174 && i.kind === "action");
    expect(promoted?.ref).toBe("D.1.b.1.2");
    expect(promoted?.notes).toMatch(/prints this bullet as an example/);
  });

  it("has clean text and a verification on every item", () => {
    for (const i of data.items) {
      expect(["checked", "to-verify"]).toContain(i.verification);
      expect(i.title.length).toBeGreaterThan(0);
      for (const s of [i.title, i.text ?? ""]) {
        expect(s, i.ref).not.toMatch(/&#\d+;|&[a-z]+;|\*\*|\{%|\{:|<br|<\/?details| {2}|\t|^\s|\s$/);
      }
    }
    const checked = data.items.filter((i) => i.verification === "checked").length;
    expect(checked).toBeGreaterThan(400);
    expect(get("T3.1.5").verification).toBe("to-verify");
    expect(get("T3.1.5").notes).toContain("Draft mapping row 20");
  });
});
