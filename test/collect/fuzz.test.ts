import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseSbom } from "../../src/collect/sbom/analyse.js";
import { analyseVulns } from "../../src/collect/vulns/analyse.js";
import { feedKindOf, parseKev, parseNvd, parseOsv } from "../../src/collect/vulns/feeds.js";
import type { FeedSet } from "../../src/collect/vulns/model.js";
import { vexStatements } from "../../src/collect/vulns/vex.js";
import { fixture } from "../helpers/cli.js";

/**
 * Hostile inputs for every parser: truncated, bytes flipped, values of the wrong type, huge strings
 * and arrays, deep nesting. Each must give a report or a list of problems: no exception, no hang.
 * Deterministic (seeded) so that a failure can be replayed.
 */

const RUNS = 10_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { components: [v] };
  return v;
}

function hostileValue(r: () => number): unknown {
  switch (Math.floor(r() * 12)) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 1e6) - 5e5;
    case 2:
      return "";
    case 3:
      return "x".repeat(r() < 0.002 ? 1_000_000 : Math.floor(r() * 2000));
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return Array.from({ length: Math.floor(r() * 300) }, (_, i) => (i % 2 ? { "bom-ref": "dup" } : "dup"));
    case 7:
      // JSON.stringify recurses: deeper nesting is built as text in hostileBytes.
      return deep(Math.floor(r() * 1000), "leaf", r() < 0.5);
    case 8:
      return true;
    case 9:
      return { __proto__: { polluted: true }, constructor: "x", valueOf: 1, toString: [] };
    case 10:
      return "pkg:npm/%E0%A4%A@1.0";
    default:
      return 1e308 * 10 === Infinity ? -0 : 0;
  }
}

/** Replaces a random node of a JSON tree with a hostile value (in place). */
function mutateTree(value: unknown, r: () => number): unknown {
  if (value === null || typeof value !== "object" || r() < 0.15) return hostileValue(r);
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  if (keys.length === 0) return hostileValue(r);
  const k = keys[Math.floor(r() * keys.length)] as string | number;
  const o = value as Record<string | number, unknown>;
  o[k] = mutateTree(o[k], r);
  if (r() < 0.1 && Array.isArray(value)) value.push(...value.slice(0, 50));
  return value;
}

/** Nesting far deeper than any stack, as text: JSON.parse copes, recursive code would not. */
function deepText(seed: string, r: () => number): Uint8Array {
  const n = 10_000 + Math.floor(r() * 20_000);
  const key = seed.includes('"bomFormat"')
    ? '{"bomFormat":"CycloneDX","specVersion":"1.6","components":'
    : '{"vulnerabilities":';
  const open = seed.includes('"bomFormat"') ? '[{"type":"library","name":"n","components":' : '[{"cve":';
  return Buffer.from(`${key}${open.repeat(n)}[]${"}]".repeat(n)}}`, "utf8");
}

function hostileBytes(seed: string, r: () => number): Uint8Array {
  const bytes = Buffer.from(seed, "utf8");
  if (r() < 0.002) return deepText(seed, r);
  switch (Math.floor(r() * 4)) {
    case 0:
      return bytes.subarray(0, Math.floor(r() * bytes.length));
    case 1: {
      const out = Buffer.from(bytes);
      for (let i = 0; i < 1 + r() * 6; i++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
      return out;
    }
    default:
      return Buffer.from(JSON.stringify(mutateTree(JSON.parse(seed), r)), "utf8");
  }
}

function info(bytes: Uint8Array) {
  return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

function wellFormed(r: CollectorReport): void {
  expect(typeof r.valid).toBe("boolean");
  expect(Array.isArray(r.checks) && r.checks.length > 0).toBe(true);
  expect(Array.isArray(r.proposals)).toBe(true);
}

const sbomSeeds = readdirSync(fixture("sbom"))
  .filter((f) => f.endsWith(".json") && f !== "truncated.cdx.json")
  .map((f) => readFileSync(join(fixture("sbom"), f), "utf8"));
const feedDir = fixture("vulns", "feeds");
const feedSeeds = [
  readFileSync(join(feedDir, "osv", "GHSA-jfh8-c2jp-5v3q.json"), "utf8"),
  readFileSync(join(feedDir, "osv", "CAIRN-TEST-GIT-0001.json"), "utf8"),
  readFileSync(join(feedDir, "nvd-cve-api-2.0.json"), "utf8"),
  readFileSync(join(feedDir, "known_exploited_vulnerabilities.json"), "utf8"),
];
const vexSeeds = readdirSync(fixture("vulns", "vex")).map((f) =>
  readFileSync(join(fixture("vulns", "vex"), f), "utf8"),
);

describe(`fuzz: ${RUNS} hostile inputs per parser`, () => {
  it("SBOM collector", async () => {
    const r = rng(11);
    let slowest = 0;
    for (let i = 0; i < RUNS; i++) {
      const bytes = hostileBytes(sbomSeeds[i % sbomSeeds.length] as string, r);
      const t = performance.now();
      wellFormed(
        await analyseSbom({ bytes, info: info(bytes) }, { date: "2026-10-01", release: { version: "1" } }),
      );
      slowest = Math.max(slowest, performance.now() - t);
    }
    // No hang: the slowest input (a 30,000-deep nesting, or the validator's first load) stays far
    // below the collector's default 120 s limit even on a loaded machine.
    expect(slowest).toBeLessThan(20_000);
  }, 180_000);

  it("feed parsers (OSV, NVD, KEV)", () => {
    const r = rng(23);
    for (let i = 0; i < RUNS; i++) {
      const text = Buffer.from(hostileBytes(feedSeeds[i % feedSeeds.length] as string, r)).toString("utf8");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      feedKindOf(value);
      for (const parse of [parseOsv, parseNvd, parseKev]) {
        const out = parse(value, "fuzz");
        expect(Array.isArray(out.items) && Array.isArray(out.problems)).toBe(true);
      }
    }
  }, 120_000);

  it("VEX parsers (CycloneDX, OpenVEX, CSAF)", () => {
    const r = rng(37);
    for (let i = 0; i < RUNS; i++) {
      const text = Buffer.from(hostileBytes(vexSeeds[i % vexSeeds.length] as string, r)).toString("utf8");
      try {
        const statements = vexStatements(JSON.parse(text), "fuzz");
        if (statements)
          for (const s of statements) expect(Array.isArray(s.ids) && Array.isArray(s.products)).toBe(true);
      } catch (err) {
        expect(err).toBeInstanceOf(SyntaxError);
      }
    }
  }, 120_000);

  it("vulnerability matching on hostile SBOMs and hostile feeds", () => {
    const r = rng(41);
    for (let i = 0; i < RUNS; i++) {
      const sbom = hostileBytes(sbomSeeds[i % sbomSeeds.length] as string, r);
      const advisories = [];
      for (const seed of feedSeeds.slice(0, 3)) {
        try {
          const v = JSON.parse(Buffer.from(hostileBytes(seed, r)).toString("utf8"));
          advisories.push(...parseOsv(v, "f").items, ...parseNvd(v, "f").items);
        } catch {
          // truncated: nothing to add
        }
      }
      const feeds: FeedSet = {
        advisories,
        kev: new Map(),
        feeds: [{ id: "x", kind: "osv", file: "f", imported: "", records: advisories.length, rejected: 0 }],
      };
      wellFormed(
        analyseVulns(
          { bytes: sbom, info: info(sbom) },
          { date: "2026-10-01", options: { feeds, vexStatements: [] } },
        ),
      );
    }
  }, 180_000);
});
