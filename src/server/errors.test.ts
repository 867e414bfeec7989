import { describe, expect, it } from "vitest";
import { fieldPath, validationProblems } from "./errors.js";
import { safeFileName } from "./evidence-files.js";

describe("field paths of validation errors", () => {
  it("names nested fields, array items, missing and unknown fields", () => {
    expect(fieldPath("body", { instancePath: "/release/date" })).toBe("body.release.date");
    expect(fieldPath("body", { instancePath: "/evidence/1" })).toBe("body.evidence[1]");
    expect(fieldPath("body", { instancePath: "/release", params: { missingProperty: "version" } })).toBe(
      "body.release.version",
    );
    expect(fieldPath("query", { instancePath: "", params: { additionalProperty: "x" } })).toBe("query.x");
    expect(fieldPath("body", { instancePath: "/a~1b" })).toBe("body.a/b");
  });

  it("merges duplicates and says plainly what is wrong", () => {
    expect(
      validationProblems("body", [
        { instancePath: "", keyword: "required", params: { missingProperty: "title" } },
        { instancePath: "", keyword: "required", params: { missingProperty: "title" } },
        { instancePath: "/kind", keyword: "enum", params: { allowedValues: ["a", "b"] } },
      ]),
    ).toEqual([
      { location: "body.title", message: "missing" },
      { location: "body.kind", message: 'must be one of "a", "b"' },
    ]);
  });
});

describe("file names of uploads", () => {
  it("keeps a label, never a path", () => {
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("C:\\Windows\\win.ini")).toBe("win.ini");
    expect(safeFileName('a"b\u0000\r\n.txt')).toBe("ab.txt");
    expect(safeFileName("....")).toBe("evidence");
    expect(safeFileName(undefined)).toBe("evidence");
    expect(safeFileName(".hidden")).toBe("hidden");
  });
});
