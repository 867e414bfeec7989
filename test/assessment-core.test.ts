// The rules of an assessment, run against every store that implements the port: an assessment
// folder, SQLite and PostgreSQL. A rule written once in the core must behave the same in each
// (docs/decisions/0002-one-assessment-core.md).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssessmentCommand, ChangeContext } from "../src/assessment/changes.js";
import type { Assessment, EvidenceRecord, Finding } from "../src/assessment/model.js";
import { newAssessment, staleReason } from "../src/assessment/ops.js";
import { type AssessmentHandle, runCommands } from "../src/assessment/service.js";
import { assessmentText, FolderAssessment, readAssessmentFolder, sha256 } from "../src/assessment/store.js";
import { ConflictError, InvalidError } from "../src/core/errors.js";
import type { Profile } from "../src/profile/model.js";
import { profileText } from "../src/store/profiles.js";
import type { Repository } from "../src/store/repository.js";
import { CLI_ACTOR, DATABASES, type OpenedDatabase, repoFor } from "./server/helpers.js";

const ITEMS = ["nist-ir-8259a:1", "nist-ir-8259a:2", "nist-ir-8259a:3"];

function profileOf(items: string[], id = "pro_CoreCoreCoreCoreCor1"): Profile {
  return {
    format: "cairn-profile/1",
    id,
    title: "core rules",
    created: "2026-01-01",
    context: {
      impact: { confidentiality: "low", integrity: "low", availability: "low" },
      environment: "home",
      connectivity: "isolated",
      data: ["public"],
      lifetimeYears: 2,
      markets: ["us-federal"],
    },
    highWaterMark: "low",
    baseline: "LOW",
    rules: { id: "r", version: "1" },
    catalogs: {},
    requirements: { fips140_3: false, independentAssessment: false, minSupportYears: 0 },
    items: items.map((itemId) => ({
      id: itemId,
      catalog: "nist-ir-8259a",
      label: itemId,
      title: itemId,
      kind: "capability",
      stringency: "low" as const,
      method: "self-attestation" as const,
      obligation: "required" as const,
      evidence: [],
      because: [],
    })),
    tailoring: [],
    warnings: [],
  } as Profile;
}

interface StoreUnderTest {
  name: string;
  /** A fresh assessment of the three-item profile, planned, release 1.0. */
  fresh(): Promise<AssessmentHandle>;
  close(): Promise<void>;
}

function folderStore(): StoreUnderTest {
  const root = mkdtempSync(join(tmpdir(), "cairn-core-"));
  let n = 0;
  return {
    name: "folder",
    async fresh() {
      const dir = join(root, `a${++n}`);
      mkdirSync(join(dir, "evidence"), { recursive: true });
      const profile = profileOf(ITEMS);
      const text = profileText(profile);
      writeFileSync(join(dir, "profile.json"), text);
      const a = newAssessment(profile, {
        id: `a${n}`,
        title: "core rules",
        kind: "self-attestation",
        product: { id: "p", manufacturer: "Acme", model: "A", category: "sensor" },
        release: { version: "1.0", date: "2026-01-01" },
        assessors: [],
        date: "2026-01-01",
        profileFile: "profile.json",
        profileSha256: sha256(text),
      });
      writeFileSync(join(dir, "assessment.json"), assessmentText(a));
      return new FolderAssessment(dir);
    },
    async close() {},
  };
}

function sqlStore(database: (typeof DATABASES)[number]): StoreUnderTest {
  let db: OpenedDatabase | undefined;
  let repo: Repository;
  let org: string;
  let n = 0;
  return {
    name: database.name,
    async fresh() {
      if (!db) {
        db = await database.open();
        repo = repoFor(db);
        org = (await repo.identity.createOrganisation("core", undefined, CLI_ACTOR)).organisation.id;
      }
      const product = await repo.products.create(
        org,
        { manufacturer: "Acme", model: "A", category: "sensor" },
        CLI_ACTOR,
      );
      const profile = profileOf(ITEMS, `pro_CoreCoreCoreCoreC${String(++n).padStart(3, "0")}`);
      await repo.profiles.create(org, profile, CLI_ACTOR);
      const a = await repo.assessments.create(
        org,
        {
          title: "core rules",
          kind: "self-attestation",
          productId: product.id,
          profileId: profile.id,
          release: { version: "1.0", date: "2026-01-01" },
          assessors: [],
        },
        CLI_ACTOR,
      );
      return repo.assessments.handle(org, a.id, CLI_ACTOR);
    },
    async close() {
      await db?.cleanup();
    },
  };
}

const STORES = [folderStore, ...DATABASES.map((d) => () => sqlStore(d))];

