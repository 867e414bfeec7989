// The derived view's hot paths (issue 10): recomputing every derived verdict of the worked example
// (463 items) with 60 measures, and accepting 200 proposals in one request on SQLite (what
// POST /api/assessments/:id/proposals/accept does: read, compute the proposals, one change).
// Run with `npm run bench`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AssessmentCommand, applyCommand } from "../src/assessment/changes.js";
import { deriveVerdicts } from "../src/assessment/derive.js";
import { MEASURE_LIBRARY } from "../src/assessment/measure-library.js";
import type { Assessment } from "../src/assessment/model.js";
import { allProposals } from "../src/assessment/proposals.js";
import { loadCatalogs } from "../src/catalog/files.js";
import { bundledPath } from "../src/core/paths.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import type { Profile } from "../src/profile/model.js";
import { type AuditKey, loadAuditKey } from "../src/store/audit-key.js";
import { openStore } from "../src/store/database.js";
import { newId } from "../src/store/ids.js";
import { Repository } from "../src/store/repository.js";
import { report } from "./stats.js";

const EXAMPLE = bundledPath("examples", "smart-thermostat", "assessment");

function example(): { assessment: Assessment; profile: Profile } {
  return {
    assessment: JSON.parse(readFileSync(join(EXAMPLE, "assessment.json"), "utf8")),
    profile: JSON.parse(readFileSync(join(EXAMPLE, "profile.json"), "utf8")),
  };
}

/** The worked example with 42 more verified measures (60 in all), each linked to 8 leaf items. */
function sixtyMeasures(): { assessment: Assessment; profile: Profile } {
  const { assessment, profile } = example();
  let a: Assessment = { ...assessment, status: "in-progress" };
  const parents = new Set(profile.items.flatMap((i) => (i.parent ? [i.parent] : [])));
  const leaves = profile.items.filter((i) => !parents.has(i.id)).map((i) => i.id);
  const ctx = { by: "bench", name: "bench", at: "2026-10-03" };
  for (let i = 0; (a.measures ?? []).length < 60; i++) {
    const links = Array.from({ length: 8 }, (_, k) => leaves[(i * 37 + k * 11) % leaves.length] as string);
    const o = applyCommand(
      a,
      profile,
      {
        type: "add-measure",
        measure: {
          title: `Bench measure ${i}`,
          links: [...new Set(links)].map((item) => ({ item, coverage: k(i) })),
        },
      },
      ctx,
    );
    a = o.assessment;
    const id = (o.result as { id: string }).id;
    a = applyCommand(
      a,
      profile,
      { type: "verify-measure", measure: id, verification: { verdict: "pass", method: "test" } },
      ctx,
    ).assessment;
  }
  return { assessment: a, profile };
}
const k = (i: number) => (i % 3 === 0 ? "partial" : "full") as "partial" | "full";

export async function benchDesign(): Promise<void> {
  console.log("\n== derived verdicts and proposals ==");
  const { assessment, profile } = sixtyMeasures();
  for (let i = 0; i < 20; i++) deriveVerdicts(assessment, profile);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    deriveVerdicts(assessment, profile);
    times.push(performance.now() - t);
  }
  const f = deriveVerdicts(assessment, profile).figures;
  report(`derive, ${f.items} items, ${f.measures.active} measures (${f.derivedVerdicts} derived)`, times, 5);

  // Accepting 200 proposals in one request on SQLite: a fresh assessment of the example's profile
  // each time, with the library's measures linked and 8259A/8259B verdicts recorded, so the
  // crosswalks propose links and verdicts.
  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-design-"));
  try {
    const store = await openStore(join(dir, "cairn.sqlite"));
    const repo = new Repository(store, { auditKey: loadAuditKey(dir, { create: true }) as AuditKey });
    const actor = { id: "cli", via: "cli" as const };
    const { organisation } = await repo.identity.createOrganisation(
      "Bench Labs",
      { email: "bench@bench.test", name: "Bench", role: "admin", passwordHash: "scrypt$unused" },
      actor,
    );
    const org = organisation.id;
    const { registry } = loadCatalogs();
    const { set } = loadCrosswalks(registry);
    const p = { ...profile, id: newId("pro") };
    await repo.profiles.create(org, p, actor);
    const product = await repo.products.create(
      org,
      { manufacturer: "Bench", model: "T", category: "thermostat" },
      actor,
    );
    const held = new Set(p.items.map((i) => i.id));
    const setup: AssessmentCommand[] = [
      ...MEASURE_LIBRARY.map((m) => ({
        type: "add-measure" as const,
        measure: { title: m.title, links: m.links.filter((l) => held.has(l.item)) },
      })),
      ...p.items
        .filter((i) => i.catalog === "nist-ir-8259b" || i.catalog === "nist-ir-8259a")
        .map((i) => ({ type: "record-finding" as const, item: i.id, update: { verdict: "pass" as const } })),
    ];
    const ctx = { by: "bench@bench.test", name: "Bench", at: "2026-10-03T10:00:00Z" };
    const accept: number[] = [];
    const phases = { read: 0, proposals: 0 };
    let count = 0;
    for (let i = 0; i < 40; i++) {
      const a = await repo.assessments.create(
        org,
        {
          title: `bench ${i}`,
          kind: "self-attestation",
          productId: product.id,
          profileId: p.id,
          release: { version: "1.0", date: "2026-01-01" },
          assessors: [],
        },
        actor,
      );
      await repo.assessments.change(org, a.id, setup, ctx, actor);
      const t = performance.now();
      const s = await repo.assessments.stored(org, a.id);
      const t1 = performance.now();
      const chosen = allProposals(s.assessment, s.profile, set).slice(0, 200);
      phases.read += t1 - t;
      phases.proposals += performance.now() - t1;
      await repo.assessments.change(
        org,
        a.id,
        chosen.map((x) => ({ type: "accept-proposal" as const, proposal: x })),
        ctx,
        actor,
      );
      accept.push(performance.now() - t);
      count = chosen.length;
    }
    accept.sort((x, y) => x - y);
    console.log(
      `${"".padEnd(44)} of which read ${(phases.read / accept.length).toFixed(1)} ms, proposals ${(phases.proposals / accept.length).toFixed(1)} ms (mean)`,
    );
    report(`accept ${count} proposals, one request (SQLite)`, accept, 100);
    console.log(
      `${"".padEnd(44)} p99 ${accept[Math.min(accept.length - 1, Math.floor(0.99 * accept.length))]?.toFixed(1)} ms (budget 100 ms)`,
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDesign();
