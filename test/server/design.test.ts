import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Proposal } from "../../src/assessment/model.js";
import {
  bearer,
  type Call,
  DATABASES,
  makeWorld,
  type TestUser,
  thermostatAssessment,
  type World,
} from "./helpers.js";

const enc = encodeURIComponent;

describe.each(DATABASES)("derived verdicts, proposals and the plan over HTTP ($name)", (database) => {
  let w: World;
  let editor: Call;
  let reader: Call;
  let base: string;
  beforeAll(async () => {
    w = await makeWorld(database);
    editor = bearer(w.app, (w.a.users.editor as TestUser).token);
    reader = bearer(w.app, (w.a.users.viewer as TestUser).token);
    // The worked example's device, sold to federal agencies and in the EU: five texts, mapped.
    ({ base } = await thermostatAssessment(editor, w.a.productId));
  });
  afterAll(async () => {
    await w?.close();
  });

  it("a verdict on a NISTIR 8259A element proposes verdicts through the crosswalks; accepted in bulk, they are derived with their path", async () => {
    const a = (await editor("GET", base)).json();
    const item = "nist-ir-8259a:5.2";
    const f = a.findings.find((x: { item: string }) => x.item === item);
    expect(f, "the preset's profile holds 8259A 5.2").toBeDefined();
    expect(
      (
        await editor("PATCH", `${base}/findings/${enc(item)}`, {
          verdict: "pass",
          method: "test",
          version: f.version,
        })
      ).statusCode,
    ).toBe(200);
    const listed = await reader("GET", `${base}/proposals?kind=verdict`);
    expect(listed.statusCode).toBe(200);
    const proposals = listed.json().proposals as Proposal[];
    const fromIt = proposals.filter(
      (p) =>
        p.kind === "verdict" && p.source.kind === "crosswalk" && p.source.from.some((s) => s.item === item),
    );
    expect(fromIt.length).toBeGreaterThan(0);

    // A reader may look, not accept; an unknown id is named.
    expect((await reader("POST", `${base}/proposals/accept`, { all: true })).statusCode).toBe(403);
    const unknown = await editor("POST", `${base}/proposals/accept`, { ids: ["X-000000000000"] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().problems[0]).toMatchObject({ location: "body.ids[0]" });

    const before = (await reader("GET", `${base}/verdicts`)).json().figures;
    const r = await editor("POST", `${base}/proposals/accept`, { ids: fromIt.map((p) => p.id) });
    expect(r.statusCode).toBe(200);
    expect(r.json().accepted).toBe(fromIt.length);
    const after = await reader("GET", `${base}/verdicts`);
    expect(after.json().figures.derivedVerdicts).toBeGreaterThanOrEqual(
      before.derivedVerdicts + fromIt.length,
    );
    const items = new Map(
      (after.json().items as { item: string; source: string; path?: { from?: string[] } }[]).map((x) => [
        x.item,
        x,
      ]),
    );
    for (const p of fromIt)
      expect(items.get(p.item)).toMatchObject({ source: "proposal", path: { from: [item] } });
    // Accepted once, a proposal is no longer open.
    const again = await editor("POST", `${base}/proposals/accept`, { ids: [fromIt[0]?.id] });
    expect(again.statusCode).toBe(400);
  });

  it("a changed source makes the accepted verdicts stale", async () => {
    const item = "nist-ir-8259a:5.2";
    const f = (await editor("GET", `${base}/findings/${enc(item)}`)).json();
    await editor("PATCH", `${base}/findings/${enc(item)}`, { verdict: "fail", version: f.version });
    const v = (await reader("GET", `${base}/verdicts`)).json();
    const accepted = (v.items as { source: string; stale?: string }[]).filter((x) => x.source === "proposal");
    expect(accepted.length).toBeGreaterThan(0);
    for (const x of accepted) expect(x.stale).toMatch(/its source nist-ir-8259a:5.2 changed/);
    expect(v.figures.stale).toBeGreaterThanOrEqual(accepted.length);
  });

  it("serves the plan through the four steps with the figures", async () => {
    const r = await reader("GET", `${base}/plan`);
    expect(r.statusCode).toBe(200);
    const plan = r.json();
    expect(plan.steps.map((s: { step: number }) => s.step)).toEqual([1, 2, 3, 4]);
    expect(plan.figures.items).toBe((await reader("GET", base)).json().findings.length);
    expect(plan.next).toBeDefined();
  });
});
