import { describe, expect, it } from "vitest";
import type { Glossary } from "./glossary.js";
import type { CatalogFile } from "./model.js";
import { checkCatalog } from "./parse.js";
import { editDistance, SearchIndex, tokenize } from "./search.js";

const file: CatalogFile = {
  format: "cairn-catalog/1",
  catalog: {
    id: "demo",
    title: "Demo",
    publisher: "tests",
    version: "1",
    published: "2024-01",
    status: "final",
    source: { reference: "tests" },
    terms: "full-text",
    verification: "checked",
  },
  items: [
    {
      ref: "1",
      label: "5.1-1",
      kind: "provision",
      title: "Unique passwords",
      text: "Passwords are unique per device.",
    },
    {
      ref: "2",
      label: "5.3-2",
      kind: "provision",
      title: "Software updates",
      text: "The device can be updated securely.",
    },
    {
      ref: "3",
      label: "AC-2(1)",
      kind: "control",
      title: "Automated account management",
      text: "Accounts are managed.",
    },
    {
      ref: "4",
      label: "X",
      kind: "provision",
      title: "Logging",
      text: "Security updates and passwords are logged.",
    },
  ],
};
const catalog = checkCatalog(file, "inline").catalog;
if (!catalog) throw new Error("fixture invalid");
const index = new SearchIndex([catalog]);

describe("SearchIndex", () => {
  it("tokenizes, drops stop words and plural endings", () => {
    expect(tokenize("The Updates of policies")).toEqual(["update", "policy"]);
  });

  it("ranks items matching every word first, then partial matches that say what they miss", () => {
    expect(index.search("password").map((h) => h.item.ref)).toEqual(["1", "4"]);
    const r = index.query("password unique");
    expect(r.hits.map((h) => h.item.ref)).toEqual(["1", "4"]);
    expect(r.hits.map((h) => h.missing)).toEqual([[], ["unique"]]);
    expect(r).toMatchObject({ complete: 1, total: 2 });
    const some = index.query("password nothing");
    expect(some.hits.map((h) => [h.item.ref, h.matched, h.missing])).toEqual([
      ["1", ["password"], ["nothing"]],
      ["4", ["password"], ["nothing"]],
    ]);
    expect(some.complete).toBe(0);
  });

  it("suggests near words for a word no item has, and nothing when every word is known", () => {
    expect(index.query("pasword").suggestions).toEqual(["password"]);
    expect(index.query("logign updat").suggestions[0]).toBe("logging updat");
    expect(index.query("password").suggestions).toEqual([]);
    expect(index.query("zzzzzz").suggestions).toEqual([]);
    expect(editDistance("pasword", "password")).toBe(1);
    expect(editDistance("pasword", "psaword")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("matches a word as the prefix of longer words", () => {
    expect(index.search("upd").map((h) => h.item.ref)).toEqual(["2", "4"]);
    expect(index.search("automat acc").map((h) => h.item.ref)).toEqual(["3"]);
  });

  it("puts an exact label first", () => {
    expect(index.search("ac-2(1)")[0]?.item.ref).toBe("3");
    expect(index.search("5.1-1")[0]?.item.ref).toBe("1");
  });

  it("reads a glossary phrase as one idea and finds the other phrases of its group", () => {
    const glossary: Glossary = {
      format: "cairn-search-glossary/1",
      id: "test",
      version: "1",
      groups: [
        { id: "credentials", terms: ["default credential", "unique passwords"] },
        { id: "ota", terms: ["OTA", "software update"] },
      ],
    };
    const g = new SearchIndex([catalog], { glossary });
    const r = g.query("OTA");
    expect(r.hits.map((h) => h.item.ref)).toEqual(["2"]);
    expect(r.concepts).toEqual([{ text: "OTA", group: "ota", alsoSearched: ["software update"] }]);
    // A synonym's words must all be there: item 4 has "updates" but not "software".
    expect(g.search("default credentials").map((h) => h.item.ref)).toEqual(["1"]);
    // Without the glossary, the abbreviation finds nothing and suggests nothing near.
    expect(index.query("OTA").hits).toEqual([]);
  });

  it("filters by catalog and limits", () => {
    expect(index.search("password", { catalog: "other" })).toEqual([]);
    expect(index.search("password", { limit: 1 })).toHaveLength(1);
  });
});
