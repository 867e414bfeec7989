/**
 * Assessment folder loader fuzz (issue 15): `readAssessmentFolder` (src/assessment/store.ts) on
 * 10,000 hostile assessment.json and profile.json files, written to a real folder. Every answer is
 * the folder or a CairnError (exit 1, naming the file and the place), never another exception.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readAssessmentFolder } from "../../src/assessment/store.js";
import { loadCatalogs } from "../../src/catalog/files.js";
import { CairnError } from "../../src/core/problem.js";
import { loadCrosswalks } from "../../src/crosswalk/files.js";
import { syntheticInput } from "../../src/dossier/synthetic.js";
import { documents } from "./generators.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const input = syntheticInput(registry, set, { items: 1, evidenceFiles: 1 });
const dir = mkdtempSync(join(tmpdir(), "cairn-fuzz-assessment-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const assessmentText = `${JSON.stringify(input.assessment, null, 2)}\n`;
const profileText = `${JSON.stringify(input.profile, null, 2)}\n`;

function load(): "ok" | number {
  try {
    readAssessmentFolder(dir);
    return "ok";
  } catch (err) {
    if (err instanceof CairnError) return err.exitCode;
    throw err;
  }
}

describe("assessment folder loader fuzz", () => {
  it("the base folder loads", () => {
    writeFileSync(join(dir, "assessment.json"), assessmentText);
    writeFileSync(join(dir, input.assessment.profile.file), profileText);
    expect(load()).toBe("ok");
  });

  it("answers 10,000 hostile assessment.json and profile.json files with the folder or a CairnError (exit 1)", () => {
    // Both files are JSON (profile.json is read as JSON by its name): YAML renderings would only
    // test JSON.parse's refusal again.
    const json = (base: unknown) => documents(base).filter((d) => d.format === "json");
    const assessmentDocs = json(input.assessment).map((d) => ({ file: "assessment.json", text: d.text }));
    const profileDocs = json(input.profile).map((d) => ({
      file: input.assessment.profile.file,
      text: d.text,
    }));
    // Each file is rewritten only when it changes.
    const written = new Map<string, string>();
    const put = (file: string, text: string) => {
      if (written.get(file) === text) return;
      writeFileSync(join(dir, file), text);
      written.set(file, text);
    };
    let refused = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: assessmentDocs }, { weight: 1, arbitrary: profileDocs }),
        ({ file, text }) => {
          const isAssessment = file === "assessment.json";
          put("assessment.json", isAssessment ? text : assessmentText);
          put(input.assessment.profile.file, isAssessment ? profileText : text);
          const r = load();
          if (r !== "ok") {
            expect(r).toBe(1);
            refused++;
          }
        },
      ),
      { numRuns: 10_000 },
    );
    expect(refused).toBeGreaterThan(5_000);
  }, 300_000);

  it("an assessment.json or a profile that is a folder is invalid input naming it, not an internal error", () => {
    rmSync(join(dir, "assessment.json"), { force: true });
    mkdirSync(join(dir, "assessment.json"));
    expect(() => readAssessmentFolder(dir)).toThrow(
      /assessment\.json is a folder: the assessment must be a file/,
    );
    rmSync(join(dir, "assessment.json"), { recursive: true });
    writeFileSync(join(dir, "assessment.json"), assessmentText);
    rmSync(join(dir, input.assessment.profile.file));
    mkdirSync(join(dir, input.assessment.profile.file));
    expect(load()).toBe(1);
    expect(() => readAssessmentFolder(dir)).toThrow(
      /profile\.json is a folder: give the path of the profile file itself/,
    );
  });
});
