// The rules of an assessment, run against every store that implements the port: an assessment
// folder, SQLite and PostgreSQL. A rule written once in the core must behave the same in each
// (docs/decisions/0002-one-assessment-core.md).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssessmentCommand, ChangeContext, NewRisk } from "../src/assessment/changes.js";
import { deriveVerdicts } from "../src/assessment/derive.js";
import type {
  Assessment,
  EvidenceRecord,
  Finding,
  LinkProposal,
  Measure,
  VerdictProposal,
} from "../src/assessment/model.js";
import { checkConsistency, newAssessment, staleReason } from "../src/assessment/ops.js";
import { allProposals } from "../src/assessment/proposals.js";
import { type AssessmentHandle, runCommands } from "../src/assessment/service.js";
import {
  assessmentText,
  FolderAssessment,
  parseAssessmentText,
  readAssessmentFolder,
  sha256,
} from "../src/assessment/store.js";
import { loadCatalogs } from "../src/catalog/files.js";
import { ConflictError, InvalidError } from "../src/core/errors.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import { withParents } from "../src/profile/hierarchy.js";
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
  /** A fresh assessment of a profile (the three-item one unless given), planned, release 1.0. */
  fresh(make?: (id: string) => Profile): Promise<AssessmentHandle>;
  close(): Promise<void>;
}