const ctx = (at = "2026-02-01", by = "dana"): ChangeContext => ({ by, name: by, at });
const [I1, I2, I3] = ITEMS as [string, string, string];
const finding = (a: Assessment, item: string) => a.findings.find((f) => f.item === item) as Finding;
const attestation = (title = "declared", extra: Record<string, unknown> = {}) =>
  ({
    type: "add-evidence",
    record: { kind: "attestation", title, strength: "supports", tags: [], text: "declared", ...extra },
  }) as AssessmentCommand;

describe.each(STORES.map((make) => make()))("assessment core rules ($name)", (store) => {
  afterAll(async () => {
    await store.close();
  });
  let h: AssessmentHandle;
  beforeAll(async () => {
    h = await store.fresh();
  });
  const run = (commands: AssessmentCommand[], at?: string, by?: string) =>
    runCommands(h, commands, ctx(at, by));

  it("records a verdict against the release and the profile item, and starts a planned assessment", async () => {
    expect((await h.read()).assessment.status).toBe("planned");
    const r = await run([{ type: "record-finding", item: I1, update: { verdict: "pass", method: "test" } }]);
    const f = finding(r.assessment, I1);
    expect(f).toMatchObject({
      verdict: "pass",
      method: "test",
      basis: { release: "1.0", profileItem: "low|self-attestation|required" },
      updated: { by: "dana", date: "2026-02-01" },
      version: 2,
    });
    expect(r.assessment.status).toBe("in-progress");
    expect(r.events.map((e) => e.action)).toEqual(["finding.update"]);
    // What was written is what a new read finds.
    expect((await h.read()).assessment).toEqual(r.assessment);
  });

  it("refuses an item outside the profile, unknown evidence, and detaching what is not attached", async () => {
    await expect(
      run([{ type: "record-finding", item: "eu-cra:annex-i.part-i.1", update: { verdict: "pass" } }]),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(run([{ type: "record-finding", item: I2, update: { attach: ["E-0099"] } }])).rejects.toThrow(
      "no evidence E-0099 in this assessment",
    );
    await expect(
      run([{ type: "record-finding", item: I2, update: { detach: ["E-0001"] } }]),
    ).rejects.toBeInstanceOf(InvalidError);
  });

  it("numbers evidence E-0001, E-0002...; attaches and detaches links; supersedes only the latest revision", async () => {
    const r = await run([attestation("first"), attestation("second")]);
    expect(r.assessment.evidence.map((e) => e.id)).toEqual(["E-0001", "E-0002"]);
    const a = await run([{ type: "record-finding", item: I2, update: { attach: ["E-0001", "E-0002"] } }]);
    expect(finding(a.assessment, I2).evidence).toEqual(["E-0001", "E-0002"]);
    const d = await run([{ type: "record-finding", item: I2, update: { detach: ["E-0001"] } }]);
    expect(finding(d.assessment, I2).evidence).toEqual(["E-0002"]);
    const s = await run([attestation("first, v2", { supersedes: "E-0001" })]);
    expect((s.results[0] as EvidenceRecord).id).toBe("E-0003");
    await expect(run([attestation("again", { supersedes: "E-0001" })])).rejects.toThrow(
      "E-0001 is already superseded: supersede its latest revision",
    );
    await expect(run([attestation("none", { supersedes: "E-0777" })])).rejects.toThrow("no evidence E-0777");
  });

  it("withdraws a sign-off on any change, keeps it on a write that changes nothing", async () => {
    await run([{ type: "sign-off", item: I1 }], "2026-02-02", "lee");
    const signed = finding((await h.read()).assessment, I1);
    expect(signed.signOff).toEqual({ reviewer: "lee", date: "2026-02-02" });
    const same = await run([{ type: "record-finding", item: I1, update: { method: "test" } }]);
    expect(same.events).toEqual([]);
    expect(finding(same.assessment, I1).signOff).toBeDefined();
    const changed = await run([{ type: "record-finding", item: I1, update: { notes: "seen on unit 3" } }]);
    expect(finding(changed.assessment, I1).signOff).toBeUndefined();
    expect(changed.events[0]?.detail).toMatchObject({ signOffWithdrawn: true });
    await expect(run([{ type: "sign-off", item: I3 }])).rejects.toThrow(`${I3} has no verdict to sign off`);
  });

  it("refuses a write on a version someone else has changed, with the current finding", async () => {
    const current = finding((await h.read()).assessment, I1);
    const stale = (current.version ?? 1) - 1;
    const err = await run([
      { type: "record-finding", item: I1, update: { verdict: "fail" }, expectVersion: stale },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).code).toBe("stale-version");
    expect((err as ConflictError).current).toMatchObject({ item: I1, version: current.version });
    await run([
      { type: "record-finding", item: I1, update: { verdict: "pass" }, expectVersion: current.version ?? 1 },
    ]);
  });

  it("applies commands all or nothing", async () => {
    const before = (await h.read()).assessment;
    await expect(
      run([
        attestation("kept?"),
        { type: "record-finding", item: I3, update: { verdict: "pass", attach: ["E-0999"] } },
      ]),
    ).rejects.toBeInstanceOf(InvalidError);
    expect((await h.read()).assessment).toEqual(before);
  });

  it("a new release makes verdicts stale: they cannot be signed off until recorded again", async () => {
    await run([{ type: "change-release", release: { version: "1.1", date: "2026-03-01" } }], "2026-03-02");
    const { assessment, profile } = await h.read();
    const f = finding(assessment, I1);
    expect(staleReason(f, assessment, profile.items[0])).toBe(
      "given on release 1.0, assessed release is 1.1",
    );
    await expect(run([{ type: "sign-off", item: I1 }])).rejects.toThrow(/stale/);
    const again = await run(
      [{ type: "record-finding", item: I1, update: { verdict: "pass" } }],
      "2026-03-03",
    );
    expect(staleReason(finding(again.assessment, I1), again.assessment, profile.items[0])).toBeUndefined();
  });

  it("a done assessment refuses every change but its status", async () => {
    await run([{ type: "set-status", status: "done" }]);
    for (const c of [
      { type: "record-finding", item: I2, update: { verdict: "pass" } },
      attestation("late"),
      { type: "sign-off", item: I1 },
      { type: "change-release", release: { version: "2", date: "2026-04-01" } },
      { type: "update-details", title: "renamed" },
      { type: "set-conformance", provision: "5.1-1", support: "supported" },
    ] as AssessmentCommand[]) {
      const err = await run([c]).catch((e: unknown) => e);
      expect((err as ConflictError).code, c.type).toBe("assessment-done");
    }
    const reopened = await run([
      { type: "set-status", status: "in-progress" },
      { type: "update-details", title: "renamed" },
    ]);
    expect(reopened.assessment).toMatchObject({ status: "in-progress", title: "renamed" });
  });

  it("a conformance declaration other than supported needs a justification", async () => {
    await expect(
      run([{ type: "set-conformance", provision: "5.6-7", support: "not-supported" }]),
    ).rejects.toThrow("needs a justification");
    const r = await run([
      {
        type: "set-conformance",
        provision: "5.6-7",
        support: "not-supported",
        justification: "RTOS, no MMU",
      },
    ]);
    expect(r.assessment.conformanceStatement?.provisions["5.6-7"]).toEqual({
      support: "not-supported",
      justification: "RTOS, no MMU",
    });
  });

  it("adopting a changed profile retires dropped items and adds new ones, keeping their findings", async () => {
    const next = profileOf([I1, I2, "nist-ir-8259a:4"], (await h.read()).profile.id);
    const text = profileText(next);
    const r = await run([
      { type: "adopt-profile", profile: next, file: "profile.json", sha256: sha256(text), text },
    ]);
    expect(r.assessment.findings.map((f) => f.item)).toEqual([I1, I2, "nist-ir-8259a:4"]);
    expect(r.assessment.retiredFindings?.map((f) => f.item)).toEqual([I3]);
    expect(r.profile.items.map((i) => i.id)).toEqual([I1, I2, "nist-ir-8259a:4"]);
    expect((await h.read()).profile.items).toHaveLength(3);
  });

  it("concurrent writers: edits of two findings both land; two edits of one finding at one version, one wins", async () => {
    const a = (await h.read()).assessment;
    const v2 = finding(a, I2).version ?? 1;
    const [x, y] = await Promise.allSettled([
      run([{ type: "record-finding", item: I2, update: { notes: "first" }, expectVersion: v2 }]),
      run([{ type: "record-finding", item: I2, update: { notes: "second" }, expectVersion: v2 }]),
    ]);
    expect([x, y].filter((r) => r.status === "fulfilled")).toHaveLength(1);
    await Promise.all([
      run([{ type: "record-finding", item: I1, update: { notes: "one" } }]),
      run([{ type: "record-finding", item: I2, update: { notes: "two" } }]),
    ]);
    const after = (await h.read()).assessment;
    expect([finding(after, I1).notes, finding(after, I2).notes]).toEqual(["one", "two"]);
  });
});

describe("the folder store", () => {
  it("writes assessment.json as Cairn writes it, and leaves no lock behind", async () => {
    const h = (await folderStore().fresh()) as FolderAssessment;
    await runCommands(h, [{ type: "record-finding", item: I1, update: { verdict: "pass" } }], ctx());
    const text = readFileSync(join(h.dir, "assessment.json"), "utf8");
    expect(text).toBe(assessmentText(readAssessmentFolder(h.dir).assessment));
    expect(() => readFileSync(join(h.dir, ".cairn.lock"))).toThrow();
  });
});
