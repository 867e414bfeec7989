/**
 * Hostile input to the API (issue 15): U+0000, which PostgreSQL's text refuses (a 500 there, even
 * on an unauthenticated login), and user objects whose keys are method names. Each must be a 400
 * naming the field, on every backend.
 */

import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findNul } from "../../src/server/nul.js";
import { bearer, DATABASES, makeWorld, type TestUser, upload, type World } from "./helpers.js";

describe("findNul", () => {
  it("names the first string or key holding U+0000, however deep", () => {
    expect(findNul({ a: ["x", { b: "y\u0000" }] }, "body")).toBe("body.a[1].b");
    expect(findNul({ "we ird\u0000": 1 }, "body")).toBe('body["we ird\\u0000"]');
    expect(findNul({ a: "fine", b: [1, null, true] }, "body")).toBeUndefined();
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep, "body")).toMatch(/^body(\[0\]){100000}$/);
  });
  it("leaves a body that is a stream of bytes alone (a cyclic object graph, not JSON)", () => {
    const stream = Readable.from([Buffer.from("a\u0000b")]);
    const started = Date.now();
    expect(findNul(stream, "body")).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe.each(DATABASES)("hostile input ($name)", (database) => {
  let world: World;
  let admin: TestUser;
  beforeAll(async () => {
    world = await makeWorld(database);
    admin = world.a.users.admin as TestUser;
  });
  afterAll(async () => world.close());

  it("a NUL in an unauthenticated login is a 400 naming the field, not a 500", async () => {
    const r = await world.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "admin\u0000@x.test", password: "whatever it is" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: "invalid-request",
      problems: [{ location: "body.email", message: expect.stringMatching(/NUL character/) }],
    });
  });

  it("a body that is not JSON, or holds a __proto__ or constructor key, is a 400 naming the body", async () => {
    for (const payload of ['{"email": "a@x.test",', '{"__proto__": {"admin": true}, "email": "a@x.test"}']) {
      const r = await world.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(r.statusCode, payload).toBe(400);
      expect(r.json(), payload).toMatchObject({ code: "bad-request", problems: [{ location: "body" }] });
    }
  });

  it("a NUL in a body, a key, a query string or a path parameter of an authenticated call", async () => {
    const as = bearer(world.app, admin.token);
    const product = await as("POST", "/api/products", {
      manufacturer: "Acme\u0000",
      model: "X",
      category: "camera",
    });
    expect(product.statusCode).toBe(400);
    expect(product.json().problems).toEqual([
      { location: "body.manufacturer", message: expect.stringMatching(/NUL/) },
    ]);
    const profile = await as("POST", "/api/profiles", {
      context: {
        impact: { confidentiality: "low", integrity: "low", availability: "low" },
        environment: "office",
        connectivity: "internal-network",
        data: ["public\u0000"],
        lifetimeYears: 5,
        markets: ["us-federal"],
      },
    });
    expect(profile.statusCode).toBe(400);
    expect(profile.json().problems[0].location).toBe("body.context.data[0]");
    const key = await as("POST", "/api/profiles", { context: { "x\u0000": 1 } });
    expect(key.statusCode).toBe(400);
    const search = await as("GET", "/api/search?q=pass%00word");
    expect(search.statusCode).toBe(400);
    expect(search.json().problems[0].location).toBe("query.q");
    const param = await as("GET", `/api/products/${world.a.productId}%00`);
    expect(param.statusCode).toBe(400);
    expect(param.json().problems[0].location).toBe("params.id");
    const file = await upload(world.app, admin.token, world.a.assessmentId, {
      fields: { title: "Report\u0000" },
      file: { name: "r.txt", content: Buffer.from("r") },
    });
    expect(file.statusCode).toBe(400);
    expect(file.json().problems[0].location).toBe("body.title");
    // Nothing of it was stored.
    const list = await as("GET", "/api/products");
    expect(JSON.stringify(list.json())).not.toContain("\\u0000");
  });

  it("an uploaded file name loses its bidirectional and other format characters", async () => {
    const r = await upload(world.app, admin.token, world.a.assessmentId, {
      fields: { title: "Signed firmware" },
      file: { name: "firmware\u202Egpj.exe\u200B\u2066", content: Buffer.from("MZ") },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().file.name).toBe("firmwaregpj.exe");
    const download = await world.app.inject({
      method: "GET",
      url: `/api/assessments/${world.a.assessmentId}/evidence/${r.json().id}/file`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(download.headers["content-disposition"]).toContain('filename="firmwaregpj.exe"');
  });

  it("a profile context whose values are objects with method names is a 400 naming the field", async () => {
    const as = bearer(world.app, admin.token);
    const valid = {
      impact: { confidentiality: "low", integrity: "low", availability: "low" },
      environment: "office",
      connectivity: "internal-network",
      data: ["public"],
      lifetimeYears: 5,
      markets: ["us-federal"],
    };
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...valid, impact: { ...valid.impact, confidentiality: { toString: 1 } } },
        "body.context.impact.confidentiality",
      ],
      [
        { ...valid, impact: { ...valid.impact, integrity: { valueOf: 1, toString: 1 } } },
        "body.context.impact.integrity",
      ],
      [{ ...valid, environment: { toString: 1 } }, "body.context.environment"],
      [{ ...valid, data: [{ toString: 1 }] }, "body.context.data[0]"],
      [{ ...valid, lifetimeYears: { valueOf: 1 } }, "body.context.lifetimeYears"],
      [{ ...valid, impact: { toString: 1 } }, "body.context.impact.toString"],
      [{ ...valid, impact: [] }, "body.context.impact"],
      [{ ...valid, toString: 1 }, "body.context.toString"],
    ];
    for (const [context, location] of cases) {
      const r = await as("POST", "/api/profiles", { context });
      expect(r.statusCode, location).toBe(400);
      expect(
        r.json().problems.map((p: { location: string }) => p.location),
        location,
      ).toContain(location);
    }
    // __proto__ and constructor.prototype keys: Fastify's JSON parser refuses the body (400).
    expect(
      (await as("POST", "/api/profiles", { context: { ...valid, constructor: { prototype: 1 } } }))
        .statusCode,
    ).toBe(400);
    const raw = await world.app.inject({
      method: "POST",
      url: "/api/profiles",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
      payload: `{"context": {"__proto__": {"environment": "office"}, "impact": {"confidentiality": {"toString": 1}}}}`,
    });
    expect(raw.statusCode).toBe(400);
  });
});