function folderStore(): StoreUnderTest {
  const root = mkdtempSync(join(tmpdir(), "cairn-core-"));
  let n = 0;
  return {
    name: "folder",
    async fresh(make = (id: string) => profileOf(ITEMS, id)) {
      const dir = join(root, `a${++n}`);
      mkdirSync(join(dir, "evidence"), { recursive: true });
      const profile = make("pro_CoreCoreCoreCoreCor1");
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
    async fresh(make = (id: string) => profileOf(ITEMS, id)) {
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
      const profile = make(`pro_CoreCoreCoreCoreC${String(++n).padStart(3, "0")}`);
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

// Design measures, roll-up, the risk register and proposals: the rules of ADR 0003, on every store.
const { registry } = loadCatalogs();
const { set: crosswalks } = loadCrosswalks(registry);
const DESIGN_ITEMS = [
  "nist-ir-8259a:1",
  "nist-ir-8259a:1.1",
  "nist-ir-8259a:1.2",
  "nist-ir-8259a:5.2",
  "nist-sp-800-213a:T1.1.1",
  "nist-sp-800-213a:T1.4.1",
  "nist-sp-800-213a:T5.2.2",
  "etsi-en-303-645:5.3-9",
  "eu-cra:annex-i.part-i.1",
];

const WIDE_ITEMS = [
  "nist-ir-8259a:1",
  "nist-ir-8259a:1.1",
  "nist-ir-8259a:5",
  "nist-ir-8259a:5.2",
  ...["T1.1.1", "T1.1.2", "T1.1.3", "T5.2.1", "T5.2.2", "T5.2.3"].map((r) => `nist-sp-800-213a:${r}`),
];

/** A profile built the way the engine builds one: items from the catalogs, parents from the hierarchy. */
function designProfile(id: string): Profile {
  const base = profileOf(DESIGN_ITEMS, id);
  const items = base.items.map((i) => {
    const c = registry.item(i.id);
    if (!c) throw new Error(`no ${i.id}`);
    return { ...i, catalog: c.catalogId, label: c.label, title: c.title, kind: c.kind };
  });
  return { ...base, items: withParents(items, registry) };
}

const [CAP, E11, E12, U52, T111, T141, T522, EN539, CRA1] = DESIGN_ITEMS as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

describe.each(STORES.map((make) => make()))("design measures, roll-up and proposals ($name)", (store) => {
  afterAll(async () => {
    await store.close();
  });
  let h: AssessmentHandle;
  beforeAll(async () => {
    h = await store.fresh(designProfile);
  });
  const run = (commands: AssessmentCommand[], at?: string, by?: string) =>
    runCommands(h, commands, ctx(at, by));
  const derived = async () => {
    const { assessment, profile } = await h.read();
    return deriveVerdicts(assessment, profile);
  };
  const proposals = async () => {
    const { assessment, profile } = await h.read();
    return allProposals(assessment, profile, crosswalks);
  };

  it("the profile carries the hierarchy: elements roll up to their capability", async () => {
    const { profile } = await h.read();
    expect(profile.items.find((i) => i.id === E11)?.parent).toBe(CAP);
    expect(profile.items.find((i) => i.id === T111)?.parent).toBeUndefined();
  });

  it("refuses a measure linked to an item outside the profile, naming the link", async () => {
    const err = await run([
      {
        type: "add-measure",
        measure: {
          title: "Per-device X.509 identity",
          links: [
            { item: E11, coverage: "full" },
            { item: "nist-ir-8259a:2.1", coverage: "full" },
          ],
        },
      },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect((err as InvalidError).problems).toEqual([
      {
        location: "links[1].item",
        message: `nist-ir-8259a:2.1 is not an item of profile ${(await h.read()).profile.id}: a measure implements items of the assessment's profile`,
      },
    ]);
  });

  it("an item implemented by measures waits for their verification, then takes their verdict", async () => {
    const r = await run([
      {
        type: "add-measure",
        measure: {
          title: "Per-device X.509 identity provisioned at manufacture",
          owner: "firmware team",
          links: [
            { item: E11, coverage: "full" },
            { item: E12, coverage: "partial" },
          ],
        },
      },
    ]);
    expect((r.results[0] as Measure).id).toBe("M-001");
    let d = await derived();
    expect(d.items.get(E11)).toMatchObject({ verdict: "not-assessed", waiting: ["M-001"], settled: false });
    await run([attestation("device certificate test report")]);
    const v = await run([
      {
        type: "verify-measure",
        measure: "M-001",
        verification: { verdict: "pass", method: "test", attach: ["E-0001"] },
      },
    ]);
    expect((v.results[0] as Measure).verification).toMatchObject({
      verdict: "pass",
      method: "test",
      basis: { release: "1.0" },
      by: "dana",
    });
    d = await derived();
    expect(d.items.get(E11)).toMatchObject({
      verdict: "pass",
      source: "measures",
      path: { measures: ["M-001"] },
      settled: true,
    });
    // Partial coverage alone does not settle an item; the capability rolls up partial.
    expect(d.items.get(E12)).toMatchObject({ verdict: "partial", source: "measures", settled: false });
    expect(d.items.get(CAP)).toMatchObject({ verdict: "partial", source: "roll-up", settled: false });
    expect(d.figures).toMatchObject({ humanVerdicts: 1, derivedVerdicts: 3 });
  });

  it("rolls up: every child passing passes the capability, any child failing fails it", async () => {
    await run([
      {
        type: "add-measure",
        measure: { title: "Identifier printed on the label", links: [{ item: E12, coverage: "full" }] },
      },
      { type: "verify-measure", measure: "M-002", verification: { verdict: "pass", method: "examine" } },
    ]);
    let d = await derived();
    expect(d.items.get(E12)).toMatchObject({ verdict: "pass", path: { measures: ["M-001", "M-002"] } });
    expect(d.items.get(CAP)).toMatchObject({
      verdict: "pass",
      source: "roll-up",
      rule: "every child passes",
      path: { children: [E11, E12] },
    });
    await run([
      { type: "verify-measure", measure: "M-002", verification: { verdict: "fail", method: "examine" } },
    ]);
    d = await derived();
    expect(d.items.get(E12)).toMatchObject({ verdict: "fail", path: { measures: ["M-002"] } });
    expect(d.items.get(CAP)).toMatchObject({ verdict: "fail", path: { children: [E12] } });
    await run([
      { type: "verify-measure", measure: "M-002", verification: { verdict: "pass", method: "examine" } },
    ]);
  });

  it("a person's verdict wins over a derived one, which is shown beside it", async () => {
    const before = await derived();
    await run([{ type: "record-finding", item: E12, update: { verdict: "fail", notes: "label peels off" } }]);
    const d = await derived();
    expect(d.items.get(E12)).toMatchObject({
      verdict: "fail",
      source: "person",
      derived: { verdict: "pass", source: "measures" },
    });
    expect(d.items.get(CAP)?.verdict).toBe("fail");
    expect(before.items.get(CAP)?.verdict).toBe("pass");
    await run([{ type: "record-finding", item: E12, update: { verdict: "not-assessed", notes: null } }]);
    expect((await derived()).items.get(E12)?.source).toBe("measures");
  });

  it("a new release makes measure verifications stale, and the items they settle", async () => {
    await run([{ type: "change-release", release: { version: "1.1", date: "2026-03-01" } }]);
    let d = await derived();
    expect(d.items.get(E11)?.stale).toBe("M-001 was verified on release 1.0, assessed release is 1.1");
    expect(d.items.get(E11)?.settled).toBe(false);
    expect(d.figures.stale).toBeGreaterThanOrEqual(2);
    await run([
      { type: "verify-measure", measure: "M-001", verification: { verdict: "pass", method: "test" } },
      { type: "verify-measure", measure: "M-002", verification: { verdict: "pass", method: "examine" } },
    ]);
    d = await derived();
    expect(d.items.get(E11)).toMatchObject({ verdict: "pass", settled: true });
    expect(d.items.get(E11)?.stale).toBeUndefined();
  });

  it("proposes links through the crosswalks; accepting one links the measure with its path", async () => {
    const links = (await proposals()).filter((p): p is LinkProposal => p.kind === "link");
    const t111 = links.find((p) => p.measure === "M-001" && p.item === T111);
    // 8259A 1.1 and SP 800-213A T1.1.1 are equal: a full link carries full.
    expect(t111).toMatchObject({
      coverage: "full",
      source: { kind: "crosswalk", from: E11, rows: ["nist-ir-8259a--nist-sp-800-213a#1.1--T1.1.1"] },
    });
    const r = await run([{ type: "accept-proposal", proposal: t111 }]);
    const m = (r.assessment.measures ?? []).find((x) => x.id === "M-001") as Measure;
    expect(m.links.find((l) => l.item === T111)).toMatchObject({
      coverage: "full",
      origin: { kind: "crosswalk", from: E11, path: [E11, T111] },
    });
    expect((await derived()).items.get(T111)).toMatchObject({ verdict: "pass", source: "measures" });
    // The same proposal again: the measure implements the item already.
    await expect(run([{ type: "accept-proposal", proposal: t111 }])).rejects.toThrow(/already implements/);
    const t141 = (await proposals()).find(
      (p): p is LinkProposal => p.kind === "link" && p.item === T141 && p.measure === "M-002",
    );
    expect(t141).toBeDefined();
    await run([{ type: "reject-proposal", proposal: t141 }]);
    expect(
      (await proposals()).some((p) => p.kind === "link" && p.measure === "M-002" && p.item === T141),
    ).toBe(false);
  });

  it("a verdict proposes verdicts through the crosswalks; accepted, it is derived with its path", async () => {
    await run([{ type: "record-finding", item: U52, update: { verdict: "pass", method: "test" } }]);
    const verdicts = (await proposals()).filter((p): p is VerdictProposal => p.kind === "verdict");
    // 8259A 5.2 is a superset of SP 800-213A T5.2.2 and equal to EN 303 645 5.3-9: pass carries.
    const t522 = verdicts.find((p) => p.item === T522);
    const en = verdicts.find((p) => p.item === EN539);
    expect(t522).toMatchObject({ verdict: "pass", source: { from: [{ item: U52, by: "person" }] } });
    expect(en?.verdict).toBe("pass");
    const r = await run([
      { type: "accept-proposal", proposal: t522 },
      { type: "accept-proposal", proposal: en },
    ]);
    expect(r.events.map((e) => e.action)).toEqual(["proposal.accept", "proposal.accept"]);
    let d = await derived();
    expect(d.items.get(T522)).toMatchObject({
      verdict: "pass",
      source: "proposal",
      path: { from: [U52], rows: ["nist-ir-8259a--nist-sp-800-213a#5.2--T5.2.2"] },
      settled: true,
    });
    // Accepted is not a person's verdict: the finding's verdict stays not assessed.
    expect(r.assessment.findings.find((f) => f.item === T522)?.verdict).toBe("not-assessed");
    // The source changes: the accepted verdict goes stale, never silently kept.
    await run([{ type: "record-finding", item: U52, update: { notes: "re-tested on unit 4" } }]);
    d = await derived();
    expect(d.items.get(T522)?.stale).toMatch(/^its source nist-ir-8259a:5.2 changed/);
    expect(d.items.get(T522)?.settled).toBe(false);
  });

  it("refuses a proposal for an item that changed since, and one over a person's verdict", async () => {
    const p = (await proposals()).find((x): x is VerdictProposal => x.kind === "verdict" && x.item === T522);
    expect(p).toBeDefined();
    await run([{ type: "record-finding", item: T522, update: { notes: "looked at it" } }]);
    const err = await run([{ type: "accept-proposal", proposal: p }]).catch((e: unknown) => e);
    expect((err as ConflictError).code).toBe("proposal-stale");
    expect((err as ConflictError).message).toMatch(/changed since the proposal was made/);
    await run([{ type: "record-finding", item: T522, update: { verdict: "fail" } }]);
    const fresh = {
      ...(p as VerdictProposal),
      findingVersion: finding((await h.read()).assessment, T522).version ?? 1,
    };
    const err2 = await run([{ type: "accept-proposal", proposal: fresh }]).catch((e: unknown) => e);
    expect((err2 as ConflictError).code).toBe("person-verdict");
  });

  it("refuses to remove a measure that settles verdicts unless forced; then they show as stale", async () => {
    const err = await run([{ type: "remove-measure", measure: "M-001" }]).catch((e: unknown) => e);
    expect((err as ConflictError).code).toBe("measure-settles");
    expect((err as ConflictError).message).toMatch(/^M-001 settles the verdict of/);
    const r = await run([{ type: "remove-measure", measure: "M-001", force: true, reason: "replaced" }]);
    const m = (r.assessment.measures ?? []).find((x) => x.id === "M-001") as Measure;
    expect(m.removed?.settled).toContain(T111);
    const d = await derived();
    expect(d.items.get(T111)).toMatchObject({ verdict: "pass", settled: false });
    expect(d.items.get(T111)?.stale).toMatch(/^measure M-001 was removed/);
    // Its id is never given out again.
    const again = await run([{ type: "add-measure", measure: { title: "Identity, second try" } }]);
    expect((again.results[0] as Measure).id).toBe("M-003");
  });

  it("the risk register: residual no higher than before treatment, mitigation names measures", async () => {
    const risk: NewRisk = {
      asset: "device identity key",
      threat: "extraction of the private key by probing the board",
      likelihood: "low",
      impact: "high",
      treatment: { decision: "mitigate", measures: ["M-002"] },
      residual: "low",
    };
    const bad = await run([
      {
        type: "add-risk",
        risk: { ...risk, residual: "high", treatment: { decision: "mitigate", measures: [] } },
      },
    ]).catch((e: unknown) => e);
    expect((bad as InvalidError).problems.map((p) => p.location)).toEqual(["treatment.measures", "residual"]);
    const gone = await run([
      { type: "add-risk", risk: { ...risk, treatment: { decision: "mitigate", measures: ["M-001"] } } },
    ]).catch((e: unknown) => e);
    expect((gone as InvalidError).message).toBe("measure M-001 was removed");
    const r = await run([{ type: "add-risk", risk }]);
    expect(r.results[0]).toMatchObject({ id: "R-001", version: 1, residual: "low" });
    const u = await run([
      { type: "update-risk", risk: "R-001", patch: { owner: "PSIRT" }, expectVersion: 1 },
    ]);
    expect(u.results[0]).toMatchObject({ owner: "PSIRT", version: 2 });
    const err = await run([{ type: "remove-measure", measure: "M-002" }]).catch((e: unknown) => e);
    expect((err as ConflictError).message).toMatch(/it treats risk\(s\) R-001/);
  });

  it("a collector's proposals are stored, accepted like any other, and stale when their evidence is superseded", async () => {
    await run([attestation("security.txt as fetched")]);
    const evidence = (await h.read()).assessment.evidence.at(-1)?.id as string;
    const bad = await run([
      {
        type: "add-proposals",
        proposals: [
          {
            item: "eu-cra:annex-i.part-ii.5",
            verdict: "pass",
            collector: "security-txt",
            evidence,
            strength: "supports",
            reason: "x",
          },
        ],
      },
    ]).catch((e: unknown) => e);
    expect((bad as InvalidError).problems[0]?.location).toBe("proposals[0].item");
    const r = await run([
      {
        type: "add-proposals",
        proposals: [
          {
            item: CRA1,
            verdict: "pass",
            collector: "risk-register",
            evidence,
            strength: "supports",
            reason: "a risk assessment is documented",
          },
        ],
      },
    ]);
    const stored = (r.results[0] as VerdictProposal[])[0] as VerdictProposal;
    expect(stored.id).toBe("P-0001");
    expect((await proposals()).some((p) => p.id === "P-0001")).toBe(true);
    await run([{ type: "accept-proposal", id: "P-0001" }]);
    let d = await derived();
    expect(d.items.get(CRA1)).toMatchObject({
      verdict: "pass",
      source: "proposal",
      path: { collector: { name: "risk-register", evidence } },
    });
    await expect(run([{ type: "accept-proposal", id: "P-0001" }])).rejects.toThrow(/already accepted/);
    await run([attestation("security.txt, refetched", { supersedes: evidence })]);
    d = await derived();
    expect(d.items.get(CRA1)?.stale).toMatch(/was superseded by/);
  });

  it("accepts every open proposal in one request, several links of one measure among them", async () => {
    // Identification and update elements and every SP 800-213A element of those capabilities.
    const wide = (id: string): Profile => {
      const base = profileOf(WIDE_ITEMS, id);
      const items = base.items.map((i) => {
        const c = registry.item(i.id);
        if (!c) throw new Error(`no ${i.id}`);
        return { ...i, catalog: c.catalogId, label: c.label, title: c.title, kind: c.kind };
      });
      return { ...base, items: withParents(items, registry) };
    };
    const h2 = await store.fresh(wide);
    await runCommands(
      h2,
      [
        {
          type: "add-measure",
          measure: {
            title: "Signed firmware and a per-device identity",
            links: ["nist-ir-8259a:1.1", "nist-ir-8259a:5.2"].map((item) => ({ item, coverage: "full" })),
          },
        },
      ],
      ctx(),
    );
    const before = await h2.read();
    const links = allProposals(before.assessment, before.profile, crosswalks).filter(
      (p): p is LinkProposal => p.kind === "link",
    );
    expect(links.length).toBeGreaterThan(1);
    const r = await runCommands(
      h2,
      links.map((p) => ({ type: "accept-proposal" as const, proposal: p })),
      ctx(),
    );
    for (const p of links) {
      const m = (r.assessment.measures ?? []).find((x) => x.id === p.measure) as Measure;
      expect(
        m.links.find((l) => l.item === p.item && !l.removed),
        `${p.measure} ${p.item}`,
      ).toMatchObject({
        coverage: p.coverage,
        origin: p.source.kind === "crosswalk" ? { kind: "crosswalk", from: p.source.from } : p.source,
      });
    }
    expect(
      r.events.filter((e) => e.action === "proposal.accept" || e.action === "measure.link"),
    ).toHaveLength(links.length);
  });

  it("keeps the document valid and consistent after all of it", async () => {
    const { assessment, profile } = await h.read();
    expect(checkConsistency(assessment, profile)).toEqual([]);
    expect(parseAssessmentText(assessmentText(assessment), "assessment.json").problems).toEqual([]);
  });
});
