import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Assessment } from "../../src/assessment/model.js";
import { newId } from "../../src/store/ids.js";
import {
  bearer,
  DATABASES,
  MATRIX_ROLES,
  type MatrixRole,
  type MultipartInput,
  makeWorld,
  multipartBody,
  type OrgFixture,
  type TestUser,
  unique,
  type World,
} from "./helpers.js";

// The authorisation matrix: every route x every role x own and foreign organisation, and anonymous.
// Own objects: the route's success status for roles that may, 403 for roles that may not.
// Foreign objects: 404 (never 403 nor 200: nothing tells that they exist), anonymous: 401.

interface Req {
  url: string;
  body?: unknown;
  multipart?: MultipartInput;
  /** A body sent as application/octet-stream (an evidence file pushed by hash). */
  bytes?: Buffer;
}

interface Case {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The route as registered (checked against the OpenAPI document: no route is left out). */
  route: string;
  allowed: readonly MatrixRole[];
  ok: number;
  own(w: World, org: OrgFixture, user: TestUser): Promise<Req> | Req;
  /** A request naming the other organisation's object. Absent for routes without one. */
  foreign?(w: World, other: OrgFixture, user: TestUser, org: OrgFixture): Promise<Req> | Req;
  /** Statuses other than 404 for foreign objects, by role. */
  foreignStatus?: Partial<Record<MatrixRole, number>>;
}

const ALL: readonly MatrixRole[] = MATRIX_ROLES;
const ADMINS: readonly MatrixRole[] = ["admin", "site"];
const WRITERS: readonly MatrixRole[] = ["admin", "site", "editor", "assessor"];
const PRODUCT_WRITERS: readonly MatrixRole[] = ["admin", "site", "editor"];

async function version(w: World, table: "products" | "users" | "organisations", id: string): Promise<number> {
  const r = await w.db.store.db
    .selectFrom(table)
    .select("version")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return Number(r.version);
}

async function findingVersion(w: World, assessment: string, item: string): Promise<number> {
  const r = await w.db.store.db
    .selectFrom("assessments")
    .select("body")
    .where("id", "=", assessment)
    .executeTakeFirstOrThrow();
  const f = (JSON.parse(r.body) as Assessment).findings.find((x) => x.item === item);
  return f?.version ?? 1;
}

async function assessmentVersion(w: World, id: string): Promise<number> {
  const r = await w.db.store.db
    .selectFrom("assessments")
    .select("revision")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return Number(r.revision);
}

const enc = encodeURIComponent;

/**
 * A job of the organisation in a given state, written as a runner would leave it: failed (to
 * retry), or done with a result naming a file the organisation holds (to download).
 */
async function jobIn(w: World, org: OrgFixture, state: "failed" | "done"): Promise<string> {
  const id = newId("job");
  const at = new Date().toISOString();
  let result: string | null = null;
  if (state === "done") {
    const admin = bearer(w.app, (org.users.admin as TestUser).token);
    const e = (
      await admin("GET", `/api/assessments/${org.assessmentId}/evidence/${org.fileEvidence}`)
    ).json();
    result = JSON.stringify({ built: true, sha256: e.file.sha256, size: e.file.size, name: "dossier.zip" });
  }
  await w.db.store.db
    .insertInto("jobs")
    .values({
      id,
      org_id: org.id,
      kind: "dossier",
      subject: `assessment:${org.assessmentId}`,
      payload: JSON.stringify({ assessmentId: org.assessmentId, draft: true }),
      state,
      progress: state === "done" ? 100 : 0,
      message: null,
      result,
      error: state === "failed" ? "the worker stopped" : null,
      attempts: 3,
      created_by: "authz@test",
      created_at: at,
      updated_at: at,
      started_at: at,
      finished_at: at,
      worker: null,
      lease_until: null,
    })
    .execute();
  return id;
}

