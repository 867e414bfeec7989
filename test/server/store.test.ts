import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, verifyAudit } from "../../src/store/audit.js";
import { openStore } from "../../src/store/database.js";
import { ConflictError, InvalidError } from "../../src/store/errors.js";
import { MIGRATION_NAMES, migrateToLatest } from "../../src/store/migrations.js";
import { Repository } from "../../src/store/repository.js";
import { CLI_ACTOR, DATABASES, type OpenedDatabase, rawSql, repoFor } from "./helpers.js";

describe("test databases", () => {
  it("include PostgreSQL in CI (scripts/ci-postgres.sh prints CAIRN_TEST_PG_URL)", () => {
    if (process.env.CI) expect(DATABASES.map((d) => d.name)).toEqual(["sqlite", "postgres"]);
    else expect(DATABASES[0]?.name).toBe("sqlite");
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every depth, drops undefined members, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined }, e: "é\n" })).toBe(
      '{"a":{"d":[3,{"x":2,"y":1}]},"b":1,"e":"é\\n"}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe.each(DATABASES)("store ($name)", (database) => {
  let db: OpenedDatabase;
  let repo: Repository;
  let org: string;

  beforeEach(async () => {
    db = await database.open();
    repo = repoFor(db);
    const r = await repo.identity.createOrganisation(
      "Acme",
      { email: "Admin@Acme.test", name: "Admin", role: "admin", passwordHash: "scrypt$x" },
      CLI_ACTOR,
    );
    org = r.organisation.id;
    for (const model of ["one", "two", "three", "four"])
      await repo.products.create(org, { manufacturer: "Acme", model, category: "camera" }, CLI_ACTOR);
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it("runs migrations once: a second run finds nothing to do", async () => {
    expect(
      await migrateToLatest(
        db.store.db as never,
        db.schema ?? (db.store.dialect === "postgres" ? "public" : undefined),
      ),
    ).toEqual([]);
    const rows = await db.store.db
      .selectFrom("cairn_migrations" as never)
      .select("name" as never)
      .execute();
    expect(rows.map((r) => (r as { name: string }).name)).toEqual(MIGRATION_NAMES);
  });

  it("keeps e-mail addresses unique, case-insensitively", async () => {
    await expect(
      repo.identity.createUser(
        org,
        { email: "ADMIN@acme.test", name: "x", role: "viewer", passwordHash: "h" },
        CLI_ACTOR,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("chains audit entries: each names the hash of the one before", async () => {
    const report = await verifyAudit(db.store.db);
    expect(report.ok).toBe(true);
    const chain = report.chains.find((c) => c.chain === org);
    expect(chain?.entries).toBe(6); // organisation.create + user.create + 4 x product.create
    const rows = await db.store.db
      .selectFrom("audit_entries")
      .selectAll()
      .where("chain", "=", org)
      .orderBy("seq")
      .execute();
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    expect(rows.map((r) => r.action)).toEqual([
      "organisation.create",
      "user.create",
      ...Array(4).fill("product.create"),
    ]);
    expect(JSON.parse(rows[1]?.actor ?? "{}")).toEqual({ id: "cli", via: "cli" });
  });

  it("detects an edited entry and names it", async () => {
    await rawSql(
      db,
      `UPDATE audit_entries SET detail = '{"model":"forged"}' WHERE chain = '${org}' AND seq = 3`,
    );
    const report = await verifyAudit(db.store.db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain: org, seq: 3, kind: "edited" })]);
    expect(report.problems[0]?.message).toContain("entry 3");
  });

  it("detects an edited entry whose hash was recomputed: the next entry no longer follows", async () => {
    const row = await db.store.db
      .selectFrom("audit_entries")
      .selectAll()
      .where("chain", "=", org)
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    const { entryHash } = await import("../../src/store/audit.js");
    const forged = { ...row, detail: canonicalJson({ model: "forged" }) };
    const hash = entryHash(forged);
    await rawSql(
      db,
      `UPDATE audit_entries SET detail = '${forged.detail}', hash = '${hash}' WHERE chain = '${org}' AND seq = 2`,
    );
    const report = await verifyAudit(db.store.db);
    expect(report.problems).toEqual([expect.objectContaining({ seq: 3, kind: "out-of-order" })]);
  });

  it("detects a removed entry and names it", async () => {
    await rawSql(db, `DELETE FROM audit_entries WHERE chain = '${org}' AND seq = 2`);
    const report = await verifyAudit(db.store.db);
    expect(report.problems).toEqual([expect.objectContaining({ chain: org, seq: 2, kind: "missing" })]);
  });

  it("detects the last entry removed (against the chain head)", async () => {
    await rawSql(db, `DELETE FROM audit_entries WHERE chain = '${org}' AND seq = 6`);
    const report = await verifyAudit(db.store.db);
    expect(report.problems).toEqual([expect.objectContaining({ chain: org, seq: 6, kind: "truncated" })]);
  });

  it("detects reordered entries and names the first out of place", async () => {
    await rawSql(
      db,
      `UPDATE audit_entries SET seq = -1 WHERE chain = '${org}' AND seq = 2;
       UPDATE audit_entries SET seq = 2 WHERE chain = '${org}' AND seq = 3;
       UPDATE audit_entries SET seq = 3 WHERE chain = '${org}' AND seq = -1;`,
    );
    const report = await verifyAudit(db.store.db);
    expect(report.problems).toEqual([expect.objectContaining({ chain: org, seq: 2, kind: "out-of-order" })]);
  });

  it("detects reordered timestamps (an edit of the entry's content)", async () => {
    await rawSql(
      db,
      `UPDATE audit_entries SET at = '2000-01-01T00:00:00.000Z' WHERE chain = '${org}' AND seq = 4`,
    );
    expect((await verifyAudit(db.store.db)).problems).toEqual([
      expect.objectContaining({ seq: 4, kind: "edited" }),
    ]);
  });

  it("writes nothing when a transaction fails part-way (no change, no audit entry, no number used)", async () => {
    const asm = await seedAssessment(repo, org);
    const before = await verifyAudit(db.store.db);
    const title = (await repo.assessments.get(org, asm)).title;
    const ctx = { by: "cli", name: "cli", at: "2026-01-02T00:00:00.000Z" };
    const record = {
      kind: "attestation" as const,
      title: "t",
      strength: "supports" as const,
      tags: [],
      text: "x",
    };
    // The document is written, then the audit entry cannot be: the whole transaction goes.
    await expect(
      repo.assessments.handle(org, asm, CLI_ACTOR).transact((current) => ({
        assessment: { ...current.assessment, title: "changed" },
        events: [{ action: "assessment.update", subject: "assessment", detail: { bad: Number.NaN } }],
      })),
    ).rejects.toThrow(/non-finite/);
    expect((await repo.assessments.get(org, asm)).title).toBe(title);
    expect((await verifyAudit(db.store.db)).chains).toEqual(before.chains);
    // Two commands, the second refused (unknown evidence): neither is kept, E-0001 is not used up.
    const item = (await repo.assessments.get(org, asm)).findings[0]?.item ?? "";
    await expect(
      repo.assessments.change(
        org,
        asm,
        [
          { type: "add-evidence", record },
          { type: "record-finding", item, update: { verdict: "pass", attach: ["E-0099"] } },
        ],
        ctx,
        CLI_ACTOR,
      ),
    ).rejects.toBeInstanceOf(InvalidError);
    const after = await repo.assessments.get(org, asm);
    expect(after.evidence).toEqual([]);
    expect(after.findings[0]?.version).toBe(1);
    expect((await verifyAudit(db.store.db)).chains).toEqual(before.chains);
    const ok = await repo.assessments.change(org, asm, [{ type: "add-evidence", record }], ctx, CLI_ACTOR);
    expect((ok.results[0] as { id: string }).id).toBe("E-0001");
  });

  it("of two updates with the same version, exactly one wins", async () => {
    const asm = await seedAssessment(repo, org);
    const item = (await repo.assessments.get(org, asm)).findings[0]?.item ?? "";
    const ctx = { by: "cli", name: "cli", at: "2026-01-02T00:00:00.000Z" };
    const update = (verdict: "pass" | "fail") =>
      repo.assessments.change(
        org,
        asm,
        [{ type: "record-finding", item, update: { verdict }, expectVersion: 1 }],
        ctx,
        CLI_ACTOR,
      );
    const results = await Promise.allSettled([update("pass"), update("fail")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    expect((lost.reason as ConflictError).current).toMatchObject({ version: 2 });
    expect((await verifyAudit(db.store.db)).ok).toBe(true);
  });

  it("keeps one audit chain intact under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        repo.products.create(org, { manufacturer: "Acme", model: `c${i}`, category: "x" }, CLI_ACTOR),
      ),
    );
    const report = await verifyAudit(db.store.db);
    expect(report.ok).toBe(true);
    expect(report.chains.find((c) => c.chain === org)?.entries).toBe(18);
  });

  it("reopens an existing database and keeps its data", async () => {
    if (db.store.dialect !== "sqlite") return;
    await db.store.close();
    const again = await openStore(db.spec);
    try {
      expect(await new Repository(again, { auditKey: repo.audit.key }).products.list(org)).toHaveLength(4);
    } finally {
      await again.close();
    }
  });
});

async function seedAssessment(repo: Repository, org: string): Promise<string> {
  const product = await repo.products.create(
    org,
    { manufacturer: "Acme", model: "A", category: "c" },
    CLI_ACTOR,
  );
  await repo.profiles.create(
    org,
    {
      format: "cairn-profile/1",
      id: "pro_AAAAAAAAAAAAAAAAAAA1",
      title: "p",
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
      items: ["nist-ir-8259a:1", "nist-ir-8259a:2"].map((id) => ({
        id,
        catalog: "nist-ir-8259a",
        label: id,
        title: id,
        kind: "capability",
        stringency: "low" as const,
        method: "self-attestation" as const,
        obligation: "required" as const,
        evidence: [],
        because: [],
      })),
      tailoring: [],
      warnings: [],
    },
    CLI_ACTOR,
  );
  const a = await repo.assessments.create(
    org,
    {
      title: "a",
      kind: "self-attestation",
      productId: product.id,
      profileId: "pro_AAAAAAAAAAAAAAAAAAA1",
      release: { version: "1", date: "2026-01-01" },
      assessors: [],
    },
    CLI_ACTOR,
  );
  return a.id;
}
