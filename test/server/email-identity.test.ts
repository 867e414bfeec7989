import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest } from "../../src/store/migrations.js";
import {
  bearer,
  CLI_ACTOR,
  DATABASES,
  login,
  makeWorld,
  PASSWORD,
  rawSql,
  repoFor,
  type TestUser,
  unique,
  type World,
} from "./helpers.js";

// One normalisation and one check of e-mail addresses for the store, the API and `admin create`
// (src/core/email.ts), a unique skeleton so that look-alikes cannot coexist, and refusals that do
// not tell which address exists in another organisation.

const CYRILLIC_A = "\u0430";

describe.each(DATABASES)("e-mail addresses as logins ($name)", (database) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(database, { loginRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  });
  afterAll(async () => {
    await w?.close();
  });
  const adminA = () => bearer(w.app, (w.a.users.admin as TestUser).token);
  const adminB = () => bearer(w.app, (w.b.users.admin as TestUser).token);
  const add = (as: ReturnType<typeof bearer>, email: string) =>
    as("POST", "/api/users", { email, name: "New", role: "viewer", password: PASSWORD });

  it("stores one normal form (NFKC, case folded) and logs in with any spelling of it", async () => {
    const local = unique("Stra\u00DFe");
    const r = await add(adminA(), `${local}@ACME.Example`);
    expect(r.statusCode).toBe(201);
    const stored = r.json().email as string;
    expect(stored).toBe(`${local.toLowerCase().replace("\u00DF", "ss")}@acme.example`);
    expect((await login(w.app, `${local.toUpperCase()}@acme.EXAMPLE`)).response.statusCode).toBe(200);
  });

  it("accepts an internationalised address and refuses a bidirectional control, naming the field", async () => {
    const ok = await add(adminA(), `${unique("jos\u00E9")}@ex\u00E4mple.org`);
    expect(ok.statusCode).toBe(201);
    const bad = await add(adminA(), `${unique("evil")}\u202E@example.org`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].location).toBe("body.email");
    const site = bearer(w.app, (w.a.users.site as TestUser).token);
    const org = await site("POST", "/api/organisations", {
      name: unique("o"),
      admin: { email: "no-at-sign", name: "X", password: PASSWORD },
    });
    expect(org.statusCode).toBe(400);
    expect(org.json().problems[0].location).toBe("body.admin.email");
  });

  it("refuses a look-alike in the same organisation, naming the address it looks like", async () => {
    const local = unique("admin");
    expect((await add(adminA(), `${local}@acme.example`)).statusCode).toBe(201);
    const twin = await add(adminA(), `${local.replace("a", CYRILLIC_A)}@acme.example`);
    expect(twin.statusCode).toBe(409);
    expect(twin.json().code).toBe("email-unavailable");
    expect(twin.json().message).toContain(`${local}@acme.example`);
  });

  it("refuses an address of another organisation, exact or look-alike, in the same words, naming nothing", async () => {
    const local = unique("bob");
    expect((await add(adminB(), `${local}@beta.example`)).statusCode).toBe(201);
    const exact = await add(adminA(), `${local}@beta.example`);
    const twin = await add(adminA(), `${local.replace("o", "\u043E")}@beta.example`);
    const upper = await add(adminA(), `${local.toUpperCase()}@BETA.example`);
    for (const r of [exact, twin, upper]) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toEqual({
        code: "email-unavailable",
        message: "this address cannot be used; choose another",
      });
      expect(r.body).not.toContain(w.b.id);
    }
    // Audited: in A's chain without B, in the instance's chain with it.
    const a = (await adminA()("GET", "/api/audit?limit=1000")).json().entries as {
      action: string;
      detail: Record<string, unknown>;
    }[];
    const refusal = a.filter((e) => e.action === "user.create.refused").at(-1);
    expect(refusal?.detail).toEqual({
      email: `${local.toUpperCase()}@BETA.example`.normalize("NFKC").toLowerCase(),
      reason: "unavailable",
    });
    expect(JSON.stringify(a)).not.toContain(w.b.id);
    const site = bearer(w.app, (w.a.users.site as TestUser).token);
    const sys = (await site("GET", "/api/audit?chain=system&limit=1000")).json().entries as {
      action: string;
      detail: Record<string, unknown>;
    }[];
    expect(sys.filter((e) => e.action === "user.create.refused").at(-1)?.detail).toMatchObject({
      organisation: w.a.id,
      holder: w.b.id,
    });
  });

  it("the store refuses look-alikes too, whoever calls it (the CLI's admin create goes through it)", async () => {
    const repo = repoFor(w.db);
    const local = unique("carol");
    await repo.identity.createUser(
      w.a.id,
      { email: `${local}@acme.example`, name: "C", role: "viewer", passwordHash: "h" },
      CLI_ACTOR,
    );
    await expect(
      repo.identity.createUser(
        w.b.id,
        {
          email: `${local.replace("a", CYRILLIC_A)}@acme.example`,
          name: "C",
          role: "viewer",
          passwordHash: "h",
        },
        CLI_ACTOR,
      ),
    ).rejects.toMatchObject({
      code: "email-unavailable",
      message: "this address cannot be used; choose another",
    });
  });
});