/** The organisation's assessment as `cairn pull` receives it. */
async function pkg(w: World, org: OrgFixture) {
  const admin = bearer(w.app, (org.users.admin as TestUser).token);
  return (await admin("GET", `/api/assessments/${org.assessmentId}/package`)).json() as {
    revision: number;
    assessmentText: string;
    profileText: string;
    files: { sha256: string }[];
  };
}

/** A folder to import: the organisation's assessment as a new copy, its sign-offs left out. */
async function importable(w: World, org: OrgFixture) {
  const p = await pkg(w, org);
  const a = JSON.parse(p.assessmentText) as Assessment;
  for (const f of a.findings) delete f.signOff;
  return {
    assessmentText: `${JSON.stringify({ ...a, status: "in-progress" }, null, 2)}\n`,
    profileText: p.profileText,
  };
}

/** A tailoring request on a new profile of the organisation (made by its admin). */
async function tailoring(w: World, org: OrgFixture): Promise<Req> {
  const as = bearer(w.app, (org.users.admin as TestUser).token);
  const made = await as("POST", "/api/profiles", { preset: "temperature-sensor-industrial", title: "t" });
  const id = made.json().profile.id as string;
  const item = (await as("GET", `/api/profiles/${id}`)).json().profile.items[0].id as string;
  return {
    url: `/api/profiles/${id}/tailoring`,
    body: { action: "remove", item, rationale: "Not applicable to this device.", version: 1 },
  };
}

