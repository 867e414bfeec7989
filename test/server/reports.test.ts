import { rmSync } from "node:fs";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDossier } from "../../src/dossier/manifest.js";
import { DEMO_EMAIL, DEMO_ORGANISATION, seedDemo } from "../../src/server/demo.js";
import { verifyAudit } from "../../src/store/audit.js";
import {
  bearer,
  type Call,
  DATABASES,
  login,
  makeServer,
  makeWorld,
  type OpenedDatabase,
  TEST_PASSWORD_COST,
  type TestUser,
  type World,
} from "./helpers.js";

// The endpoints behind the UI's reference, profile and report screens: vocabulary, family, matrix,
// tailoring, readiness, pitfalls, dossier; and the demo data of `cairn serve --demo`.

const enc = encodeURIComponent;

function zipFiles(body: Buffer): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(new Uint8Array(body))).filter(([name]) => !name.endsWith("/")));
}

// Two tests build three dossiers (HTML, PDF, OSCAL) of the temperature-sensor preset's profile,
// 314 items since rules 2026.12 (the LOW baseline's SP 800-213A items; 78 before), and the demo's
// test one of the worked example (495 items, 463 before): more than the default 20 s on a machine
// shared with other jobs.
const DOSSIER_TIMEOUT = 60_000;

