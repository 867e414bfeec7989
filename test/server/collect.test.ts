import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredProposal } from "../../src/assessment/model.js";
import { fixture } from "../helpers/cli.js";
import {
  bearer,
  type Call,
  DATABASES,
  makeWorld,
  type TestUser,
  thermostatAssessment,
  upload,
  type World,
} from "./helpers.js";

describe.each(DATABASES)("collectors on an assessment's evidence over HTTP ($name)", (database) => {
  let w: World;
  let editor: Call;
  let reader: Call;
  let base: string;
  let sbom: string;
  beforeAll(async () => {
    w = await makeWorld(database);
    editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    reader = bearer(w.app, (w.a.users.viewer as TestUser).token);
    ({ base } = await thermostatAssessment(editor, w.a.productId, { version: "4.2.0", date: "2026-09-15" }));
    const up = await upload(
      w.app,
      (w.a.users.editor as TestUser).token,
      base.slice("/api/assessments/".length),
      {
        fields: { title: "SBOM 4.2.0", tags: "sbom" },
        file: {
          name: "thermostat.cdx.json",
          content: readFileSync(fixture("sbom", "cyclonedx-1.6-thermostat-firmware.cdx.json")),
        },
      },
    );
    expect(up.statusCode, up.body).toBe(201);
    sbom = up.json().id;
  });
  afterAll(async () => {
    await w?.close();
  });

  it("runs the SBOM collector on an uploaded file and stores its proposals for a person to decide", async () => {
    const before = (await reader("GET", base)).json();
    expect((await reader("POST", `${base}/evidence/${sbom}/collect`, {})).statusCode).toBe(403);
    const r = await editor("POST", `${base}/evidence/${sbom}/collect`, {});
    expect(r.statusCode, r.body).toBe(200);
    const { report, proposals, dropped } = r.json();
    expect(report).toMatchObject({ kind: "sbom", valid: true });
    expect(proposals.length + dropped.length).toBe(report.proposals.length);
    expect(proposals.length).toBeGreaterThan(0);
    for (const p of proposals as StoredProposal[])
      expect(p).toMatchObject({
        id: expect.stringMatching(/^P-\d+$/),
        source: { collector: "sbom", evidence: sbom },
      });
    const after = (await reader("GET", base)).json();
    expect(after.findings).toEqual(before.findings);
    const open = (await reader("GET", `${base}/proposals?kind=verdict`)).json().proposals as { id: string }[];
    expect(open.map((p) => p.id)).toEqual(expect.arrayContaining(proposals.map((p: StoredProposal) => p.id)));
  });

  it("names what it cannot do: an unknown kind, evidence without a file, another organisation's assessment", async () => {
    const bad = await editor("POST", `${base}/evidence/${sbom}/collect`, { kind: "tarot" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].location).toBe("body.kind");
    const link = await editor("POST", `${base}/evidence`, {
      kind: "link",
      title: "VDP",
      strength: "supports",
      url: "https://example.com/vdp",
    });
    expect(link.statusCode, link.body).toBe(201);
    const nofile = await editor("POST", `${base}/evidence/${link.json().id}/collect`, {});
    expect(nofile.statusCode).toBe(409);
    const other = bearer(w.app, (w.b.users.editor as TestUser).token);
    expect((await other("POST", `${base}/evidence/${sbom}/collect`, {})).statusCode).toBe(404);
    // A CSAF collector on an SBOM: the input is not what the kind reads.
    const wrong = await editor("POST", `${base}/evidence/${sbom}/collect`, { kind: "csaf" });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.json().report).toMatchObject({ kind: "csaf", valid: false });
    expect(wrong.json().proposals).toEqual([]);
  });
});
