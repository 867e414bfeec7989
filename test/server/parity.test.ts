import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateOscal } from "../../src/oscal/validate.js";
import { cli } from "../helpers/cli.js";
import { bearer, type Call, DATABASES, makeWorld, type TestUser, type World } from "./helpers.js";

// The web UI's parity with the CLI: the server's explain, clauses, diff, OSCAL export, coverage gaps
// and item mappings answer what the CLI prints for the same profile (the same core functions).

const enc = encodeURIComponent;

describe.each(DATABASES)("CLI parity endpoints ($name)", (database) => {
  let w: World;
  let viewer: Call;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    w = await makeWorld(database);
    viewer = bearer(w.app, (w.a.users.viewer as TestUser).token);
    dir = mkdtempSync(join(tmpdir(), "cairn-parity-"));
    file = join(dir, "profile.json");
    writeFileSync(
      file,
      JSON.stringify((await viewer("GET", `/api/profiles/${w.a.profileId}`)).json().profile),
    );
  });
  afterAll(async () => {
    await w?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the profile's author by name", async () => {
    const r = (await viewer("GET", `/api/profiles/${w.a.profileId}`)).json();
    expect(r.author.name).toMatch(/ admin$/);
    expect(r.author.id).toBe(r.record.createdBy);
  });

  it("explains every item as `cairn profile explain` does, with the rules' titles and rationales", async () => {
    const r = await viewer("GET", `/api/profiles/${w.a.profileId}/explain`);
    expect(r.statusCode).toBe(200);
    const fromCli = JSON.parse((await cli("profile", "explain", file, "--json")).stdout);
    expect(r.json().items).toEqual(fromCli);
    const first = r.json().items[0];
    expect(first.because[0].title).not.toBe(first.because[0].rule);
    expect(first.because[0].rationale.length).toBeGreaterThan(20);

    const one = await viewer("GET", `/api/profiles/${w.a.profileId}/explain?item=${enc(first.id)}`);
    expect(one.json().items).toEqual([first]);
    const missing = await viewer(
      "GET",
      `/api/profiles/${w.a.profileId}/explain?item=${enc("nist-sp-800-53:AC-2")}`,
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().problems[0]).toMatchObject({ location: "query.item" });
  });

  it("writes acquisition clauses as `cairn profile clauses` does (JSON, Markdown, HTML)", async () => {
    const json = await viewer("GET", `/api/profiles/${w.a.profileId}/clauses`);
    expect(json.json().clauses).toEqual(JSON.parse((await cli("profile", "clauses", file, "--json")).stdout));
    const md = await viewer("GET", `/api/profiles/${w.a.profileId}/clauses?format=md`);
    expect(md.headers["content-type"]).toContain("text/markdown");
    expect(md.headers["content-disposition"]).toMatch(/^attachment; filename="acquisition-requirements-pro_/);
    expect(md.body).toBe((await cli("profile", "clauses", file, "--format", "md")).stdout);
    const html = await viewer("GET", `/api/profiles/${w.a.profileId}/clauses?format=html`);
    expect(html.body).toBe((await cli("profile", "clauses", file, "--format", "html")).stdout);
  });

  it("diffs against a preset or another profile as `cairn profile diff` does", async () => {
    const r = await viewer(
      "GET",
      `/api/profiles/${w.a.profileId}/diff?against=preset:ip-camera-sensitive-site`,
    );
    expect(r.statusCode).toBe(200);
    const fromCli = JSON.parse(
      (await cli("profile", "diff", "preset:ip-camera-sensitive-site", file, "--json")).stdout,
    );
    const d = r.json().diff;
    expect(d.context).toEqual(fromCli.context);
    expect(d.baseline).toEqual(fromCli.baseline);
    expect(d.added.map((i: { id: string }) => i.id)).toEqual(fromCli.added);
    expect(d.removed.map((i: { id: string }) => i.id)).toEqual(fromCli.removed);
    expect(r.json().from).toMatchObject({ id: "ip-camera-sensitive-site" });
    expect(d.removed.length).toBeGreaterThan(0);

    const self = (await viewer("GET", `/api/profiles/${w.a.profileId}/diff?against=${w.a.profileId}`)).json();
    expect(self.diff).toMatchObject({ added: [], removed: [], changed: [], context: [] });
    const unknown = await viewer("GET", `/api/profiles/${w.a.profileId}/diff?against=preset:no-such`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().problems[0].location).toBe("query.against");
    const foreign = await viewer("GET", `/api/profiles/${w.a.profileId}/diff?against=${w.b.profileId}`);
    expect(foreign.statusCode).toBe(404);
  });

  it("exports the profile as an OSCAL profile that validates, as `cairn profile export-oscal` does", async () => {
    const r = await viewer("GET", `/api/profiles/${w.a.profileId}/oscal`);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-disposition"]).toBe(`attachment; filename="${w.a.profileId}.oscal.json"`);
    const doc = JSON.parse(r.body);
    expect(validateOscal("profile", doc, "served")).toEqual([]);
    expect(doc).toEqual(JSON.parse((await cli("profile", "export-oscal", file)).stdout));
  });

  it("gives coverage gaps as `cairn crosswalk gaps` does, and names a bad catalog", async () => {
    const r = await viewer("GET", "/api/crosswalks/gaps?from=nist-ir-8259a&to=etsi-en-303-645,eu-cra");
    expect(r.statusCode).toBe(200);
    const reports = r.json().reports as { to: string; counts: unknown; targets: unknown[]; title: string }[];
    expect(reports.map((x) => x.title)).toEqual(["ETSI EN 303 645", "EU CRA"]);
    const fromCli = JSON.parse(
      (await cli("crosswalk", "gaps", "--from", "nist-ir-8259a", "--to", "etsi-en-303-645", "--json")).stdout,
    );
    expect(reports[0]?.counts).toEqual(fromCli.counts);
    expect(reports[0]?.targets).toEqual(fromCli.targets);
    const bad = await viewer("GET", "/api/crosswalks/gaps?from=nist-ir-8259a&to=eu-cra,nope");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems).toEqual([{ location: "query.to[1]", message: "unknown catalog nope" }]);
  });

  it("lists an item's crosswalk rows to and from every text, with relationship and rationale", async () => {
    const r = await viewer("GET", `/api/items/${enc("nist-ir-8259a:1")}/mappings`);
    expect(r.statusCode).toBe(200);
    const { mappings } = r.json() as {
      mappings: {
        catalog: string;
        forward: boolean;
        relationship: string;
        rationale: string;
        items: { id: string; label: string }[];
      }[];
    };
    const catalogs = new Set(mappings.map((m) => m.catalog));
    expect(catalogs.size).toBeGreaterThan(1);
    // Rows of crosswalks from 8259A and into it: both directions appear.
    expect(new Set(mappings.map((m) => m.forward))).toEqual(new Set([true, false]));
    for (const m of mappings) {
      expect(["equal", "subset-of", "superset-of", "intersects-with", "not-related"]).toContain(
        m.relationship,
      );
      expect(["syntactic", "semantic", "functional"]).toContain(m.rationale);
      expect(m.items.length).toBeGreaterThan(0);
      for (const i of m.items) expect(i.label.length).toBeGreaterThan(0);
    }
    expect((await viewer("GET", `/api/items/${enc("nist-ir-8259a:99")}/mappings`)).statusCode).toBe(404);
  });
});
