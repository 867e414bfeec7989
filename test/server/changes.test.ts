import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Measure, Proposal, Risk } from "../../src/assessment/model.js";
import {
  bearer,
  type Call,
  DATABASES,
  makeWorld,
  type TestUser,
  thermostatAssessment,
  type World,
} from "./helpers.js";

describe.each(DATABASES)("the assessment core's commands over HTTP ($name)", (database) => {
  let w: World;
  let editor: Call;
  let assessor: Call;
  let reader: Call;
  let base: string;
  let conditional: string[];
  const doc = async () => (await reader("GET", base)).json();
  const change = (who: Call, commands: unknown[], extra: object = {}) =>
    who("POST", `${base}/changes`, { commands, ...extra });

  beforeAll(async () => {
    w = await makeWorld(database);
    editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    assessor = bearer(w.app, (w.a.users.assessor as TestUser).token);
    reader = bearer(w.app, (w.a.users.viewer as TestUser).token);
    const made = await thermostatAssessment(editor, w.a.productId);
    base = made.base;
    // EN 303 645 provisions that Table B.1 makes conditional (M C, R C): only those may be not applicable.
    const full = (await reader("GET", `/api/profiles/${made.profileId}`)).json();
    conditional = (full.profile.items as { id: string; status?: string }[])
      .filter((i) => i.id.startsWith("etsi-en-303-645:") && i.status?.endsWith(" C"))
      .map((i) => i.id)
      .slice(0, 3);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("serves the measure library", async () => {
    const r = await reader("GET", "/api/measure-library");
    expect(r.statusCode).toBe(200);
    const lib = r.json();
    expect(lib.measures.length).toBeGreaterThanOrEqual(18);
    expect(lib.measures.find((m: { id: string }) => m.id === "signed-firmware")).toMatchObject({
      kind: "technical",
      links: expect.arrayContaining([
        expect.objectContaining({ item: expect.stringMatching(/^nist-ir-8259a:/) }),
      ]),
    });
  });

  it("adds a measure from the library, accepts its crosswalk links and verifies it: items settle", async () => {
    const held = new Set((await doc()).findings.map((f: { item: string }) => f.item));
    const r = await change(editor, [
      { type: "add-measure", fromLibrary: "signed-firmware", measure: { owner: "Firmware team" } },
    ]);
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json().results[0] as Measure;
    expect(m).toMatchObject({ id: "M-001", owner: "Firmware team", library: { id: "signed-firmware" } });
    expect(m.links.length).toBeGreaterThan(0);
    for (const l of m.links) {
      expect(held.has(l.item)).toBe(true);
      expect(l.origin).toEqual({ kind: "library", entry: "signed-firmware" });
    }
    const links = (
      (await reader("GET", `${base}/proposals?kind=link`)).json().proposals as Proposal[]
    ).filter((p) => p.kind === "link" && p.measure === "M-001");
    expect(links.length).toBeGreaterThan(0);
    const before = r.json().figures.derivedVerdicts;
    const accepted = await change(editor, [
      ...links.map((p) => ({ type: "accept-proposal", id: p.id })),
      { type: "verify-measure", measure: "M-001", verification: { verdict: "pass", method: "test" } },
    ]);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().figures.derivedVerdicts).toBeGreaterThanOrEqual(
      before + m.links.length + links.length,
    );
    const v = (await reader("GET", `${base}/verdicts`)).json();
    const settled = (v.items as { item: string; source: string }[]).filter((x) => x.source === "measures");
    expect(settled.map((x) => x.item)).toEqual(expect.arrayContaining(links.map((p) => p.item)));
  });

  it("proposes links found by a catalog search for a measure with none; accepted, the link says so", async () => {
    const r = await change(editor, [
      { type: "add-measure", measure: { title: "security.txt with a disclosure policy", kind: "process" } },
    ]);
    expect(r.statusCode, r.body).toBe(200);
    const id = (r.json().results[0] as Measure).id;
    const found = (
      (await reader("GET", `${base}/proposals?kind=link`)).json().proposals as Proposal[]
    ).filter((p) => p.kind === "link" && p.measure === id);
    expect(found.length).toBeGreaterThan(0);
    for (const p of found)
      expect(p).toMatchObject({
        coverage: "partial",
        source: { kind: "search", matched: expect.arrayContaining(["security.txt"]) },
      });
    const ok = await change(editor, [{ type: "accept-proposal", id: found[0]?.id }]);
    expect(ok.statusCode, ok.body).toBe(200);
    const m = ((await doc()).measures as Measure[]).find((x) => x.id === id) as Measure;
    expect(m.links).toEqual([
      expect.objectContaining({
        item: found[0]?.item,
        coverage: "partial",
        origin: { kind: "search", query: "security.txt with a disclosure policy" },
      }),
    ]);
  });

  it("marks several findings not applicable with one rationale in one change; a refusal writes nothing and names the command", async () => {
    const a = await doc();
    expect(conditional.length).toBeGreaterThan(1);
    const na = (item: string) => ({
      type: "record-finding",
      item,
      update: { verdict: "not-applicable", notes: "No preset passwords: users set one at first start." },
    });
    const bad = await change(editor, [na(conditional[0] as string), na("nist-ir-8259a:99.9")]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].location).toBe("body.commands[1].item");
    // An unconditional provision may not be declared not applicable (EN 303 645 clause 4): named too.
    const m = await change(editor, [na(conditional[0] as string), na("etsi-en-303-645:5.1-3")]);
    expect(m.statusCode).toBe(400);
    expect(m.json().problems[0]).toMatchObject({
      location: "body.commands[1].verdict",
      message: expect.stringMatching(/mandatory without condition/),
    });
    expect((await doc()).revision).toBe(a.revision);

    const ok = await change(editor, conditional.map(na), { expectRevision: a.revision });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = await doc();
    for (const item of conditional)
      expect(after.findings.find((f: { item: string }) => f.item === item)).toMatchObject({
        verdict: "not-applicable",
        notes: "No preset passwords: users set one at first start.",
      });
    // The revision moved: the same expectation again is refused with the assessment as it is.
    const stale = await change(editor, conditional.map(na), { expectRevision: a.revision });
    expect(stale.statusCode).toBe(409);
  });

  it("sign-off needs an assessor: an editor's bulk sign-off is refused whole", async () => {
    const a = await doc();
    const done = a.findings
      .filter((f: { verdict: string }) => f.verdict === "not-applicable")
      .map((f: { item: string }) => f.item);
    const commands = done.map((item: string) => ({ type: "sign-off", item }));
    expect((await change(editor, commands)).statusCode).toBe(403);
    expect((await doc()).revision).toBe(a.revision);
    const r = await change(assessor, commands);
    expect(r.statusCode, r.body).toBe(200);
    for (const item of done)
      expect((await doc()).findings.find((f: { item: string }) => f.item === item).signOff).toBeDefined();
    expect((await change(reader, [{ type: "remove-risk", risk: "R-001" }])).statusCode).toBe(403);
  });

  it("refuses to remove a measure that settles verdicts unless forced; then they show stale", async () => {
    const refused = await change(editor, [{ type: "remove-measure", measure: "M-001" }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/M-001 settles the verdict of/);
    const forced = await change(editor, [
      { type: "remove-measure", measure: "M-001", force: true, reason: "replaced by the new boot loader" },
    ]);
    expect(forced.statusCode, forced.body).toBe(200);
    const v = (await reader("GET", `${base}/verdicts`)).json();
    expect(v.figures.stale).toBeGreaterThan(0);
  });

  it("keeps a risk register: add, change, remove; bad fields are named", async () => {
    const bad = await change(editor, [
      {
        type: "add-risk",
        risk: { asset: "firmware", threat: "malicious update", impact: "high", residual: "low" },
      },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().problems)).toMatch(/body\.commands\[0\]\.risk/);
    const add = await change(editor, [
      {
        type: "add-risk",
        risk: {
          asset: "firmware",
          threat: "malicious update",
          likelihood: "medium",
          impact: "high",
          treatment: { decision: "mitigate", measures: ["M-002"] },
          residual: "low",
        },
      },
    ]);
    expect(add.statusCode, add.body).toBe(200);
    const risk = add.json().results[0] as Risk;
    const upd = await change(editor, [{ type: "update-risk", risk: risk.id, patch: { residual: "medium" } }]);
    expect(upd.statusCode, upd.body).toBe(200);
    expect(((await doc()).risks as Risk[]).find((r) => r.id === risk.id)).toMatchObject({
      residual: "medium",
    });
    expect((await change(editor, [{ type: "remove-risk", risk: risk.id }])).statusCode).toBe(200);
    const unknown = await change(editor, [{ type: "no-such-command" }]);
    expect(unknown.statusCode).toBe(400);
  });

  it("keeps the audit chain verifiable: a bulk change writes one sealed entry per event, in order", async () => {
    const admin = bearer(w.app, (w.a.users.admin as TestUser).token);
    const r = await admin("GET", "/api/audit/verify");
    expect(r.json()).toMatchObject({ ok: true, problems: [] });
    const entries = (await admin("GET", "/api/audit?limit=1000")).json().entries as {
      seq: number;
      action: string;
    }[];
    expect(entries.filter((e) => e.action === "measure.link").length).toBeGreaterThan(1);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => (entries[0]?.seq ?? 1) + i));
  });
});