describe.each(DATABASES)("migration of existing addresses ($name)", (database) => {
  it("backfills skeletons; of look-alikes already there the older keeps the skeleton, both keep their login", async () => {
    const db = await database.open({ migrate: false });
    try {
      await migrateToLatest(
        db.store.db as never,
        db.schema ?? (db.store.dialect === "postgres" ? "public" : undefined),
        { upTo: "0002-assessment-documents" },
      );
      const at = "2025-01-01T00:00:00.000Z";
      await rawSql(
        db,
        `INSERT INTO organisations (id, name, created_at, updated_at, version) VALUES ('org_AAAAAAAAAAAAAAAAAAAA', 'A', '${at}', '${at}', 1), ('org_BBBBBBBBBBBBBBBBBBBB', 'B', '${at}', '${at}', 1);
         INSERT INTO users (id, org_id, email, name, role, password_hash, site_admin, created_at, updated_at, version) VALUES
         ('usr_AAAAAAAAAAAAAAAAAAAA', 'org_AAAAAAAAAAAAAAAAAAAA', 'admin@acme.example', 'A', 'admin', 'h', 1, '${at}', '${at}', 1),
         ('usr_BBBBBBBBBBBBBBBBBBBB', 'org_BBBBBBBBBBBBBBBBBBBB', '${CYRILLIC_A}dmin@acme.example', 'B', 'admin', 'h', 0, '2025-02-01T00:00:00.000Z', '${at}', 1);`,
      );
      await migrateToLatest(
        db.store.db as never,
        db.schema ?? (db.store.dialect === "postgres" ? "public" : undefined),
      );
      const rows = await db.store.db
        .selectFrom("users")
        .select(["id", "email", "email_skeleton"])
        .orderBy("id")
        .execute();
      expect(rows[0]?.email_skeleton).toBe("adrnin@acrne.exarnple");
      expect(rows[1]?.email_skeleton).toBe("adrnin@acrne.exarnple#usr_BBBBBBBBBBBBBBBBBBBB");
      const repo = repoFor(db);
      expect((await repo.identity.userByEmail("ADMIN@acme.example"))?.id).toBe("usr_AAAAAAAAAAAAAAAAAAAA");
      expect((await repo.identity.userByEmail(`${CYRILLIC_A}dmin@acme.example`))?.id).toBe(
        "usr_BBBBBBBBBBBBBBBBBBBB",
      );
      await expect(
        repo.identity.createUser(
          "org_AAAAAAAAAAAAAAAAAAAA",
          { email: "adm\u0131n@acme.example", name: "x", role: "viewer", passwordHash: "h" },
          CLI_ACTOR,
        ),
      ).rejects.toMatchObject({ code: "email-unavailable" });
      expect(await repo.identity.lookAlikeLogins()).toEqual([
        {
          id: "usr_BBBBBBBBBBBBBBBBBBBB",
          email: `${CYRILLIC_A}dmin@acme.example`,
          organisation: "org_BBBBBBBBBBBBBBBBBBBB",
          looksLike: "usr_AAAAAAAAAAAAAAAAAAAA",
        },
      ]);
    } finally {
      await db.cleanup();
    }
  });
});
