// Hostile-input fuzzing of OSCAL profile resolution (runs in CI with the other tests, in seconds):
// 10,000 profiles and catalogs derived from seed documents by random type confusion, circular and
// repeated imports, deep nesting, huge strings and crafted glob patterns. Seeds: our own fixtures
// (test/fixtures/oscal-resolution/) and, from reference/ (NIST's, see reference/PROVENANCE.md), two
// SP 800-53B baseline profiles and a slice of the SP 800-53 Rev. 5.0.1 catalog. Every case must
// end with a result or clean error problems: no exception, no hang (a time limit per case),
// bounded memory. The JSON reader gets hostile texts, and a sample goes through the whole CLI
// (exit 0 or 1, never the internal-error exit 3).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOscalJson } from "../src/cli/oscal-files.js";
import { CairnError } from "../src/core/problem.js";
import { resolveProfile } from "../src/oscal/profile-resolve.js";
import { cli, ROOT } from "./helpers/cli.js";

const json = (f: string) => JSON.parse(readFileSync(join(ROOT, f), "utf8"));
const FIX = "test/fixtures/oscal-resolution/";
const REF = "reference/nist/oscal/";
const PROFILES = [
  ...[
    "include-all-asis.json",
    "include-by-id.json",
    "include-by-match.json",
    "exclude-with-child-controls.json",
    "loose-params-asis.json",
    "combine-use-first.json",
    "custom.json",
    "set-parameters.json",
    "alter-remove.json",
    "alter-add.json",
    "import-by-resource.json",
    "backmatter.json",
  ].map((f) => json(FIX + f)),
  json(`${REF}sp800-53b-rev5-low-baseline-profile.oscal.json`),
  json(`${REF}sp800-53b-rev5-privacy-baseline-profile.oscal.json`),
];

/** The first controls of the AC family, with a few back-matter resources: real nesting and prose. */
function sp80053Slice() {
  const full = json(`${REF}sp800-53-rev5.0.1-catalog.oscal.json`).catalog;
  const ac = full.groups[0];
  return {
    catalog: {
      uuid: full.uuid,
      metadata: full.metadata,
      groups: [{ ...ac, controls: ac.controls.slice(0, 4) }],
      "back-matter": { resources: full["back-matter"].resources.slice(0, 12) },
    },
  };
}
const CATALOGS = [
  json(`${FIX}catalogs/device-basics.json`),
  json(`${FIX}catalogs/device-extras.json`),
  json(`${FIX}catalogs/kept-things.json`),
  sp80053Slice(),
];
const CUSTOM = {
  groups: [
    { id: "g", title: "G", "insert-controls": [{ "include-controls": [{ matching: [{ pattern: "a*" }] }] }] },
  ],
  "insert-controls": [{ "include-all": {}, order: "descending" }],
};

