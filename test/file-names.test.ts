import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { storeEvidenceFile } from "../src/assessment/store.js";
import { withoutControlCharacters } from "../src/core/file-name.js";
import { safeFileName } from "../src/server/evidence-files.js";

describe("stored evidence file names (issue 15)", () => {
  it("lose bidirectional overrides and isolates, marks, zero-width characters and controls; keep every script", () => {
    expect(withoutControlCharacters("report\u202Efdp.exe")).toBe("reportfdp.exe");
    expect(withoutControlCharacters("\u2066a\u2067b\u2068c\u2069\u200E\u200F\u061C")).toBe("abc");
    expect(withoutControlCharacters("x\u200By\u200Cz\u200D\uFEFF\u00AD\u2060\u2028\u2029\u0007")).toBe("xyz");
    expect(withoutControlCharacters("Prüfbericht-試験-отчёт.pdf")).toBe("Prüfbericht-試験-отчёт.pdf");
    expect(safeFileName("../../etc/\u202Epasswd")).toBe("passwd");
    expect(safeFileName("\u202E")).toBe("evidence");
  });

  it("storeEvidenceFile keeps the original name as a label without them (the stored path was already safe)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-names-"));
    try {
      const source = join(dir, "invoice\u202Efdp.exe");
      writeFileSync(source, "content");
      const r = await storeEvidenceFile(join(dir, "assessment"), source);
      expect(r.name).toBe("invoicefdp.exe");
      expect(r.path).toMatch(/^evidence\/[0-9a-f]{64}-invoice_fdp\.exe$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
