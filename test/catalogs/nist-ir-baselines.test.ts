// Content checks of the bundled NIST IoT baseline catalogs (8259A, 8259B, 8425) and the EN 18031-1
// ids-only catalog. Reads the JSON files directly: no dependency on shared/ reference material.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, unknown>;
  verification?: string;
}
interface File {
  format: string;
  catalog: {
    id: string;
    version: string;
    terms: string;
    verification: string;
    kinds?: string[];
    completeness?: unknown;
  };
  items: Item[];
}

function load(id: string): File {
  return JSON.parse(readFileSync(new URL(`../../catalogs/${id}.json`, import.meta.url), "utf8")) as File;
}

function byRef(file: File): Map<string, Item> {
  return new Map(file.items.map((i) => [i.ref, i]));
}

function countKinds(file: File): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of file.items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return counts;
}

function text(file: File, ref: string): string | undefined {
  return byRef(file).get(ref)?.text;
}

const ids = ["nist-ir-8259a", "nist-ir-8259b", "nist-ir-8425", "cen-en-18031-1"];

describe.each(ids)("catalog %s: structure", (id) => {
  const file = load(id);
  it("is a cairn-catalog/1 file with unique refs", () => {
    expect(file.format).toBe("cairn-catalog/1");
    expect(file.catalog.id).toBe(id);
    expect(new Set(file.items.map((i) => i.ref)).size).toBe(file.items.length);
  });
  it("lists every parent before its children, with kinds declared in order", () => {
    const seen = new Map<string, Item>();
    const kinds = file.catalog.kinds ?? [];
    for (const item of file.items) {
      expect(kinds).toContain(item.kind);
      if (item.parent !== undefined) {
        const parent = seen.get(item.parent);
        expect(parent, `${item.ref} -> ${item.parent}`).toBeDefined();
        if (parent) expect(kinds.indexOf(parent.kind)).toBeLessThan(kinds.indexOf(item.kind));
      } else {
        expect(item.kind).toBe(kinds[0]);
      }
      seen.set(item.ref, item);
    }
  });
  it("marks every item checked or to-verify, and checked items name their second copy", () => {
    for (const item of file.items) {
      expect(["checked", "to-verify"]).toContain(item.verification);
      if (item.verification === "checked" && item.kind !== "section") {
        const against = item.props?.checkedAgainst ?? item.props?.sources;
        expect(Array.isArray(against) && against.length > 0, item.ref).toBe(true);
      }
    }
  });
  it("ends with a newline and is 2-space indented", () => {
    const raw = readFileSync(new URL(`../../catalogs/${id}.json`, import.meta.url), "utf8");
    expect(raw.endsWith("}\n")).toBe(true);
    expect(raw.startsWith('{\n  "format"')).toBe(true);
  });
});

describe("NISTIR 8259A", () => {
  const file = load("nist-ir-8259a");
  const items = byRef(file);
  it("has 6 capabilities, 22 elements and 2 sub-elements", () => {
    expect(countKinds(file)).toEqual({ capability: 6, element: 22, "sub-element": 2 });
    expect(file.catalog.version).toBe("2020-05");
    expect(file.catalog.terms).toBe("full-text");
  });
  it("has the capabilities in NIST's order with their element counts", () => {
    const caps = file.items.filter((i) => i.kind === "capability");
    expect(caps.map((c) => c.label)).toEqual([
      "Device Identification",
      "Device Configuration",
      "Data Protection",
      "Logical Access to Interfaces",
      "Software Update",
      "Cybersecurity State Awareness",
    ]);
    const elementCounts = caps.map((c) => file.items.filter((i) => i.parent === c.ref).length);
    expect(elementCounts).toEqual([2, 3, 3, 3, 6, 5]);
    expect(file.items.filter((i) => i.parent === "5.6").map((i) => i.ref)).toEqual(["5.6.a", "5.6.b"]);
  });
  it("carries NIST's exact wording", () => {
    expect(text(file, "1")).toBe("The IoT device can be uniquely identified logically and physically.");
    expect(text(file, "1.2")).toBe(
      "A unique physical identifier at an external or internal location on the device authorized entities can access",
    );
    expect(text(file, "2")).toBe(
      "The configuration of the IoT device's software can be changed, and such changes can be performed by authorized entities only.",
    );
    expect(text(file, "4.3")).toBe(
      "Configuration settings for use with the Device Configuration capability including, but not limited to, the ability to enable, disable, and adjust thresholds for any ability the device might have to lock or disable an account or to delay additional authentication attempts after too many failed authentication attempts",
    );
    expect(text(file, "5.6.b")).toBe(
      "The ability to enable or disable notification when an update is available and specify who or what is to be notified",
    );
    expect(text(file, "6")).toBe(
      "The IoT device can report on its cybersecurity state and make that information accessible to authorized entities only.",
    );
  });
  it("uses ASCII apostrophes and gives elements their text as title", () => {
    for (const item of file.items) {
      expect(item.text ?? "").not.toMatch(/[\u2018\u2019]/);
      if (item.kind !== "capability") expect(item.title).toBe(item.text);
    }
    expect(items.get("3.1")?.parent).toBe("3");
  });
});