const CASES: Case[] = [
  { method: "GET", route: "/api/auth/me", allowed: ALL, ok: 200, own: () => ({ url: "/api/auth/me" }) },
  {
    method: "POST",
    route: "/api/auth/logout",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/auth/logout" }),
  },
  // The matrix calls with API tokens: a token mints no token and changes no password, whatever
  // the role (403 session-required); with a password session they do (test/server/access.test.ts).
  {
    method: "POST",
    route: "/api/auth/tokens",
    allowed: [],
    ok: 201,
    own: () => ({ url: "/api/auth/tokens", body: { name: "ci" } }),
  },
  {
    method: "POST",
    route: "/api/auth/password",
    allowed: [],
    ok: 200,
    own: () => ({
      url: "/api/auth/password",
      body: { current: "correct horse battery staple", password: "a long enough password" },
    }),
  },
  {
    method: "GET",
    route: "/api/auth/tokens",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/auth/tokens" }),
  },
  {
    method: "DELETE",
    route: "/api/auth/tokens/:id",
    allowed: ALL,
    ok: 200,
    own: async (w, org, user) => {
      const t = await w.repo.identity.createToken(
        { id: user.id, org_id: org.id },
        "x",
        `cairn_pat_${unique("t")}`,
        undefined,
        {
          id: "cli",
          via: "cli",
        },
      );
      return { url: `/api/auth/tokens/${t.id}` };
    },
    foreign: async (w, other) => {
      const u = other.users.viewer as TestUser;
      const t = await w.repo.identity.createToken(
        { id: u.id, org_id: other.id },
        "x",
        `cairn_pat_${unique("t")}`,
        undefined,
        {
          id: "cli",
          via: "cli",
        },
      );
      return { url: `/api/auth/tokens/${t.id}` };
    },
  },
  {
    method: "GET",
    route: "/api/organisations",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/organisations" }),
  },
  {
    method: "POST",
    route: "/api/organisations",
    allowed: ["site"],
    ok: 201,
    own: () => {
      const name = unique("gamma");
      return {
        url: "/api/organisations",
        body: {
          name,
          admin: { email: `boss@${name}.test`, name: "Boss", password: "a long enough password" },
        },
      };
    },
  },
  {
    method: "GET",
    route: "/api/organisations/:id",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/organisations/${org.id}` }),
    foreign: (_w, other) => ({ url: `/api/organisations/${other.id}` }),
    foreignStatus: { site: 200 },
  },
  {
    method: "PATCH",
    route: "/api/organisations/:id",
    allowed: ADMINS,
    ok: 200,
    own: async (w, org) => ({
      url: `/api/organisations/${org.id}`,
      body: { name: unique("renamed"), version: await version(w, "organisations", org.id) },
    }),
    foreign: async (w, other) => ({
      url: `/api/organisations/${other.id}`,
      body: { name: unique("renamed"), version: await version(w, "organisations", other.id) },
    }),
  },
  { method: "GET", route: "/api/users", allowed: ADMINS, ok: 200, own: () => ({ url: "/api/users" }) },
  {
    method: "POST",
    route: "/api/users",
    allowed: ADMINS,
    ok: 201,
    own: () => ({
      url: "/api/users",
      body: {
        email: `${unique("u")}@x.test`,
        name: "New",
        role: "viewer",
        password: "a long enough password",
      },
    }),
  },
  {
    method: "GET",
    route: "/api/users/:id",
    allowed: ADMINS,
    ok: 200,
    own: (_w, org) => ({ url: `/api/users/${(org.users.viewer as TestUser).id}` }),
    foreign: (_w, other) => ({ url: `/api/users/${(other.users.viewer as TestUser).id}` }),
  },
  {
    method: "PATCH",
    route: "/api/users/:id",
    allowed: ADMINS,
    ok: 200,
    own: async (w, org) => {
      const id = (org.users.viewer as TestUser).id;
      return { url: `/api/users/${id}`, body: { name: unique("n"), version: await version(w, "users", id) } };
    },
    foreign: async (w, other) => {
      const id = (other.users.viewer as TestUser).id;
      return { url: `/api/users/${id}`, body: { name: unique("n"), version: await version(w, "users", id) } };
    },
  },
  {
    method: "POST",
    route: "/api/users/:id/password-reset",
    allowed: ADMINS,
    ok: 201,
    own: (_w, org) => ({ url: `/api/users/${(org.users.viewer as TestUser).id}/password-reset` }),
    foreign: (_w, other) => ({ url: `/api/users/${(other.users.viewer as TestUser).id}/password-reset` }),
  },
  { method: "GET", route: "/api/tokens", allowed: ADMINS, ok: 200, own: () => ({ url: "/api/tokens" }) },
  {
    method: "DELETE",
    route: "/api/tokens/:id",
    allowed: ADMINS,
    ok: 200,
    own: async (w, org) => {
      const u = org.users.viewer as TestUser;
      const t = await w.repo.identity.createToken(
        { id: u.id, org_id: org.id },
        "x",
        `cairn_pat_${unique("t")}`,
        undefined,
        { id: "cli", via: "cli" },
      );
      return { url: `/api/tokens/${t.id}` };
    },
    foreign: async (w, other) => {
      const u = other.users.viewer as TestUser;
      const t = await w.repo.identity.createToken(
        { id: u.id, org_id: other.id },
        "x",
        `cairn_pat_${unique("t")}`,
        undefined,
        { id: "cli", via: "cli" },
      );
      return { url: `/api/tokens/${t.id}` };
    },
  },
  { method: "GET", route: "/api/catalogs", allowed: ALL, ok: 200, own: () => ({ url: "/api/catalogs" }) },
  {
    method: "GET",
    route: "/api/catalogs/:catalog",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/catalogs/nist-ir-8259a" }),
  },
  {
    method: "GET",
    route: "/api/catalogs/:catalog/items/:ref",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/catalogs/nist-ir-8259a/items/1" }),
  },
  {
    method: "GET",
    route: "/api/items/:id",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/items/nist-ir-8259a:1" }),
  },
  {
    method: "GET",
    route: "/api/search",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/search?q=update" }),
  },
  {
    method: "GET",
    route: "/api/profiles/presets",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/profiles/presets" }),
  },
  {
    method: "POST",
    route: "/api/profiles",
    allowed: WRITERS,
    ok: 201,
    own: () => ({ url: "/api/profiles", body: { preset: "temperature-sensor-industrial", title: "p" } }),
  },
  { method: "GET", route: "/api/profiles", allowed: ALL, ok: 200, own: () => ({ url: "/api/profiles" }) },
  {
    method: "GET",
    route: "/api/profiles/:id",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/profiles/${org.profileId}` }),
    foreign: (_w, other) => ({ url: `/api/profiles/${other.profileId}` }),
  },
  {
    method: "GET",
    route: "/api/profiles/vocabulary",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/profiles/vocabulary" }),
  },
  {
    method: "POST",
    route: "/api/profiles/:id/tailoring",
    allowed: WRITERS,
    ok: 200,
    // A fresh profile each time: one that assessments are made against cannot be tailored.
    own: async (w, org) => tailoring(w, org),
    foreign: async (w, other) => tailoring(w, other),
  },
  {
    method: "GET",
    route: "/api/profiles/:id/explain",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/profiles/${org.profileId}/explain` }),
    foreign: (_w, other) => ({ url: `/api/profiles/${other.profileId}/explain` }),
  },
  {
    method: "GET",
    route: "/api/profiles/:id/clauses",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/profiles/${org.profileId}/clauses?format=md` }),
    foreign: (_w, other) => ({ url: `/api/profiles/${other.profileId}/clauses` }),
  },
  {
    method: "GET",
    route: "/api/profiles/:id/diff",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({
      url: `/api/profiles/${org.profileId}/diff?against=preset:temperature-sensor-industrial`,
    }),
    // Both ways round: the other organisation's profile as the subject, and as what it is compared with.
    foreign: (_w, other, _u, org) => ({
      url: `/api/profiles/${org.profileId}/diff?against=${other.profileId}`,
    }),
  },
  {
    method: "GET",
    route: "/api/profiles/:id/oscal",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/profiles/${org.profileId}/oscal` }),
    foreign: (_w, other) => ({ url: `/api/profiles/${other.profileId}/oscal` }),
  },
  {
    method: "GET",
    route: "/api/crosswalks/gaps",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/crosswalks/gaps?from=nist-ir-8259a&to=etsi-en-303-645" }),
  },
  {
    method: "GET",
    route: "/api/items/:id/mappings",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: `/api/items/${enc("nist-ir-8259a:1")}/mappings` }),
  },
  { method: "GET", route: "/api/family", allowed: ALL, ok: 200, own: () => ({ url: "/api/family" }) },
  {
    method: "GET",
    route: "/api/matrix",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/matrix?anchor=nist-ir-8259a&columns=etsi-en-303-645,eu-cra&depth=1" }),
  },
  { method: "GET", route: "/api/products", allowed: ALL, ok: 200, own: () => ({ url: "/api/products" }) },
  {
    method: "POST",
    route: "/api/products",
    allowed: PRODUCT_WRITERS,
    ok: 201,
    own: () => ({ url: "/api/products", body: { manufacturer: "M", model: "X", category: "plug" } }),
  },
  {
    method: "GET",
    route: "/api/products/:id",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/products/${org.productId}` }),
    foreign: (_w, other) => ({ url: `/api/products/${other.productId}` }),
  },
  {
    method: "PATCH",
    route: "/api/products/:id",
    allowed: PRODUCT_WRITERS,
    ok: 200,
    own: async (w, org) => ({
      url: `/api/products/${org.productId}`,
      body: { model: unique("m"), version: await version(w, "products", org.productId) },
    }),
    foreign: async (w, other) => ({
      url: `/api/products/${other.productId}`,
      body: { model: unique("m"), version: await version(w, "products", other.productId) },
    }),
  },
  {
    method: "DELETE",
    route: "/api/products/:id",
    allowed: PRODUCT_WRITERS,
    ok: 200,
    own: async (w, org) => {
      const p = await w.repo.products.create(
        org.id,
        { manufacturer: "M", model: "gone", category: "c" },
        {
          id: "cli",
          via: "cli",
        },
      );
      return { url: `/api/products/${p.id}?version=1` };
    },
    foreign: async (w, other) => {
      const p = await w.repo.products.create(
        other.id,
        { manufacturer: "M", model: "kept", category: "c" },
        {
          id: "cli",
          via: "cli",
        },
      );
      return { url: `/api/products/${p.id}?version=1` };
    },
  },
  {
    method: "GET",
    route: "/api/assessments",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/assessments" }),
  },
  {
    method: "POST",
    route: "/api/assessments",
    allowed: WRITERS,
    ok: 201,
    own: (_w, org) => ({
      url: "/api/assessments",
      body: {
        title: "again",
        kind: "second-party",
        productId: org.productId,
        profileId: org.profileId,
        release: { version: "2.0", date: "2026-02-01" },
      },
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}` }),
  },
  {
    method: "PATCH",
    route: "/api/assessments/:id",
    allowed: WRITERS,
    ok: 200,
    own: async (w, org) => ({
      url: `/api/assessments/${org.assessmentId}`,
      body: { title: unique("t"), version: await assessmentVersion(w, org.assessmentId) },
    }),
    foreign: async (w, other) => ({
      url: `/api/assessments/${other.assessmentId}`,
      body: { title: unique("t"), version: await assessmentVersion(w, other.assessmentId) },
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/findings/:item",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/findings/${enc(org.item)}` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/findings/${enc(other.item)}` }),
  },
  {
    method: "PATCH",
    route: "/api/assessments/:id/findings/:item",
    allowed: WRITERS,
    ok: 200,
    own: async (w, org) => ({
      url: `/api/assessments/${org.assessmentId}/findings/${enc(org.item)}`,
      body: {
        verdict: "pass",
        notes: unique("n"),
        version: await findingVersion(w, org.assessmentId, org.item),
      },
    }),
    foreign: async (w, other) => ({
      url: `/api/assessments/${other.assessmentId}/findings/${enc(other.item)}`,
      body: { verdict: "fail", version: await findingVersion(w, other.assessmentId, other.item) },
    }),
  },
  ...(["verdicts", "proposals", "plan"] as const).map(
    (what): Case => ({
      method: "GET",
      route: `/api/assessments/:id/${what}`,
      allowed: ALL,
      ok: 200,
      own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/${what}` }),
      foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/${what}` }),
    }),
  ),
  ...(["accept", "reject"] as const).map(
    (what): Case => ({
      method: "POST",
      route: `/api/assessments/:id/proposals/${what}`,
      allowed: WRITERS,
      ok: 200,
      own: (_w, org) => ({
        url: `/api/assessments/${org.assessmentId}/proposals/${what}`,
        body: { all: true },
      }),
      foreign: (_w, other) => ({
        url: `/api/assessments/${other.assessmentId}/proposals/${what}`,
        body: { all: true },
      }),
    }),
  ),
  {
    method: "GET",
    route: "/api/measure-library",
    allowed: ALL,
    ok: 200,
    own: () => ({ url: "/api/measure-library" }),
  },
  {
    method: "POST",
    route: "/api/assessments/:id/changes",
    allowed: WRITERS,
    ok: 200,
    own: (_w, org) => ({
      url: `/api/assessments/${org.assessmentId}/changes`,
      body: { commands: [{ type: "add-measure", measure: { title: unique("Measure") } }] },
    }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/changes`,
      body: { commands: [{ type: "add-measure", measure: { title: unique("Measure") } }] },
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/evidence",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/evidence` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/evidence` }),
  },
  {
    method: "POST",
    route: "/api/assessments/:id/evidence",
    allowed: WRITERS,
    ok: 201,
    own: (_w, org) => ({
      url: `/api/assessments/${org.assessmentId}/evidence`,
      body: { kind: "attestation", title: "Declared", strength: "supports", text: "We declare." },
    }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/evidence`,
      body: { kind: "attestation", title: "Declared", strength: "supports", text: "We declare." },
    }),
  },
  {
    method: "POST",
    route: "/api/assessments/:id/evidence/files",
    allowed: WRITERS,
    ok: 201,
    own: (_w, org) => ({
      url: `/api/assessments/${org.assessmentId}/evidence/files`,
      multipart: { fields: { title: "log" }, file: { name: "log.txt", content: Buffer.from(unique("log")) } },
    }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/evidence/files`,
      multipart: { fields: { title: "log" }, file: { name: "log.txt", content: Buffer.from(unique("log")) } },
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/evidence/:evidence",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/evidence/${org.linkEvidence}` }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/evidence/${other.linkEvidence}`,
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/evidence/:evidence/file",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/evidence/${org.fileEvidence}/file` }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/evidence/${other.fileEvidence}/file`,
    }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/readiness",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/readiness` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/readiness` }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/pitfalls",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/pitfalls` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/pitfalls` }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/dossier",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/dossier?draft=true` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/dossier?draft=true` }),
  },
  {
    method: "POST",
    route: "/api/assessments/:id/dossier-jobs",
    allowed: ALL,
    ok: 202,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/dossier-jobs`, body: { draft: true } }),
    foreign: (_w, other) => ({
      url: `/api/assessments/${other.assessmentId}/dossier-jobs`,
      body: { draft: true },
    }),
  },
  { method: "GET", route: "/api/jobs", allowed: ALL, ok: 200, own: () => ({ url: "/api/jobs" }) },
  {
    method: "GET",
    route: "/api/jobs/:id",
    allowed: ALL,
    ok: 200,
    own: async (w, org) => ({ url: `/api/jobs/${await jobIn(w, org, "failed")}` }),
    foreign: async (w, other) => ({ url: `/api/jobs/${await jobIn(w, other, "failed")}` }),
  },
  {
    method: "POST",
    route: "/api/jobs/:id/retry",
    allowed: ALL,
    ok: 202,
    own: async (w, org) => ({ url: `/api/jobs/${await jobIn(w, org, "failed")}/retry` }),
    foreign: async (w, other) => ({ url: `/api/jobs/${await jobIn(w, other, "failed")}/retry` }),
  },
  {
    method: "GET",
    route: "/api/jobs/:id/result",
    allowed: ALL,
    ok: 200,
    own: async (w, org) => ({ url: `/api/jobs/${await jobIn(w, org, "done")}/result` }),
    foreign: async (w, other) => ({ url: `/api/jobs/${await jobIn(w, other, "done")}/result` }),
  },
  {
    method: "POST",
    route: "/api/blobs/missing",
    allowed: WRITERS,
    ok: 200,
    own: () => ({ url: "/api/blobs/missing", body: { sha256: ["0".repeat(64)] } }),
  },
  {
    method: "PUT",
    route: "/api/blobs/:sha256",
    allowed: WRITERS,
    ok: 200,
    own: () => {
      const bytes = Buffer.from(unique("blob"));
      return { url: `/api/blobs/${createHash("sha256").update(bytes).digest("hex")}`, bytes };
    },
  },
  {
    method: "POST",
    route: "/api/assessments/import",
    allowed: WRITERS,
    ok: 201,
    own: async (w, org) => ({ url: "/api/assessments/import", body: await importable(w, org) }),
  },
  {
    method: "GET",
    route: "/api/assessments/:id/package",
    allowed: ALL,
    ok: 200,
    own: (_w, org) => ({ url: `/api/assessments/${org.assessmentId}/package` }),
    foreign: (_w, other) => ({ url: `/api/assessments/${other.assessmentId}/package` }),
  },
  {
    method: "PUT",
    route: "/api/assessments/:id/package",
    allowed: WRITERS,
    ok: 200,
    // The copy pushed back unchanged: allowed roles get 200 (nothing changed), the others 403.
    own: async (w, org) => {
      const p = await pkg(w, org);
      return {
        url: `/api/assessments/${org.assessmentId}/package`,
        body: { assessmentText: p.assessmentText, profileText: p.profileText, expectRevision: p.revision },
      };
    },
    foreign: async (w, other) => {
      const p = await pkg(w, other);
      return {
        url: `/api/assessments/${other.assessmentId}/package`,
        body: { assessmentText: p.assessmentText, profileText: p.profileText, expectRevision: p.revision },
      };
    },
  },
  {
    method: "GET",
    route: "/api/assessments/:id/files/:sha256",
    allowed: ALL,
    ok: 200,
    own: async (w, org) => ({
      url: `/api/assessments/${org.assessmentId}/files/${(await pkg(w, org)).files[0]?.sha256}`,
    }),
    foreign: async (w, other) => ({
      url: `/api/assessments/${other.assessmentId}/files/${(await pkg(w, other)).files[0]?.sha256}`,
    }),
  },
  { method: "GET", route: "/api/audit", allowed: ADMINS, ok: 200, own: () => ({ url: "/api/audit" }) },
  {
    method: "GET",
    route: "/api/audit/verify",
    allowed: ADMINS,
    ok: 200,
    own: () => ({ url: "/api/audit/verify" }),
  },
];

/**
 * "METHOD /path" of every route Fastify registered, from its route tree as `printRoutes({
 * commonPrefix: false })` draws it (one node a line, four characters of indentation a level, the
 * methods in brackets). HEAD is Fastify's automatic twin of GET.
 */
function registeredRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? "").length / 4;
    stack.length = depth;
    stack.push(m[2] ?? "");
    const path = stack.join("");
    for (const method of (m[3] ?? "").split(",").map((x) => x.trim()))
      if (method && method !== "HEAD") out.push(`${method} ${path}`);
  }
  return out;
}

/** Routes anyone may call: covered by the auth tests, not the matrix. */
const PUBLIC = new Set([
  "POST /api/auth/login",
  "POST /api/auth/password-reset",
  "POST /api/setup",
  "GET /api/health",
]);

async function send(w: World, token: string | undefined, method: Case["method"], req: Req) {
  if (req.bytes)
    return w.app.inject({
      method,
      url: req.url,
      payload: req.bytes,
      headers: {
        "content-type": "application/octet-stream",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  if (req.multipart) {
    const { payload, headers } = multipartBody(req.multipart);
    return w.app.inject({
      method,
      url: req.url,
      payload,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  }
  return bearer(w.app, token)(method, req.url, req.body);
}

describe.each(DATABASES)("authorisation matrix ($name)", (database) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(database);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("covers every route of the API", async () => {
    const doc = (await w.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const covered = new Set([...CASES.map((c) => `${c.method} ${c.route}`), ...PUBLIC]);
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !documented.includes(r))).toEqual([]);
    // Every registered /api route, hidden from the OpenAPI document or not: a route added without
    // a row in CASES (or left out of the document) fails here.
    const registered = registeredRoutes(w.app.printRoutes({ commonPrefix: false })).filter(
      (r) => r.split(" ")[1]?.startsWith("/api/") && r !== "GET /api/openapi.json",
    );
    expect(registered.length).toBeGreaterThan(40);
    expect(registered.filter((r) => !covered.has(r))).toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.method} ${c.route}`, c] as const))(
    "%s",
    async (_name, c) => {
      const failures: string[] = [];
      const check = (who: string, got: number, want: number, body: string) => {
        if (got !== want) failures.push(`${who}: ${got} (want ${want}) ${body.slice(0, 200)}`);
      };
      // Anonymous, and a bogus token: 401.
      const anonReq = await c.own(w, w.a, w.a.users.viewer as TestUser);
      const anon = await send(w, undefined, c.method, anonReq);
      check("anonymous", anon.statusCode, 401, anon.body);
      const bogus = await send(w, "cairn_pat_not-a-real-token", c.method, anonReq);
      check("bogus token", bogus.statusCode, 401, bogus.body);

      for (const [org, other] of [
        [w.a, w.b],
        [w.b, w.a],
      ] as const) {
        for (const role of MATRIX_ROLES) {
          const user = org.users[role];
          if (!user) continue;
          const who = `${role}@${org === w.a ? "A" : "B"}`;
          const allowed = c.allowed.includes(role);
          const own = await send(w, user.token, c.method, await c.own(w, org, user));
          check(`${who} own`, own.statusCode, allowed ? c.ok : 403, own.body);
          if (c.foreign) {
            const foreign = await send(w, user.token, c.method, await c.foreign(w, other, user, org));
            const want = allowed ? (c.foreignStatus?.[role] ?? 404) : 403;
            check(`${who} foreign`, foreign.statusCode, want, foreign.body);
            if (want === 404) expect(foreign.json().code).toBe("not-found");
          }
        }
      }
      expect(failures).toEqual([]);
      // The dossier rows build a dossier per role and organisation (about 20) of a 314-item profile
      // (the LOW baseline's SP 800-213A items since rules 2026.12, 78 before): 44 s, and over 60 s,
      // in one full run on a shared machine with a load average of 16.
    },
    180_000,
  );

  it("answers the same 404 for a foreign object as for one that does not exist", async () => {
    const as = bearer(w.app, (w.a.users.admin as TestUser).token);
    const foreign = await as("GET", `/api/products/${w.b.productId}`);
    const missing = await as("GET", "/api/products/prd_AAAAAAAAAAAAAAAAAAAA");
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(foreign.body).toBe(missing.body);
  });

  it("lists hold only the caller's organisation's objects", async () => {
    const as = bearer(w.app, (w.a.users.viewer as TestUser).token);
    const text = [
      (await as("GET", "/api/products")).body,
      (await as("GET", "/api/profiles")).body,
      (await as("GET", "/api/assessments")).body,
      (await as("GET", `/api/assessments?product=${w.b.productId}`)).body,
    ].join("\n");
    for (const id of [w.b.productId, w.b.profileId, w.b.assessmentId, w.b.id]) expect(text).not.toContain(id);
    expect(text).toContain(w.a.productId);
    const admin = bearer(w.app, (w.a.users.admin as TestUser).token);
    const users = (await admin("GET", "/api/users")).json().users as { organisation: string }[];
    expect(users.every((u) => u.organisation === w.a.id)).toBe(true);
    const audit = (await admin("GET", "/api/audit?limit=1000")).body;
    expect(audit).not.toContain(w.b.productId);
    expect((await admin("GET", "/api/audit?chain=system")).statusCode).toBe(404);
    expect((await admin("GET", `/api/audit?chain=${w.b.id}`)).statusCode).toBe(404);
    const site = bearer(w.app, (w.a.users.site as TestUser).token);
    expect((await site("GET", "/api/audit?chain=system")).statusCode).toBe(200);
  });

  it("refuses an assessment over another organisation's product or profile (400 naming the field)", async () => {
    const as = bearer(w.app, (w.a.users.editor as TestUser).token);
    const r = await as("POST", "/api/assessments", {
      title: "x",
      kind: "self-attestation",
      productId: w.b.productId,
      profileId: w.b.profileId,
      release: { version: "1", date: "2026-01-01" },
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .problems.map((p: { location: string }) => p.location)
        .sort(),
    ).toEqual(["body.productId", "body.profileId"]);
  });

  it("lets only assessors and admins sign off or close an assessment", async () => {
    const url = `/api/assessments/${w.a.assessmentId}/findings/${enc(w.a.item)}`;
    for (const role of ["editor", "viewer"] as const) {
      const r = await bearer(w.app, (w.a.users[role] as TestUser).token)("PATCH", url, {
        signOff: true,
        version: await findingVersion(w, w.a.assessmentId, w.a.item),
      });
      expect(r.statusCode).toBe(403);
    }
    const r = await bearer(w.app, (w.a.users.assessor as TestUser).token)("PATCH", url, {
      signOff: true,
      version: await findingVersion(w, w.a.assessmentId, w.a.item),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().signOff.reviewer).toContain("assessor");
    const editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    const done = await editor("PATCH", `/api/assessments/${w.a.assessmentId}`, {
      status: "done",
      version: await assessmentVersion(w, w.a.assessmentId),
    });
    expect(done.statusCode).toBe(403);
    const ok = await editor("PATCH", `/api/assessments/${w.a.assessmentId}`, {
      status: "in-review",
      version: await assessmentVersion(w, w.a.assessmentId),
    });
    expect(ok.statusCode).toBe(200);
  });
});
