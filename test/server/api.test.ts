import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assessment } from "../../src/assessment/model.js";
import { bearer, type Call, DATABASES, makeWorld, type TestUser, type World } from "./helpers.js";

const enc = encodeURIComponent;

describe.each(DATABASES)("API ($name)", (database) => {
  let w: World;
  let editor: Call;
  let assessor: Call;
  beforeAll(async () => {
    w = await makeWorld(database);
    editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    assessor = bearer(w.app, (w.a.users.assessor as TestUser).token);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("serves an OpenAPI 3 document describing every route's input", async () => {
    const r = await w.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(
      doc.paths["/api/products/{id}"].patch.requestBody.content["application/json"].schema.required,
    ).toContain("version");
    expect(doc.components.securitySchemes.bearer.scheme).toBe("bearer");
  });

  it("creates an assessment from a stored profile: one finding per profile item, in the model's shape", async () => {
    const profile = (await editor("GET", `/api/profiles/${w.a.profileId}`)).json();
    const r = await editor("GET", `/api/assessments/${w.a.assessmentId}`);
    expect(r.statusCode).toBe(200);
    const a = r.json() as Assessment & { version: number };
    expect(a.format).toBe("cairn-assessment/1");
    expect(a.findings.map((f) => f.item)).toEqual(profile.profile.items.map((i: { id: string }) => i.id));
    expect(a.profile).toEqual({ file: "profile.json", id: w.a.profileId, sha256: profile.record.sha256 });
    expect(a.product.id).toBe(w.a.productId);
    expect(a.evidence.map((e) => e.id)).toEqual([w.a.linkEvidence, w.a.fileEvidence]);
    expect(a.findings[0]).toMatchObject({ verdict: "not-assessed", evidence: [] });
    expect(typeof (a.findings[0] as { version?: number }).version).toBe("number");
  });

  it("answers 304 to a current ETag, and a new ETag after a change", async () => {
    const first = await editor("GET", `/api/assessments/${w.a.assessmentId}`);
    const etag = first.headers.etag as string;
    const again = await w.app.inject({
      method: "GET",
      url: `/api/assessments/${w.a.assessmentId}`,
      headers: { authorization: `Bearer ${(w.a.users.editor as TestUser).token}`, "if-none-match": etag },
    });
    expect(again.statusCode).toBe(304);
    const item = first.json().findings[1];
    await editor("PATCH", `/api/assessments/${w.a.assessmentId}/findings/${enc(item.item)}`, {
      verdict: "inconclusive",
      version: item.version,
    });
    const after = await editor("GET", `/api/assessments/${w.a.assessmentId}`);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().findings[1].verdict).toBe("inconclusive");
  });

  it("records a finding: verdict, method, statement, notes, evidence; sign-off withdrawn by a later change", async () => {
    const item = w.a.item;
    const url = `/api/assessments/${w.a.assessmentId}/findings/${enc(item)}`;
    let f = (await editor("GET", url)).json();
    const r = await editor("PATCH", url, {
      version: f.version,
      verdict: "pass",
      method: "test",
      statement: { support: "supported", detail: "Unique serial in the certificate." },
      notes: "Checked on unit 3.",
      attach: [w.a.fileEvidence, w.a.linkEvidence],
    });
    expect(r.statusCode).toBe(200);
    f = r.json();
    expect(f).toMatchObject({
      verdict: "pass",
      method: "test",
      statement: { support: "supported" },
      evidence: [w.a.fileEvidence, w.a.linkEvidence],
      // The item as the profile requires it (stringency|method|obligation): a change makes the verdict stale.
      basis: {
        release: "1.0.0",
        profileItem: expect.stringMatching(/^(low|moderate|high)\|[a-z-]+\|[a-z]+$/),
      },
      updated: { by: (w.a.users.editor as TestUser).email },
    });
    const signed = (await assessor("PATCH", url, { version: f.version, signOff: true })).json();
    expect(signed.signOff.reviewer).toBeTruthy();
    const changed = (await editor("PATCH", url, { version: signed.version, notes: "More notes." })).json();
    expect(changed.signOff).toBeUndefined();
    const cleared = (
      await editor("PATCH", url, { version: changed.version, method: null, notes: null })
    ).json();
    expect(cleared.method).toBeUndefined();
    expect(cleared.notes).toBeUndefined();
    // Links are attached and detached, never replaced: a detach names what goes.
    const detached = (
      await editor("PATCH", url, { version: cleared.version, detach: [w.a.linkEvidence] })
    ).json();
    expect(detached.evidence).toEqual([w.a.fileEvidence]);
    const wrong = await editor("PATCH", url, { version: detached.version, detach: [w.a.linkEvidence] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().problems).toEqual([
      { location: "body.detach[0]", message: `${w.a.linkEvidence} is not attached to ${item}` },
    ]);
  });

  it("of two updates with the same version, one gets 200 and the other 409 with the current state", async () => {
    const url = `/api/assessments/${w.a.assessmentId}/findings/${enc(w.a.item)}`;
    const v = (await editor("GET", url)).json().version;
    const [x, y] = await Promise.all([
      editor("PATCH", url, { version: v, verdict: "pass", notes: "first" }),
      assessor("PATCH", url, { version: v, verdict: "fail", notes: "second" }),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const won = x.statusCode === 200 ? x : y;
    const lost = x.statusCode === 200 ? y : x;
    expect(lost.json().code).toBe("stale-version");
    expect(lost.json().current).toEqual(won.json());
    // The same for products and assessments.
    const p = (await editor("GET", `/api/products/${w.a.productId}`)).json();
    const [p1, p2] = await Promise.all([
      editor("PATCH", `/api/products/${w.a.productId}`, { version: p.version, model: "M1" }),
      editor("PATCH", `/api/products/${w.a.productId}`, { version: p.version, model: "M2" }),
    ]);
    expect([p1.statusCode, p2.statusCode].sort()).toEqual([200, 409]);
    expect((p1.statusCode === 409 ? p1 : p2).json().current.version).toBe(p.version + 1);
    const a = (await editor("GET", `/api/assessments/${w.a.assessmentId}`)).json();
    const stale = await editor("PATCH", `/api/assessments/${w.a.assessmentId}`, {
      version: a.version - 1 || 99,
      title: "x",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current.id).toBe(w.a.assessmentId);
  });

  it("freezes findings once the assessment is done", async () => {
    const a = (await assessor("GET", `/api/assessments/${w.a.assessmentId}`)).json();
    const done = await assessor("PATCH", `/api/assessments/${w.a.assessmentId}`, {
      version: a.version,
      status: "done",
    });
    expect(done.statusCode).toBe(200);
    const f = done.json().findings[2];
    const r = await editor("PATCH", `/api/assessments/${w.a.assessmentId}/findings/${enc(f.item)}`, {
      version: f.version,
      verdict: "pass",
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("assessment-done");
    const reopened = await assessor("PATCH", `/api/assessments/${w.a.assessmentId}`, {
      version: done.json().version,
      status: "in-progress",
    });
    expect(reopened.statusCode).toBe(200);
  });

  it("validates input: 400 with the paths of the wrong fields", async () => {
    const cases: [string, string, unknown, string[]][] = [
      [
        "POST",
        "/api/products",
        { manufacturer: "", model: 3, colour: "red" },
        ["body.category", "body.colour", "body.manufacturer", "body.model"],
      ],
      [
        "POST",
        "/api/assessments",
        {
          title: "t",
          kind: "fourth-party",
          productId: "nope",
          profileId: w.a.profileId,
          release: { version: "1", date: "yesterday", extra: 1 },
        },
        ["body.kind", "body.productId", "body.release.date", "body.release.extra"],
      ],
      [
        "PATCH",
        `/api/assessments/${w.a.assessmentId}/findings/${enc(w.a.item)}`,
        { version: 0, verdict: "great", attach: ["E-0001", "../etc"], statement: { support: "maybe" } },
        ["body.attach[1]", "body.statement", "body.statement.support", "body.verdict", "body.version"],
      ],
      ["PATCH", `/api/products/${w.a.productId}`, { model: "x" }, ["body.version"]],
      ["GET", "/api/search?q=x&limit=5000", undefined, ["query.limit"]],
      ["GET", "/api/products/..%2F..%2Fetc", undefined, ["params.id"]],
      [
        "POST",
        "/api/profiles",
        {
          context: {
            impact: { confidentiality: "severe", integrity: "low", availability: "low" },
            environment: "moon",
          },
        },
        [
          "body.context.connectivity",
          "body.context.data",
          "body.context.environment",
          "body.context.impact.confidentiality",
          "body.context.lifetimeYears",
          "body.context.markets",
        ],
      ],
      [
        "POST",
        `/api/assessments/${w.a.assessmentId}/evidence`,
        { kind: "link", title: "t", strength: "proves" },
        ["body.url"],
      ],
    ];
    for (const [method, url, body, paths] of cases) {
      const r = await editor(method as "POST", url, body);
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(400);
      const got = [...new Set((r.json().problems as { location: string }[]).map((p) => p.location))].sort();
      expect(got, `${method} ${url}`).toEqual(expect.arrayContaining(paths));
      expect(r.json().code).toBe("invalid-request");
    }
    // Evidence ids that do not exist in the assessment: also 400 with the path.
    const f = (await editor("GET", `/api/assessments/${w.a.assessmentId}/findings/${enc(w.a.item)}`)).json();
    const r = await editor("PATCH", `/api/assessments/${w.a.assessmentId}/findings/${enc(w.a.item)}`, {
      version: f.version,
      attach: [w.a.linkEvidence, "E-0999"],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().problems).toEqual([
      { location: "body.attach[1]", message: expect.stringContaining("E-0999") },
    ]);
  });

  it("answers 404 to unknown routes, 400 to bad JSON, 415 to other media types; no stack traces", async () => {
    const token = (w.a.users.editor as TestUser).token;
    const unknown = await w.app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe("not-found");
    const badJson = await w.app.inject({
      method: "POST",
      url: "/api/products",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: '{"manufacturer": ',
    });
    expect(badJson.statusCode).toBe(400);
    const xml = await w.app.inject({
      method: "POST",
      url: "/api/products",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" },
      payload: "<product/>",
    });
    expect(xml.statusCode).toBe(415);
    for (const r of [unknown, badJson, xml]) {
      expect(r.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      // A body that cannot be read says where, as every other refusal of the request does.
      expect(Object.keys(r.json()).sort()).toEqual(
        r === badJson ? ["code", "message", "problems"] : ["code", "message"],
      );
    }
    expect(badJson.json().problems).toEqual([{ location: "body", message: expect.any(String) }]);
  });

  it("keeps internal errors internal: 500 with a generic message", async () => {
    const db = await database.open();
    const { makeServer } = await import("./helpers.js");
    const app = await makeServer(db);
    await db.store.close();
    const r = await app.inject({ method: "GET", url: "/api/health" });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ code: "internal", message: "internal error" });
    await app.close();
    await db.cleanup();
  });

  it("serves catalogs: list, one with its items, an item by id, search", async () => {
    const viewer = bearer(w.app, (w.a.users.viewer as TestUser).token);
    const list = (await viewer("GET", "/api/catalogs")).json().catalogs as { id: string }[];
    expect(list.map((c) => c.id)).toContain("nist-sp-800-53");
    const c = (await viewer("GET", "/api/catalogs/nist-ir-8259a")).json();
    expect(c.items.length).toBe(c.catalog.items);
    const item = (await viewer("GET", "/api/items/nist-sp-800-53:AC-2")).json();
    expect(item.item.id).toBe("nist-sp-800-53:AC-2");
    expect(item.ancestors.map((a: { id: string }) => a.id)).toEqual(["nist-sp-800-53:AC"]);
    expect((await viewer("GET", "/api/items/nist-sp-800-53:NOPE-1")).statusCode).toBe(404);
    expect((await viewer("GET", "/api/catalogs/unknown-catalog")).statusCode).toBe(404);
    const hits = (await viewer("GET", "/api/search?q=software%20update&limit=5")).json().hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(5);
  });

  it("deletes a product only at its current version and only without assessments", async () => {
    const p = (
      await editor("POST", "/api/products", { manufacturer: "M", model: "short-lived", category: "c" })
    ).json();
    expect((await editor("DELETE", `/api/products/${p.id}?version=7`)).statusCode).toBe(409);
    expect((await editor("DELETE", `/api/products/${p.id}?version=1`)).statusCode).toBe(200);
    expect((await editor("GET", `/api/products/${p.id}`)).statusCode).toBe(404);
    const used = (await editor("GET", `/api/products/${w.a.productId}`)).json();
    const r = await editor("DELETE", `/api/products/${w.a.productId}?version=${used.version}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("in-use");
  });

  it("keeps the audit chain verifiable through all of the above", async () => {
    const r = await bearer(w.app, (w.a.users.admin as TestUser).token)("GET", "/api/audit/verify");
    expect(r.json()).toMatchObject({ ok: true, problems: [] });
    expect(r.json().chains[0].entries).toBeGreaterThan(10);
  });
});