describe("NISTIR 8259B", () => {
  const file = load("nist-ir-8259b");
  it("has 4 capabilities, 14 actions and 30 sub-actions", () => {
    expect(countKinds(file)).toEqual({ capability: 4, action: 14, "sub-action": 30 });
    expect(file.catalog.version).toBe("2021-08");
  });
  it("has the four capabilities with their action counts", () => {
    const caps = file.items.filter((i) => i.kind === "capability");
    expect(caps.map((c) => c.label)).toEqual([
      "Documentation",
      "Information and Query Reception",
      "Information Dissemination",
      "Education and Awareness",
    ]);
    expect(caps.map((c) => file.items.filter((i) => i.parent === c.ref).length)).toEqual([4, 2, 2, 6]);
  });
  it("carries the wording of Table 1", () => {
    expect(text(file, "1")).toBe(
      "The ability for the manufacturer and/or the manufacturer's supporting entity, to create, gather, and store information relevant to cybersecurity of the IoT device prior to customer purchase, and throughout the development of a device and its subsequent lifecycle.",
    );
    expect(text(file, "1.1.e")).toBe(
      "Expected data inputs and outputs (including error codes, frequency, type/form, range of acceptable values, etc.)",
    );
    expect(text(file, "2.1")).toBe(
      "The ability for the manufacturer and/or supporting entity to receive maintenance and vulnerability information (e.g., bug reporting capabilities and bug bounty programs) from their customers and others in the IoT device ecosystem",
    );
    expect(text(file, "4.2")).toBe(
      "Educate customers and others about how an IoT device can be securely reprovisioned or disposed of.",
    );
  });
});

