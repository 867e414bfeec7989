// The one assessment core: what a change of the worked example (495 findings since rules
// 2026.12) costs, as a pure command in process and through the SQLite store (read the document,
// apply the command, write it back with its audit entry, in one transaction). Run with
// `npm run bench`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyCommand } from "../src/assessment/changes.js";
import type { Assessment } from "../src/assessment/model.js";
import type { Profile } from "../src/profile/model.js";
import { type AuditKey, loadAuditKey } from "../src/store/audit-key.js";
import { openStore } from "../src/store/database.js";
import { Repository } from "../src/store/repository.js";
import { ROOT } from "./process.js";
import { report } from "./stats.js";

const EXAMPLE = join(ROOT, "examples", "smart-thermostat", "assessment");

export async function benchAssessmentCore(): Promise<void> {
  console.log("\n== assessment core (worked example) ==");
  const assessmentText = readFileSync(join(EXAMPLE, "assessment.json"), "utf8");
  const assessment = JSON.parse(assessmentText) as Assessment;
  const profileText = readFileSync(join(EXAMPLE, assessment.profile.file), "utf8");
  const profile = JSON.parse(profileText) as Profile;
  const items = assessment.findings.map((f) => f.item);
  const ctx = { by: "bench", name: "Bench", at: "2026-12-02" };

  const pure: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    applyCommand(
      assessment,
      profile,
      { type: "record-finding", item: items[i % items.length] as string, update: { notes: `note ${i}` } },
      ctx,
    );
    pure.push(performance.now() - t);
  }
  report(`record a note, pure command (${items.length} findings)`, pure.slice(200), 1);

  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-core-"));
  const store = await openStore(join(dir, "cairn.db"));
  try {
    const repo = new Repository(store, { auditKey: loadAuditKey(dir, { create: true }) as AuditKey });
    const actor = { id: "cli", via: "cli" as const };
    const { organisation } = await repo.identity.createOrganisation("Bench Labs", undefined, actor);
    const { id } = await repo.assessments.importPackage(
      organisation.id,
      { assessmentText, profileText },
      actor,
    );
    const stored: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await repo.assessments.change(
        organisation.id,
        id,
        [{ type: "record-finding", item: items[i % items.length] as string, update: { notes: `note ${i}` } }],
        { ...ctx, at: new Date().toISOString() },
        actor,
      );
      stored.push(performance.now() - t);
    }
    report("record a note through the SQLite store", stored.slice(30), 10);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAssessmentCore();
