import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/model.js";
import { groupFindings } from "../../web/src/lib/finding-groups.js";

// The assessment page's groups on the worked example's profile (495 items of five texts): every item
// in exactly one group, the NIST capabilities first with SP 800-213A's items under the capability or
// activity the plan puts them in, the other texts by their own sections, depth from `parent`.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const profile = JSON.parse(
  readFileSync(join(ROOT, "examples/smart-thermostat/assessment/profile.json"), "utf8"),
) as Profile;

describe("findings grouped by capability", () => {
  const groups = groupFindings(profile.items);
  const where = new Map<string, string>();
  for (const g of groups) for (const r of g.items) where.set(r.item.id, g.key);

  it("puts every item of the profile in exactly one group", () => {
    expect(groups.reduce((n, g) => n + g.items.length, 0)).toBe(profile.items.length);
    expect(where.size).toBe(profile.items.length);
  });

  it("opens with the six 8259A capabilities and the four 8259B activities, in their order, titled by the catalog", () => {
    expect(groups.slice(0, 10).map((g) => g.key)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => `nist-ir-8259a:${n}`),
      ...[1, 2, 3, 4].map((n) => `nist-ir-8259b:${n}`),
    ]);
    expect(groups[0]?.title).toBe("Device Identification (NISTIR 8259A 1)");
    expect(groups[6]?.title).toBe("Documentation (NISTIR 8259B 1)");
  });

  it("files SP 800-213A technical items under their 8259A capability, non-technical ones under 8259B", () => {
    expect(where.get("nist-sp-800-213a:T1.1.1")).toBe("nist-ir-8259a:1");
    expect(where.get("nist-sp-800-213a:T5.2.2")).toBe("nist-ir-8259a:5");
    expect(where.get("nist-sp-800-213a:A.1.a.1.6")).toBe("nist-ir-8259b:1");
    expect(where.get("nist-sp-800-213a:C.1.a.1.2")).toBe("nist-ir-8259b:3");
    // Device security (T7) has no 8259A capability: its own section.
    expect(where.get("nist-sp-800-213a:T7.1.1")).toBe("nist-sp-800-213a#T7");
    const cap1 = groups.find((g) => g.key === "nist-ir-8259a:1");
    expect(cap1?.texts).toEqual(["NISTIR 8259A", "SP 800-213A"]);
  });

  it("groups the other texts by their sections", () => {
    expect(where.get("etsi-en-303-645:5.1-1")).toBe("etsi-en-303-645#5.1");
    expect(where.get("etsi-en-303-645:5.1-5")).toBe("etsi-en-303-645#5.1");
    expect(where.get("eu-cra:annex-i.part-ii.5")).toBe("eu-cra#annex-i.part-ii");
    expect(where.get("eu-cra:art-14.2.a")).toBe("eu-cra#art-14");
    expect(groups.find((g) => g.key === "eu-cra#annex-i.part-ii")?.title).toBe("CRA Annex I Part II");
  });

  it("gives each item its depth in the profile's hierarchy", () => {
    const depth = new Map(groups.flatMap((g) => g.items.map((r) => [r.item.id, r.depth] as const)));
    expect(depth.get("nist-ir-8259a:1")).toBe(0);
    for (const i of profile.items) if (i.parent) expect(depth.get(i.id)).toBeGreaterThan(0);
  });
});