describe("NIST IR 8425", () => {
  const file = load("nist-ir-8425");
  it("has 2 parts, 6 + 4 capabilities and the transcribed sub-outcomes", () => {
    expect(countKinds(file)).toEqual({ part: 2, capability: 10, outcome: 14, "sub-outcome": 19 });
    expect(file.catalog.version).toBe("2022-09");
    const under = (part: string) =>
      file.items.filter((i) => i.kind === "capability" && i.parent === part).map((i) => i.label);
    expect(under("product")).toEqual([
      "Asset Identification",
      "Product Configuration",
      "Data Protection",
      "Interface Access Control",
      "Software Update",
      "Cybersecurity State Awareness",
    ]);
    expect(under("developer")).toEqual([
      "Documentation",
      "Information and Query Reception",
      "Information Dissemination",
      "Product Education and Awareness",
    ]);
    expect(file.items.filter((i) => i.parent === "P3").map((i) => i.label)).toEqual([
      "Data Protection 1",
      "Data Protection 2",
      "Data Protection 3",
    ]);
  });
  it("carries NIST's outcome wording", () => {
    expect(text(file, "P1")).toBe(
      "The IoT product is uniquely identifiable and inventories all of the IoT product's components.",
    );
    expect(text(file, "P3.2")).toBe(
      "The IoT product has the ability to delete or render inaccessible stored data that are either collected from or about the customer, home, family, etc.",
    );
    expect(text(file, "P6")).toBe(
      "The IoT product supports detection of cybersecurity incidents affecting or affected by IoT product components and the data they store and transmit.",
    );
  });
  it("says it is partial, and what is missing", () => {
    expect(file.catalog.verification).toBe("to-verify");
    expect(text(file, "D1")).toBeUndefined();
    const completeness = file.catalog.completeness as {
      status: string;
      gaps: { kind: string; description: string }[];
    };
    expect(completeness.status).toBe("partial");
    const missing = completeness.gaps
      .filter((g) => g.kind === "missing")
      .map((g) => g.description)
      .join(" ");
    expect(missing).toMatch(/Software Update/);
    expect(missing).toMatch(/Cybersecurity State Awareness/);
    expect(missing).toMatch(/outcome statements of the four non-technical capabilities/);
  });

  it("adds what public NIST material gives of P4-P6 and D1-D4, each with its source and to-verify", () => {
    // P4.1: NIST's OLIR text stops inside it: the opening words only, marked truncated, no text.
    const p41 = file.items.find((i) => i.ref === "P4.1");
    expect(p41?.label).toBe("Interface Access Control 1");
    expect(p41?.text).toBeUndefined();
    expect(p41?.props?.truncated).toBe(true);
    expect(p41?.props?.sourceWording).toBe(
      "Each IoT product component controls access to and from all interfaces (e.g., local interfaces, whether externally accessible or not, network interfaces, protocols, and services) in order to limit access to only authorized",
    );
    expect(p41?.verification).toBe("to-verify");
    // D1-D4: the sub-outcomes NIST CSWP 33 ipd lists from 8425, in its revised wording: structure
    // adopted, wording kept apart (props.cswp33Wording), never as 8425 text.
    const under = (parent: string) => file.items.filter((i) => i.parent === parent).map((i) => i.ref);
    expect(under("D1")).toEqual(["D1.1"]);
    expect(under("D1.1")).toEqual(["D1.1.a", "D1.1.b", "D1.1.c", "D1.1.d", "D1.1.e", "D1.1.f", "D1.1.g"]);
    expect(under("D2.1")).toEqual(["D2.1.a", "D2.1.b"]);
    expect(under("D3")).toEqual(["D3.1", "D3.2"]);
    expect(under("D3.1")).toEqual(["D3.1.a", "D3.1.b", "D3.1.c", "D3.1.d", "D3.1.e"]);
    expect(under("D4.1")).toEqual(["D4.1.1", "D4.1.2", "D4.1.3", "D4.1.4", "D4.1.5"]);
    const added = file.items.filter((i) => /^D\d\./.test(i.ref));
    expect(added).toHaveLength(24);
    for (const i of added) {
      expect(i.text, i.ref).toBeUndefined();
      expect(i.verification, i.ref).toBe("to-verify");
      expect(String(i.props?.structureFrom), i.ref).toMatch(/CSWP 33 ipd/);
    }
    expect(file.items.find((i) => i.ref === "D1.1.e")?.props?.cswp33Wording).toBe(
      "Maintenance requirements for the IoT product.",
    );
    // Nothing was found for P5 and P6 sub-outcomes: none is invented.
    expect(under("P5")).toEqual([]);
    expect(under("P6")).toEqual([]);
  });
});

describe("EN 18031-1 (ids only)", () => {
  const file = load("cen-en-18031-1");
  it("has 11 mechanisms and 33 requirement identifiers, no text", () => {
    expect(file.catalog.terms).toBe("ids-only");
    expect(countKinds(file)).toEqual({ section: 11, provision: 33 });
    for (const item of file.items) expect(item.text).toBeUndefined();
  });
  it("groups identifiers under their mechanism", () => {
    for (const item of file.items.filter((i) => i.kind === "provision")) {
      expect(item.ref.startsWith(`${item.parent}-`), item.ref).toBe(true);
      expect(item.label).toBe(item.ref);
    }
    const refs = file.items.map((i) => i.ref);
    expect(refs).toContain("AUM-5-2");
    expect(refs).not.toContain("LGM-1");
    expect(refs).not.toContain("GEC-8");
  });
});