describe.each(DATABASES)("reference and report endpoints ($name)", (database) => {
  let w: World;
  let viewer: Call;
  let editor: Call;
  let admin: Call;
  beforeAll(async () => {
    w = await makeWorld(database);
    viewer = bearer(w.app, (w.a.users.viewer as TestUser).token);
    editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    admin = bearer(w.app, (w.a.users.admin as TestUser).token);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("gives the rules' vocabulary, beside /api/profiles/:id", async () => {
    const r = await viewer("GET", "/api/profiles/vocabulary");
    expect(r.statusCode).toBe(200);
    const { vocabulary } = r.json();
    for (const key of ["environment", "connectivity", "data", "markets"]) {
      expect(vocabulary[key].length).toBeGreaterThan(0);
      expect(vocabulary[key][0]).toEqual({ id: expect.any(String), label: expect.any(String) });
    }
    expect(vocabulary.markets.map((m: { id: string }) => m.id)).toContain("eu-cra");
    expect(vocabulary.lifetimeYears).toEqual({ min: expect.any(Number), max: expect.any(Number) });
    expect((await viewer("GET", `/api/profiles/${w.a.profileId}`)).json().profile.id).toBe(w.a.profileId);
  });

  it("gives the document family", async () => {
    const r = await viewer("GET", "/api/family");
    expect(r.statusCode).toBe(200);
    const family = r.json();
    expect(family.format).toBe("cairn-document-family/1");
    expect(family.documents.length).toBeGreaterThan(3);
    expect(family.edges.length).toBeGreaterThan(3);
  });

  it("builds the crosswalk matrix as JSON, CSV and XLSX", async () => {
    const url = "/api/matrix?anchor=nist-ir-8259a&columns=etsi-en-303-645,eu-cra&depth=1";
    const r = await viewer("GET", url);
    expect(r.statusCode).toBe(200);
    const { matrix, titles } = r.json();
    expect(matrix.anchor).toMatch(/^nist-ir-8259a@/);
    expect(matrix.columns).toEqual(["etsi-en-303-645", "eu-cra"]);
    expect(matrix.rows.length).toBeGreaterThan(3);
    expect(matrix.rows.every((row: { depth: number }) => row.depth === 0)).toBe(true);
    expect(
      matrix.rows.some(
        (row: { cells: Record<string, unknown[]> }) => (row.cells["etsi-en-303-645"] ?? []).length > 0,
      ),
    ).toBe(true);
    expect(titles["nist-ir-8259a"]).toBeTruthy();

    const csv = await viewer("GET", `${url}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="matrix-nist-ir-8259a-depth1.csv"');
    expect(csv.body.split("\n").length).toBeGreaterThan(matrix.rows.length);
    const xlsx = await viewer("GET", `${url}&format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    expect(xlsx.headers["content-disposition"]).toMatch(/^attachment; filename=".*\.xlsx"$/);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");

    // Without columns: every catalog the crosswalks reach.
    const all = (await viewer("GET", "/api/matrix?anchor=nist-ir-8259a&depth=1")).json();
    expect(all.matrix.columns.length).toBeGreaterThan(2);
    expect(all.matrix.columns).not.toContain("nist-ir-8259a");

    const bad = await viewer("GET", "/api/matrix?anchor=nope&columns=eu-cra,also-not");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems.map((p: { location: string }) => p.location)).toEqual([
      "query.anchor",
      "query.columns[1]",
    ]);
    expect((await viewer("GET", `${url}&format=pdf`)).statusCode).toBe(400);
    expect((await viewer("GET", "/api/matrix")).json().problems[0].location).toBe("query.anchor");
  });

  it("tailors a profile: author from the caller, version checked, audited; refused once assessments use it", async () => {
    const made = (await editor("POST", "/api/profiles", { preset: "temperature-sensor-industrial" })).json();
    const id = made.profile.id as string;
    const before = (await editor("GET", `/api/profiles/${id}`)).json();
    const removed = before.profile.items.find((i: { catalog: string }) => i.catalog === "nist-ir-8259a").id;
    const url = `/api/profiles/${id}/tailoring`;
    const r = await editor("POST", url, {
      action: "remove",
      item: removed,
      rationale: "  The device has no user interface.  ",
      version: 1,
    });
    expect(r.statusCode).toBe(200);
    const after = r.json();
    expect(after.record.version).toBe(2);
    expect(after.record.itemCount).toBe(before.record.itemCount - 1);
    expect(after.record.sha256).not.toBe(before.record.sha256);
    expect(after.profile.items.map((i: { id: string }) => i.id)).not.toContain(removed);
    const entry = after.profile.tailoring.at(-1);
    const user = w.a.users.editor as TestUser;
    expect(entry).toMatchObject({
      action: "remove",
      item: removed,
      rationale: "The device has no user interface.",
    });
    expect(entry.author).toContain(user.email);
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
    // A core 8259A item removed stays visible as a warning.
    expect(after.profile.warnings.join(" ")).toContain(removed);
    // The same record and profile, with the author's name beside them.
    expect((await editor("GET", `/api/profiles/${id}`)).json()).toMatchObject(after);

    // A stale version: 409 with the profile as it is now.
    const stale = await editor("POST", url, { action: "add", item: removed, rationale: "Back.", version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe("stale-version");
    expect(stale.json().current).toEqual(after);

    const added = await editor("POST", url, {
      action: "add",
      item: "nist-ir-8425:P1",
      rationale: "Label.",
      version: 2,
    });
    expect(added.statusCode).toBe(200);
    const addedItem = added.json().profile.items.find((i: { id: string }) => i.id === "nist-ir-8425:P1");
    expect(addedItem).toMatchObject({ tailored: true, catalog: "nist-ir-8425" });

    // Input the profile cannot take: the item is named.
    for (const body of [
      { action: "add", item: "nist-ir-8425:P1", rationale: "Twice.", version: 3 },
      { action: "add", item: "nist-ir-8425:no-such-ref", rationale: "x", version: 3 },
      { action: "remove", item: "eu-cra:nope", rationale: "x", version: 3 },
      { action: "remove", item: removed, rationale: "   ", version: 3 },
      { action: "drop", item: removed, rationale: "x", version: 3 },
    ]) {
      const bad = await editor("POST", url, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().problems[0].location).toMatch(/^body\.(item|rationale|action)$/);
    }

    const audit = (await admin("GET", "/api/audit?limit=1000")).json().entries as {
      action: string;
      target: string;
      actor: { id: string };
      detail: Record<string, unknown>;
    }[];
    const tailored = audit.filter((e) => e.action === "profile.tailor" && e.target === `profile:${id}`);
    expect(tailored.map((e) => e.detail.action)).toEqual(["remove", "add"]);
    expect(tailored[0]?.actor.id).toBe(user.id);
    expect(tailored[0]?.detail).toMatchObject({
      item: removed,
      version: 2,
      rationale: "The device has no user interface.",
    });

    // Viewers read, never tailor; another organisation's profile does not exist.
    expect(
      (await viewer("POST", url, { action: "remove", item: removed, rationale: "x", version: 3 })).statusCode,
    ).toBe(403);
    const foreign = bearer(w.app, (w.b.users.admin as TestUser).token);
    expect(
      (await foreign("POST", url, { action: "remove", item: removed, rationale: "x", version: 3 }))
        .statusCode,
    ).toBe(404);

    // The fixture's profile has an assessment: its findings and recorded hash follow it as it is.
    const used = (await editor("GET", `/api/profiles/${w.a.profileId}`)).json();
    const refused = await editor("POST", `/api/profiles/${w.a.profileId}/tailoring`, {
      action: "remove",
      item: used.profile.items[0].id,
      rationale: "x",
      version: used.record.version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("in-use");
    const { author: _author, ...stored } = used;
    expect(refused.json().current).toEqual(stored);
    expect((await editor("GET", `/api/profiles/${w.a.profileId}`)).json()).toEqual(used);
  });

  it("needs the CSRF token to tailor with a session", async () => {
    const made = (await editor("POST", "/api/profiles", { preset: "temperature-sensor-industrial" })).json();
    const item = (await editor("GET", `/api/profiles/${made.profile.id}`)).json().profile.items[0].id;
    const s = await login(w.app, (w.a.users.editor as TestUser).email);
    const body = { action: "remove", item, rationale: "Not used.", version: 1 };
    const url = `/api/profiles/${made.profile.id}/tailoring`;
    const without = await w.app.inject({ method: "POST", url, payload: body, cookies: s.cookies });
    expect(without.statusCode).toBe(403);
    const withToken = await w.app.inject({
      method: "POST",
      url,
      payload: body,
      cookies: s.cookies,
      headers: { "x-csrf-token": s.csrf },
    });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.json().profile.tailoring[0].author).toContain((w.a.users.editor as TestUser).email);
  });

  it("computes readiness from the findings: a verdict just given counts (not stale)", async () => {
    const item = w.a.item;
    const f = (await editor("GET", `/api/assessments/${w.a.assessmentId}/findings/${enc(item)}`)).json();
    const saved = await editor("PATCH", `/api/assessments/${w.a.assessmentId}/findings/${enc(item)}`, {
      version: f.version,
      verdict: "pass",
      method: "examine",
    });
    expect(saved.statusCode).toBe(200);
    const r = await viewer("GET", `/api/assessments/${w.a.assessmentId}/readiness`);
    expect(r.statusCode).toBe(200);
    const { readiness } = r.json() as {
      readiness: {
        market: string;
        items: { item: string; result: string; source: string }[];
        counts: object;
      }[];
    };
    expect(readiness.map((m) => m.market)).toEqual([
      "us-federal",
      "us-consumer-label",
      "eu-cra",
      "etsi-en-303-645",
    ]);
    const federal = readiness.find((m) => m.market === "us-federal");
    expect(federal?.items.find((i) => i.item === item)).toMatchObject({ result: "pass", source: "direct" });
    expect(federal?.counts).toMatchObject({ met: expect.any(Number) });
  });

  it("lints the assessment for pitfalls", async () => {
    const r = await viewer("GET", `/api/assessments/${w.a.assessmentId}/pitfalls`);
    expect(r.statusCode).toBe(200);
    const { pitfalls } = r.json() as { pitfalls: { id: string; severity: string; title: string }[] };
    expect(Array.isArray(pitfalls)).toBe(true);
    for (const p of pitfalls) expect(["error", "warning"]).toContain(p.severity);
  });

  it("builds the dossier: a zip that verifies, with the evidence files and the assessment's audit trail", {
    timeout: DOSSIER_TIMEOUT,
  }, async () => {
    const r = await viewer("GET", `/api/assessments/${w.a.assessmentId}/dossier`);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/zip");
    // Nothing is assessed yet: a DRAFT by itself, and the file name says so.
    expect(r.headers["content-disposition"]).toMatch(
      /^attachment; filename="cairn-dossier-[A-Za-z0-9._-]+-DRAFT\.zip"; filename\*=UTF-8''cairn-dossier-[A-Za-z0-9._-]+-DRAFT\.zip$/,
    );
    expect(r.headers["x-dossier-draft"]).toBe("open");
    const files = zipFiles(r.rawPayload);
    const check = verifyDossier(files);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.manifest?.draft).toBe(true);
    // Final over open matters: an assessor's call, recorded in the manifest with who issued it.
    const final = `/api/assessments/${w.a.assessmentId}/dossier?final=${encodeURIComponent("pilot release")}`;
    expect((await viewer("GET", final)).statusCode).toBe(403);
    const assessor = bearer(w.app, (w.a.users.assessor as TestUser).token);
    const f = await assessor("GET", final);
    expect(f.statusCode).toBe(200);
    expect(f.headers["x-dossier-draft"]).toBe("final-by-override");
    const fm = verifyDossier(zipFiles(f.rawPayload)).manifest;
    expect(fm?.draft).toBe(false);
    expect(fm?.final).toEqual({ reason: "pilot release", by: expect.stringContaining("assessor") });
    expect(r.headers["x-dossier-manifest-sha256"]).toBe(check.manifest?.manifestSha256);
    for (const name of ["report.html", "report.pdf", "oscal/assessment-results.json", "audit-trail.json"])
      expect(files.has(name), name).toBe(true);
    const evidence = (
      await viewer("GET", `/api/assessments/${w.a.assessmentId}/evidence/${w.a.fileEvidence}`)
    ).json();
    const stored = [...files.keys()].find((p) => p.startsWith(`evidence/${evidence.file.sha256}`));
    expect(stored).toBeDefined();
    expect(Buffer.from(files.get(stored as string) as Uint8Array).toString()).toContain("report of");
    const trail = JSON.parse(Buffer.from(files.get("audit-trail.json") as Uint8Array).toString()) as {
      action: string;
      target: string;
      chain: string;
    }[];
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(["assessment.create", "evidence.add", "finding.update"]),
    );
    expect(trail.every((e) => e.chain === w.a.id)).toBe(true);
    // Only this assessment's entries (and its product's and profile's).
    const other = (
      await admin("POST", "/api/assessments", {
        title: "other",
        kind: "self-attestation",
        productId: w.a.productId,
        profileId: w.a.profileId,
        release: { version: "9", date: "2026-02-01" },
      })
    ).json();
    const again = zipFiles((await viewer("GET", `/api/assessments/${w.a.assessmentId}/dossier`)).rawPayload);
    const trail2 = JSON.parse(Buffer.from(again.get("audit-trail.json") as Uint8Array).toString()) as {
      target: string;
    }[];
    expect(trail2.some((e) => e.target.includes(other.id))).toBe(false);

    // Another organisation's assessment does not exist.
    const foreign = bearer(w.app, (w.b.users.admin as TestUser).token);
    expect((await foreign("GET", `/api/assessments/${w.a.assessmentId}/dossier`)).statusCode).toBe(404);
  });

  it("refuses a dossier that does not validate, naming the problem, and builds it as a draft", {
    timeout: DOSSIER_TIMEOUT,
  }, async () => {
    const world = await makeWorld(database);
    try {
      const as = bearer(world.app, (world.a.users.viewer as TestUser).token);
      const e = (
        await as("GET", `/api/assessments/${world.a.assessmentId}/evidence/${world.a.fileEvidence}`)
      ).json();
      await world.blobs.remove(e.file.sha256);
      const refused = await as("GET", `/api/assessments/${world.a.assessmentId}/dossier`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe("dossier-invalid");
      expect(
        refused
          .json()
          .problems.map((p: { message: string }) => p.message)
          .join("\n"),
      ).toContain("missing");
      const draft = await as("GET", `/api/assessments/${world.a.assessmentId}/dossier?draft=true`);
      expect(draft.statusCode).toBe(200);
      expect(draft.headers["content-disposition"]).toContain("-DRAFT.zip");
      const check = verifyDossier(zipFiles(draft.rawPayload));
      expect(check.ok).toBe(true);
      expect(check.manifest?.draft).toBe(true);
    } finally {
      await world.close();
    }
  });
});

describe.each(DATABASES)("demo data ($name)", (database) => {
  let db: OpenedDatabase;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it("seeds an organisation, an admin and the worked example once; its dossier validates", {
    timeout: DOSSIER_TIMEOUT,
  }, async () => {
    const seeded = await seedDemo({ store: db.store, dataDir: db.dir, passwordCost: TEST_PASSWORD_COST });
    if (!seeded.created) throw new Error("the demo was not created on an empty database");
    expect(seeded).toMatchObject({ email: DEMO_EMAIL, findings: 495, evidence: 10 });
    expect(seeded.password.length).toBeGreaterThanOrEqual(20);
    expect(await seedDemo({ store: db.store, dataDir: db.dir, passwordCost: TEST_PASSWORD_COST })).toEqual({
      created: false,
    });

    const app = await makeServer(db);
    try {
      const s = await login(app, DEMO_EMAIL, seeded.password);
      expect(s.response.statusCode).toBe(200);
      const get = (url: string) => app.inject({ method: "GET", url, cookies: s.cookies });
      const me = (await get("/api/auth/me")).json();
      expect(me.organisation.name).toBe(DEMO_ORGANISATION);
      expect(me.user.role).toBe("admin");
      const list = (await get("/api/assessments")).json().assessments;
      expect(list).toHaveLength(1);
      const a = (await get(`/api/assessments/${seeded.assessmentId}`)).json();
      expect(a.findings).toHaveLength(495);
      expect(a.evidence).toHaveLength(10);
      expect(a.status).toBe("in-review");
      expect(a.findings.filter((f: { signOff?: object }) => f.signOff).length).toBeGreaterThan(0);
      const file = a.evidence.find((e: { file?: object }) => e.file);
      const download = await get(`/api/assessments/${a.id}/evidence/${file.id}/file`);
      expect(download.statusCode).toBe(200);
      expect(download.headers.etag).toBe(`"${file.file.sha256}"`);

      // The findings' verdicts are current (not stale): every federal item is met.
      const readiness = (await get(`/api/assessments/${a.id}/readiness`)).json().readiness;
      const federal = readiness.find((m: { market: string }) => m.market === "us-federal");
      expect(federal.counts.met).toBeGreaterThan(300);
      expect(federal.counts.unknown).toBe(0);

      const dossier = await get(`/api/assessments/${a.id}/dossier`);
      expect(dossier.statusCode).toBe(200);
      const dossierFiles = zipFiles(dossier.rawPayload);
      const check = verifyDossier(dossierFiles);
      expect(check.ok).toBe(true);
      expect(check.manifest?.files.filter((f) => f.path.startsWith("evidence/"))).toHaveLength(9);
      // Market readiness is dated by the assessment, as in the CLI's dossier (eu-cra's timeline).
      const html = new TextDecoder().decode(dossierFiles.get("report.html"));
      expect(html).toContain(`On ${a.updated.slice(0, 10)}:`);

      const audit = (await get("/api/audit?limit=1000"))
        .json()
        .entries.map((e: { action: string }) => e.action);
      // The organisation's chain opens with its creation (by whom, as its admins may see it).
      expect(audit.slice(0, 5)).toEqual([
        "organisation.create",
        "user.create",
        "product.create",
        "profile.create",
        "assessment.import",
      ]);
      expect((await verifyAudit(db.store.db)).ok).toBe(true);
    } finally {
      await app.close();
    }
  });
});