/** mulberry32: a small seeded generator, so that every run fuzzes the same cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(levels: number, make: (inner: unknown) => unknown, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = make(v);
  return v;
}

const HREFS = [
  "cat.json",
  "self.json",
  "other.json",
  "missing.json",
  "#res",
  "https://example.org/c.json",
  "/etc/passwd",
  "",
];

function hostileValue(r: () => number): unknown {
  const pick = Math.floor(r() * 16);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 2 ** 31) - 2 ** 30;
    case 2:
      return r() < 0.5;
    case 3:
      return "";
    case 4:
      return "x".repeat(1 + Math.floor(r() * 200_000)); // huge string
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return [null, 1, "a", {}];
    case 8:
      return deep(50 + Math.floor(r() * 250), (v) => [v], 0); // deep arrays
    case 9:
      return deep(
        50 + Math.floor(r() * 250),
        (v) => ({ controls: [{ id: "d", title: "D", controls: [v] }] }),
        {},
      );
    case 10:
      return HREFS[Math.floor(r() * HREFS.length)];
    case 11:
      return `${"*a".repeat(Math.floor(r() * 300))}*b`; // backtracking bait for regex globs
    case 12:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
    case 13:
      return "{{ insert: param, acc-1_prm }} #37d4d987-d90f-4597-a3ac-1cdb45102762";
    case 14:
      return { "include-all": {} };
    default:
      return "acc-1";
  }
}

/** Every [container, key] inside a value (objects and arrays), for picking mutation points. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = [], depth = 0) {
  if (depth > 40 || v === null || typeof v !== "object") return out;
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out, depth + 1);
    });
  else
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out.push([v as Record<string, unknown>, k]);
      slots(x, out, depth + 1);
    }
  return out;
}

function mutate<T>(doc: T, r: () => number, times: number): T {
  const copy = structuredClone(doc);
  // Slots are gathered once: a later mutation may land in a subtree an earlier one replaced,
  // which is harmless (and cheaper than walking the document again).
  const all = times > 0 ? slots(copy) : [];
  for (let i = 0; i < times && all.length; i++) {
    const [holder, key] = all[Math.floor(r() * all.length)] as [
      Record<string | number, unknown>,
      string | number,
    ];
    const what = r();
    if (what < 0.15 && !Array.isArray(holder)) delete holder[key];
    else if (what < 0.25 && Array.isArray(holder[key])) {
      const list = holder[key] as unknown[];
      const n = 1 + Math.floor(r() * 60);
      for (let k = 0; k < n && list.length; k++) list.push(list[k % list.length]); // repeats
    } else holder[key] = hostileValue(r);
  }
  return copy;
}

function hostileCase(i: number) {
  const r = rng(i + 1);
  let profile = structuredClone(PROFILES[i % PROFILES.length]);
  const catalog = mutate(CATALOGS[Math.floor(r() * CATALOGS.length)], r, Math.floor(r() * 4));
  const p = profile.profile;
  // Point the imports at the in-memory documents, often circularly or repeatedly.
  p.imports = p.imports.map(() => ({
    href: HREFS[Math.floor(r() * 4)],
    ...(r() < 0.5
      ? { "include-all": {} }
      : { "include-controls": [{ matching: [{ pattern: r() < 0.5 ? "*" : "a*" }] }] }),
  }));
  if (r() < 0.2) for (let k = 0; k < 12; k++) p.imports.push({ href: "cat.json", "include-all": {} });
  if (r() < 0.2) p.merge = { custom: CUSTOM };
  if (r() < 0.2) p.merge = { combine: { method: "use-first" }, "as-is": true };
  profile = mutate(profile, r, Math.floor(r() * 5));
  const other = mutate(PROFILES[(i + 3) % PROFILES.length], r, Math.floor(r() * 3));
  const docs: Record<string, unknown> = {
    "cat.json": catalog,
    "self.json": profile,
    "other.json": other,
  };
  const inner = (other as { profile?: unknown } | null)?.profile;
  if (inner && typeof inner === "object" && !Array.isArray(inner))
    (inner as { imports: unknown }).imports = [{ href: "self.json", "include-all": {} }];
  return { profile, docs };
}

const CASES = 10_000;

describe("profile resolution fuzzing", () => {
  it(`${CASES} hostile profiles and catalogs: clean problems, no exception, no hang, bounded memory`, () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    let errors = 0;
    for (let i = 0; i < CASES; i++) {
      const { profile, docs } = hostileCase(i);
      const t = performance.now();
      let result: ReturnType<typeof resolveProfile>;
      // Every 8th case loads a fresh copy on each import (no cache: cycles must still be caught by
      // location, as in import-oscal before); the others share one copy per document.
      const fresh = i % 8 === 0;
      try {
        result = resolveProfile(
          profile,
          (href) => {
            // Loaders throw for what they refuse, as the CLI's does.
            if (!(href in docs)) throw new CairnError(`${href}: refused`);
            return (fresh ? structuredClone(docs[href]) : docs[href]) as never;
          },
          { href: "self.json", lastModified: "2026-01-01T00:00:00Z", limits: { timeMs: 2000 } },
        );
      } catch (e) {
        throw new Error(`case ${i} threw: ${(e as Error).stack}`);
      }
      slowest = Math.max(slowest, performance.now() - t);
      for (const p of result.problems) {
        if (typeof p.message !== "string" || p.message === "")
          throw new Error(`case ${i}: a problem without a message`);
        if (p.severity === "error") errors++;
      }
      // What would be written can be written.
      JSON.stringify(result.document);
    }
    expect(errors).toBeGreaterThan(CASES / 10); // the fuzzing does reach the error paths
    expect(slowest).toBeLessThan(3000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(1024 * 1024 * 1024);
  }, 120_000);

  it("the JSON reader refuses hostile text cleanly and never quotes it", () => {
    const texts = [
      "root:x:0:0:root:/root:/bin/bash",
      "[".repeat(1_000_000),
      `${"[".repeat(300)}${"]".repeat(300)}`,
      `{"a": "${"\\\\".repeat(10)}", "b": [${"{".repeat(400)}`,
      "\u0000\u0001\u0002root:x",
      '{"secret": "root:x:0:0"',
    ];
    for (const t of texts) {
      let message = "";
      try {
        parseOscalJson(Buffer.from(t), "doc.json");
      } catch (e) {
        expect(e).toBeInstanceOf(CairnError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/^doc\.json: (not valid JSON|JSON nested deeper)/);
      expect(message).not.toMatch(/root/);
    }
  });

  it("a sample through the whole CLI exits 0 or 1, never with an internal error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-fuzz-"));
    for (let i = 0; i < 150; i++) {
      const { profile, docs } = hostileCase(i * 67);
      for (const [name, doc] of Object.entries(docs)) writeFileSync(join(dir, name), JSON.stringify(doc));
      writeFileSync(join(dir, "self.json"), JSON.stringify(profile));
      const r = await cli("profile", "resolve", join(dir, "self.json"), "-o", join(dir, "out.json"));
      expect([0, 1], `case ${i * 67}: ${r.stderr}`).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  }, 120_000);
});
