import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { FileBlobStore } from "../store/blobs.js";
import type { Repository } from "../store/repository.js";
import { type DossierTask, type DossierTaskResult, dossierJob } from "./dossier.js";
import type { WorkerPool } from "./pool.js";
import type { ClaimedJob } from "./store.js";

// The dossier job against a real blob store in a temporary data folder: a missing evidence file is
// left out (validation names it), but one that is there and cannot be read, or a dossier that
// cannot be stored, fails the job with what is wrong and what mends it, in words.

const dir = mkdtempSync(join(tmpdir(), "cairn-dossier-job-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setUp(name: string) {
  const blobs = new FileBlobStore(join(dir, name));
  const kept = await blobs.put(Readable.from([Buffer.from("an SBOM")]), 1024);
  const evidence = [
    {
      id: "E-0001",
      file: { name: "sbom.cdx.json", path: `evidence/${kept.sha256}-sbom.cdx.json`, sha256: kept.sha256 },
    },
    {
      id: "E-0002",
      file: { name: "gone.pdf", path: `evidence/${"0".repeat(64)}-gone.pdf`, sha256: "0".repeat(64) },
    },
  ];
  const assessment = {
    evidence,
    product: { manufacturer: "Northwind", model: "T-800" },
    release: { version: "4.2.0" },
  };
  const repo = {
    assessments: {
      stored: async () => ({ assessment, profile: {}, profileSha256: "", revision: 1 }),
      audit: async () => [],
    },
    blobs: { note: async () => undefined },
  } as unknown as Repository;
  const tasks: DossierTask[] = [];
  const pool = {
    run: async (task: DossierTask) => {
      tasks.push(task);
      return { built: true, problems: [], zip: new Uint8Array([80, 75, 5, 6]), draft: true };
    },
  } as unknown as WorkerPool<DossierTask, DossierTaskResult>;
  const run = dossierJob({ repo, blobs, pool, toolVersion: "test" });
  const job = {
    id: "job_1",
    orgId: "org_1",
    payload: { assessmentId: "asm_1", draft: true },
  } as unknown as ClaimedJob;
  const ctx = { progress: () => undefined, signal: new AbortController().signal };
  return { blobs, kept, tasks, go: () => run(job, ctx) };
}

describe("the dossier job and the data folder", () => {
  it("leaves a missing evidence file out and builds", async () => {
    const t = await setUp("missing");
    const result = await t.go();
    expect(result).toMatchObject({ built: true, status: "requested" });
    // The file that is there goes to the build; the one the store lacks is left out.
    expect(t.tasks[0]?.evidenceFiles.map(([path]) => path)).toEqual([
      `evidence/${t.kept.sha256}-sbom.cdx.json`,
    ]);
  });

  it("fails in words when an evidence file is there but cannot be read", async () => {
    const t = await setUp("unreadable");
    const path = t.blobs.pathOf(t.kept.sha256);
    rmSync(path);
    mkdirSync(path);
    await expect(t.go()).rejects.toThrow(
      "the evidence file sbom.cdx.json (E-0001) cannot be read from the server's evidence store: a folder stands where the file should be. An administrator can restore it from a backup of the data folder; then try again",
    );
  });

  it("fails in words when the built dossier cannot be stored", async () => {
    const t = await setUp("unwritable");
    // A file where the store's folder for incoming files should be.
    rmSync(t.blobs.tmpDir, { recursive: true, force: true });
    mkdirSync(dirname(t.blobs.tmpDir), { recursive: true });
    writeFileSync(t.blobs.tmpDir, "");
    await expect(t.go()).rejects.toThrow(
      "the dossier was built but cannot be stored on the server: a file stands where a folder should be. An administrator can free space or mend the data folder; then try again",
    );
  });
});
