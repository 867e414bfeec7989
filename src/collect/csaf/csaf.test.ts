import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, jsonMutator, mutator } from "../../../test/helpers/fuzz.js";
import { csafCollector as c } from "./index.js";
import { matchProduct, productsOf, relationshipsOf, vulnerabilitiesOf } from "./product-tree.js";
import { CSAF_TEST_TITLES, EXCLUDED_TESTS } from "./tests.js";

const northwind = {
  product: { manufacturer: "Northwind Controls", model: "T-800" },
  release: { version: "4.2.0" },
};
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const load = (name: string) => JSON.parse(new TextDecoder().decode(fixture("csaf", name)));

/** The test vectors the validator library ships: <test>/<valid|failing>/<file>.json. */
function vectors(): { test: string; expectValid: boolean; file: string }[] {
  const root = join(FIXTURES, "csaf", "validator-lib");
  const out: { test: string; expectValid: boolean; file: string }[] = [];
  for (const test of readdirSync(root))
    for (const kind of ["valid", "failing"])
      for (const file of (() => {
        try {
          return readdirSync(join(root, test, kind));
        } catch {
          return [];
        }
      })())
        out.push({ test, expectValid: kind === "valid", file: `validator-lib/${test}/${kind}/${file}` });
  return out;
}

// The library compiles its schemas on first import: seconds, more on a loaded machine.
describe("CSAF collector", { timeout: 180_000 }, () => {
  it("covers every CSAF 2.0 test of section 6 but the three that need the network or hunspell", () => {
    expect(CSAF_TEST_TITLES.length).toBe(74);
    expect(Object.keys(EXCLUDED_TESTS)).toEqual(["6.3.6", "6.3.7", "6.3.8"]);
  });

  it("agrees with the expected result of every test vector the validator library ships", async () => {
    const all = vectors();
    expect(all.length).toBe(59);
    const disagreements: string[] = [];
    for (const v of all) {
      const section = v.test.replace(/^[a-z]+Test_/, "").replaceAll("_", ".");
      const group = v.test.startsWith("mandatory")
        ? "mandatory"
        : v.test.startsWith("optional")
          ? "optional"
          : "informative";
      const r = await run(c, fixture("csaf", v.file), { options: { tests: "all" } });
      const outcomes = results(r, `csaf.${group}.${section}`);
      const passed = outcomes.length > 0 && outcomes.every((o) => o === "pass");
      if (passed !== v.expectValid) disagreements.push(`${v.file}: ${outcomes.join(",")}`);
    }
    expect(disagreements).toEqual([]);
  }, 180_000);

  it("validates a security advisory, matches the product tree and proposes disclosure items", async () => {
    const r = await run(c, fixture("csaf", "northwind/nwc-2026-0007.json"), northwind);
    expect(r.valid).toBe(true);
    expect(r.format).toBe("csaf-2.0-csaf_security_advisory");
    expect(results(r, "csaf.schema")).toEqual(["pass"]);
    expect(r.checks.filter((x) => x.id.startsWith("csaf.mandatory.")).length).toBe(43);
    expect(r.checks.some((x) => x.id.startsWith("csaf.optional."))).toBe(false);
    expect(results(r, "csaf.product-tree.product")).toEqual(["pass"]);
    expect(results(r, "csaf.product-tree.release")).toEqual(["pass"]);
    expect(r.productMatch).toMatchObject({ releaseIds: ["T800-4.2.0"] });
    expect(r.vulnerabilities).toEqual([
      expect.objectContaining({
        cve: "CVE-2026-31337",
        statuses: { fixed: ["T800-4.2.0"], known_affected: ["T800-4.1.3"] },
      }),
    ]);
    expect(proposal(r, "eu-cra:annex-i.part-ii.4")).toMatchObject({ verdict: "pass", strength: "supports" });
    expect(proposal(r, "nist-ir-8259b:3.2.a")).toMatchObject({ verdict: "pass", strength: "supports" });
  });

  it("is inconclusive for a product the tree does not name, and for an invalid document", async () => {
    const other = await run(c, fixture("csaf", "northwind/nwc-2026-0007.json"), {
      product: { manufacturer: "Acme", model: "Widget" },
    });
    expect(results(other, "csaf.product-tree.product")).toEqual(["warn"]);
    expect(proposal(other, "eu-cra:annex-i.part-ii.6")?.verdict).toBe("inconclusive");
    const doc = load("northwind/nwc-2026-0007.json");
    doc.vulnerabilities[0].product_status.fixed.push("T800-9.9.9"); // 6.1.1: missing definition
    const broken = await run(c, json(doc), northwind);
    expect(broken.valid).toBe(false);
    expect(results(broken, "csaf.mandatory.6.1.1")).toContain("fail");
    expect(proposal(broken, "eu-cra:annex-i.part-ii.4")?.verdict).toBe("inconclusive");
  });

  it("runs the VEX profile tests and reports statuses for the assessed product", async () => {
    const r = await run(c, fixture("csaf", "northwind/nwc-vex-2026-0002.json"), northwind);
    expect(r.valid).toBe(true);
    expect(results(r, "csaf.mandatory.6.1.27.7")).toEqual(["pass"]);
    expect(r.vulnerabilities).toEqual([
      expect.objectContaining({ cve: "CVE-2022-37434", statuses: { known_not_affected: ["T800-4.2.0"] } }),
    ]);
    const doc = load("northwind/nwc-vex-2026-0002.json");
    delete doc.vulnerabilities[0].flags; // 6.1.27.9: known_not_affected needs an impact statement
    const r2 = await run(c, json(doc), northwind);
    expect(results(r2, "csaf.mandatory.6.1.27.9")).toContain("fail");
  });

  it("runs optional and informative tests only on request", async () => {
    const r = await run(c, fixture("csaf", "northwind/nwc-vex-2026-0002.json"), {
      options: { tests: "optional" },
    });
    expect(results(r, "csaf.optional.6.2.13")).toContain("warn");
    expect(r.checks.some((x) => x.id.startsWith("csaf.informative."))).toBe(false);
    await expect(
      run(c, fixture("csaf", "northwind/nwc-vex-2026-0002.json"), { options: { tests: "bogus" } }),
    ).rejects.toThrow(/--tests: unknown test group "bogus"/);
  });

  it("checks provider-metadata.json and the roles' requirements", async () => {
    const ok = await run(c, fixture("csaf", "northwind/provider-metadata.json"));
    expect(ok.valid).toBe(true);
    expect(ok.format).toBe("csaf-2.0-provider-metadata");
    expect(results(ok, "csaf.provider.canonical-url")).toEqual(["pass"]);
    expect(results(ok, "csaf.provider.openpgp-keys")).toEqual(["pass"]);
    const doc = load("northwind/provider-metadata.json");
    doc.public_openpgp_keys = [];
    doc.distributions[0].rolie.feeds[0].url = "http://northwind.example/feed.json";
    doc.publisher.category = "manufacturer";
    delete doc.mirror_on_CSAF_aggregators;
    const bad = await run(c, json(doc));
    expect(bad.valid).toBe(false);
    expect(results(bad, "csaf.provider.openpgp-keys")).toEqual(["fail"]);
    expect(results(bad, "csaf.provider.tls")).toEqual(["fail"]);
    expect(bad.checks.filter((x) => x.id === "csaf.provider.schema").map((x) => x.location)).toEqual([
      "/",
      "/publisher/category",
    ]);
  });

  it("checks aggregator.json: structure, disjoint parties, mirrors", async () => {
    const agg = await run(c, fixture("csaf", "northwind/aggregator.json"));
    expect(agg.valid).toBe(true);
    expect(results(agg, "csaf.aggregator.disjoint")).toEqual(["pass"]);
    // Only one of the two parties is mirrored on the aggregator's own domain (7.2.5).
    expect(results(agg, "csaf.aggregator.mirrors")).toEqual(["fail"]);
    const doc = load("northwind/aggregator.json");
    doc.aggregator.category = "lister";
    expect(results(await run(c, json(doc)), "csaf.aggregator.mirrors")).toEqual(["fail"]);
    doc.csaf_providers = [doc.csaf_providers[1]];
    const one = await run(c, json(doc));
    expect(results(one, "csaf.aggregator.disjoint")).toEqual(["fail"]);
    expect(results(one, "csaf.aggregator.mirrors")).toEqual(["pass"]);
  });

  it("reports non-JSON input as invalid", async () => {
    const r = await run(c, new TextEncoder().encode("{ not json"));
    expect(r.valid).toBe(false);
    expect(results(r, "csaf.json")).toEqual(["fail"]);
  });

  it("detects CSAF documents and metadata", () => {
    expect(c.detect(fixture("csaf", "northwind/nwc-2026-0007.json"), undefined)).toBeGreaterThan(0.8);
    expect(c.detect(fixture("csaf", "northwind/provider-metadata.json"), undefined)).toBeGreaterThan(0.8);
    expect(c.detect(fixture("csaf", "northwind/aggregator.json"), undefined)).toBeGreaterThan(0.8);
    expect(c.detect(fixture("security-txt", "northwind-signed.security.txt"), undefined)).toBe(0);
  });

  it("survives 10,000 hostile byte-level inputs (JSON reading, metadata checks)", async () => {
    // Byte-level mutations that still parse as CSAF would run the library's 43 tests each; those get
    // their own, smaller run below. Here the documents are metadata or break JSON.
    const seeds = ["northwind/provider-metadata.json", "northwind/aggregator.json"].map((n) =>
      fixture("csaf", n),
    );
    await fuzzCollector(
      c,
      mutator(seeds, ['"', "{", "}", "[", "]", ",", "null", '"metadata_version":"2.0"', "\\u0000"]),
      {
        runs: 10_000,
      },
    );
  }, 120_000);

  it("walks 10,000 hostile product trees and vulnerability lists without failing", () => {
    const seeds = ["northwind/nwc-2026-0007.json", "northwind/nwc-vex-2026-0002.json"].map(load);
    const next = jsonMutator(seeds, 4242);
    const dec = new TextDecoder();
    for (let i = 0; i < 10_000; i++) {
      const doc = JSON.parse(dec.decode(next()));
      if (doc === null || typeof doc !== "object" || Array.isArray(doc)) continue;
      const products = productsOf(doc);
      const m = matchProduct(products, relationshipsOf(doc), northwind.product, "4.2.0");
      vulnerabilitiesOf(doc, new Set(m.productIds));
    }
  }, 60_000);

  // A sample (the schema and 43 library tests each); `npm run fuzz` runs 10,000.
  it("survives 300 hostile JSON documents through the schema and the library's mandatory tests", async () => {
    const seeds = ["northwind/nwc-2026-0007.json", "northwind/nwc-vex-2026-0002.json"].map(load);
    await fuzzCollector(c, jsonMutator(seeds), { runs: 300, context: northwind, maxMs: 5000 });
  }, 120_000);
});
