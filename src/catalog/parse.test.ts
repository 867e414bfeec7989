import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/helpers/cli.js";
import { formatProblem } from "../core/problem.js";
import { formatFromName } from "../core/structured-text.js";
import { parseCatalog } from "./parse.js";

function parseFixture(name: string) {
  const file = fixture("catalogs", name);
  return parseCatalog(readFileSync(file, "utf8"), name, formatFromName(name));
}

describe("parseCatalog", () => {
  it("loads a YAML catalog into a tree with ids, depth, order and defaults", () => {
    const { catalog, problems } = parseFixture("diff/widget-baseline@1.0.yaml");
    expect(problems).toEqual([]);
    expect(catalog?.key).toBe("widget-baseline@1.0");
    expect(catalog?.items.map((i) => i.id)).toEqual([
      "widget-baseline:1",
      "widget-baseline:1.1",
      "widget-baseline:1.2",
      "widget-baseline:2",
      "widget-baseline:2.1",
      "widget-baseline:3",
    ]);
    const element = catalog?.byRef.get("2.1");
    expect(element).toMatchObject({
      parent: "widget-baseline:2",
      depth: 1,
      order: 0,
      verification: "checked",
    });
    expect(element?.props).toEqual({ modal: "should" });
    expect(catalog?.children.get("widget-baseline:1")?.map((i) => i.ref)).toEqual(["1.1", "1.2"]);
  });

  it("names the line, the item and the field of schema errors", () => {
    const { catalog, problems } = parseFixture("bad/unknown-field.yaml");
    expect(catalog).toBeUndefined();
    const text = problems.map(formatProblem);
    expect(text).toContain('bad/unknown-field.yaml:21:13 items[1] (ref 2).colour: unknown field "colour"');
    expect(
      text.some((t) => t.startsWith("bad/unknown-field.yaml:19:11 items[1] (ref 2).kind: must be one of:")),
    ).toBe(true);
  });

  it("reports malformed JSON and YAML with line and column", () => {
    const json = parseFixture("bad/malformed.json");
    expect(json.problems[0]).toMatchObject({ line: 5, column: 3 });
    expect(json.problems[0]?.message).toMatch(/^malformed JSON/);
    const yaml = parseFixture("bad/malformed.yaml");
    expect(yaml.problems[0]).toMatchObject({ line: 3 });
    expect(yaml.problems[0]?.message).toMatch(/^malformed YAML/);
  });

  it("finds duplicate refs and parents that do not resolve", () => {
    const { problems } = parseFixture("bad/structure.json");
    expect(problems.map(formatProblem)).toEqual([
      'bad/structure.json:16:14 items[1] (ref 1).ref: duplicate ref "1" (first at items[0])',
      'bad/structure.json:17:81 items[2] (ref 2).parent: parent "9" is not an item of this catalog',
    ]);
  });

  it("finds parent cycles and terminates", () => {
    const { problems } = parseFixture("bad/cycle.json");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe("parent cycle: a -> c -> b -> a");
  });

  it("rejects wrong types and a missing format marker", () => {
    const bad = { catalog: { id: "x" }, items: [{ ref: "1", label: 1, kind: "capability", title: "t" }] };
    const { problems } = parseCatalog(JSON.stringify(bad, null, 2), "inline.json", "json");
    const messages = problems.map(formatProblem);
    expect(messages).toContain('inline.json:1:1 (document): missing required field "format"');
    expect(messages.some((m) => /items\[0\] \(ref 1\)\.label: must be of type string/.test(m))).toBe(true);
    expect(messages.some((m) => /catalog: missing required field "title"/.test(m))).toBe(true);
  });
});
