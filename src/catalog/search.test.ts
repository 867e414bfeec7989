import { describe, expect, it } from "vitest";
import type { CatalogFile } from "./model.js";
import { checkCatalog } from "./parse.js";
import { SearchIndex, tokenize } from "./search.js";

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

  it("requires every word and ranks title matches above text matches", () => {
    expect(index.search("password").map((h) => h.item.ref)).toEqual(["1", "4"]);
    expect(index.search("password unique").map((h) => h.item.ref)).toEqual(["1"]);
    expect(index.search("password nothing")).toEqual([]);
  });

  it("matches a word as the prefix of longer words", () => {
    expect(index.search("upd").map((h) => h.item.ref)).toEqual(["2", "4"]);
    expect(index.search("automat acc").map((h) => h.item.ref)).toEqual(["3"]);
  });

  it("puts an exact label first", () => {
    expect(index.search("ac-2(1)")[0]?.item.ref).toBe("3");
    expect(index.search("5.1-1")[0]?.item.ref).toBe("1");
  });

  it("filters by catalog and limits", () => {
    expect(index.search("password", { catalog: "other" })).toEqual([]);
    expect(index.search("password", { limit: 1 })).toHaveLength(1);
  });
});
