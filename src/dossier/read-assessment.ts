/**
 * Reads an assessment folder for the dossier: `assessment.json`, the profile file it names (beside
 * it) and the evidence files its records name (`evidence/<sha256>-name`). A small local reader,
 * independent of the assessment store: it checks shapes defensively so that the pure build never
 * meets a value of the wrong type, and leaves the content checks (hashes, dates, coverage) to
 * validateDossierInput.
 */
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Assessment } from "../assessment/model.js";
import { fileErrorMessage } from "../core/file-errors.js";
import { CairnError, type Problem } from "../core/problem.js";
import { readProfileFile } from "../profile/files.js";
import type { Profile } from "../profile/model.js";
import { sha256Hex } from "./util.js";
import { EVIDENCE_PATH } from "./validate.js";

export const MAX_ASSESSMENT_BYTES = 64 * 1024 * 1024;

export interface AssessmentFolder {
  assessment: Assessment;
  profile: Profile;
  profileSha256: string;
  evidenceFiles: Map<string, Uint8Array>;
}

type Check = (v: unknown) => boolean;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === "string";
const num: Check = (v) => typeof v === "number" && Number.isFinite(v);
const strList: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
const strMap: Check = (v) => isObj(v) && Object.values(v).every((x) => typeof x === "string");
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === "string" && values.includes(v);

/**
 * Shape problems of an assessment: what the dossier reads must be there with the right type.
 * Allowed values are checked for the fields the reports switch on (kind, verdict, strength...).
 */
export function assessmentShapeProblems(value: unknown, source = "assessment.json"): Problem[] {
  const problems: Problem[] = [];
  const at = (location: string, message: string) => problems.push({ source, location, message });
  const fields = (
    obj: unknown,
    where: string,
    required: Record<string, Check>,
    optional: Record<string, Check> = {},
  ): obj is Record<string, unknown> => {
    if (!isObj(obj)) {
      at(where || "(top)", "must be an object");
      return false;
    }
    const p = where ? `${where}.` : "";
    for (const [k, ok] of Object.entries(required)) {
      if (obj[k] === undefined) at(`${p}${k}`, "missing");
      else if (!ok(obj[k])) at(`${p}${k}`, "has the wrong type or value");
    }
    for (const [k, ok] of Object.entries(optional)) {
      if (obj[k] !== undefined && !ok(obj[k])) at(`${p}${k}`, "has the wrong type or value");
    }
    return true;
  };
  if (
    !fields(value, "", {
      format: oneOf("cairn-assessment/1"),
      id: str,
      title: str,
      kind: oneOf("self-attestation", "second-party", "third-party"),
      status: oneOf("planned", "in-progress", "in-review", "done"),
      assessors: Array.isArray,
      product: isObj,
      release: isObj,
      profile: isObj,
      created: str,
      updated: str,
      findings: Array.isArray,
      evidence: Array.isArray,
    })
  )
    return problems;
  const a = value as Record<string, unknown>;
  (Array.isArray(a.assessors) ? a.assessors : []).forEach((x, i) => {
    fields(x, `assessors[${i}]`, { name: str }, { organisation: str, role: str });
  });
  fields(a.product, "product", { id: str, manufacturer: str, model: str, category: str });
  fields(
    a.release,
    "release",
    { version: str, date: str },
    { hardwareVersion: str, supportEnd: str, identity: strMap },
  );
  fields(a.profile, "profile", { file: str, id: str, sha256: str });
  (Array.isArray(a.findings) ? a.findings : []).forEach((f, i) => {
    const where = `findings[${i}]`;
    if (
      !fields(
        f,
        where,
        {
          item: str,
          verdict: oneOf("pass", "fail", "inconclusive", "not-applicable", "not-assessed"),
          evidence: strList,
        },
        {
          statement: isObj,
          method: oneOf("examine", "interview", "test"),
          notes: str,
          signOff: isObj,
          basis: isObj,
          updated: isObj,
          accepted: isObj,
        },
      )
    )
      return;
    const x = f as Record<string, unknown>;
    if (x.statement !== undefined)
      fields(
        x.statement,
        `${where}.statement`,
        { support: oneOf("supported", "not-supported", "not-applicable") },
        { detail: str },
      );
    if (x.signOff !== undefined) fields(x.signOff, `${where}.signOff`, { reviewer: str, date: str });
    if (x.basis !== undefined) fields(x.basis, `${where}.basis`, { release: str, profileItem: str });
    if (x.updated !== undefined) fields(x.updated, `${where}.updated`, { by: str, date: str });
    if (x.accepted !== undefined)
      fields(x.accepted, `${where}.accepted`, {
        proposal: str,
        verdict: oneOf("pass", "fail", "not-applicable", "partial", "inconclusive"),
        source: isObj,
        basis: isObj,
        by: str,
        at: str,
      });
  });
  // The design file and the risk register: the reports render every field named here.
  const level = oneOf("low", "medium", "high");
  if (a.measures !== undefined && !Array.isArray(a.measures)) at("measures", "must be an array");
  (Array.isArray(a.measures) ? a.measures : []).forEach((m, i) => {
    const where = `measures[${i}]`;
    if (
      !fields(
        m,
        where,
        { id: str, title: str, links: Array.isArray, evidence: strList },
        {
          description: str,
          owner: str,
          kind: oneOf("technical", "process"),
          library: isObj,
          verification: isObj,
          removed: isObj,
          updated: isObj,
        },
      )
    )
      return;
    const x = m as Record<string, unknown>;
    (x.links as unknown[]).forEach((l, j) => {
      fields(
        l,
        `${where}.links[${j}]`,
        { item: str, coverage: oneOf("full", "partial"), by: str, at: str },
        { origin: isObj, profileItem: str, removed: isObj },
      );
    });
    if (x.library !== undefined) fields(x.library, `${where}.library`, { id: str, version: str });
    if (
      x.verification !== undefined &&
      fields(
        x.verification,
        `${where}.verification`,
        {
          verdict: oneOf("pass", "fail", "inconclusive"),
          method: oneOf("examine", "interview", "test"),
          basis: isObj,
          by: str,
          at: str,
        },
        { notes: str },
      )
    )
      fields((x.verification as Record<string, unknown>).basis, `${where}.verification.basis`, {
        release: str,
      });
    if (x.removed !== undefined)
      fields(x.removed, `${where}.removed`, { by: str, at: str, settled: strList }, { reason: str });
  });
  if (a.risks !== undefined && !Array.isArray(a.risks)) at("risks", "must be an array");
  (Array.isArray(a.risks) ? a.risks : []).forEach((r, i) => {
    const where = `risks[${i}]`;
    if (
      fields(
        r,
        where,
        {
          id: str,
          asset: str,
          threat: str,
          likelihood: level,
          impact: level,
          treatment: isObj,
          residual: level,
        },
        { owner: str, removed: isObj },
      )
    ) {
      const x = r as Record<string, unknown>;
      fields(
        x.treatment,
        `${where}.treatment`,
        { decision: oneOf("mitigate", "accept", "avoid", "transfer"), measures: strList },
        { notes: str },
      );
      if (x.removed !== undefined) fields(x.removed, `${where}.removed`, { by: str, at: str });
    }
  });
  (Array.isArray(a.evidence) ? a.evidence : []).forEach((e, i) => {
    const where = `evidence[${i}]`;
    if (
      !fields(
        e,
        where,
        {
          id: str,
          kind: oneOf("file", "link", "attestation", "tool-result"),
          title: str,
          strength: oneOf("proves", "proves-only-when-failing", "supports", "none"),
          tags: strList,
          effective: str,
          addedBy: str,
          addedAt: str,
        },
        { file: isObj, url: str, text: str, tool: isObj, expires: str, supersedes: str },
      )
    )
      return;
    const x = e as Record<string, unknown>;
    if (x.file !== undefined)
      fields(x.file, `${where}.file`, { name: str, path: str, sha256: str, size: num, mediaType: str });
    if (x.tool !== undefined)
      fields(x.tool, `${where}.tool`, { name: str, version: str }, { command: str, outputSha256: str });
  });
  if (a.retiredFindings !== undefined) {
    if (!Array.isArray(a.retiredFindings)) at("retiredFindings", "must be an array");
    else
      a.retiredFindings.forEach((f, i) => {
        fields(f, `retiredFindings[${i}]`, { item: str, verdict: str, retired: str });
      });
  }
  return problems;
}

function readBytes(file: string, what: string): Uint8Array {
  try {
    const st = lstatSync(file);
    if (st.isDirectory())
      throw new CairnError(`${file} is a folder: ${what} must be a file (remove or rename the folder)`);
    if (!st.isFile()) throw new CairnError(`${file}: ${what} is not a regular file`);
    if (st.size > MAX_ASSESSMENT_BYTES)
      throw new CairnError(`${file}: larger than ${MAX_ASSESSMENT_BYTES} bytes`);
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    if (err instanceof CairnError) throw err;
    const dir = dirname(file);
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && basename(file) === "assessment.json")
      throw new CairnError(
        existsSync(dir)
          ? `no assessment in ${dir} (no assessment.json); give the assessment folder, or create one with cairn assess init <folder>`
          : `no folder ${dir}: give the assessment folder (it is read relative to ${process.cwd()})`,
      );
    throw new CairnError(fileErrorMessage(file, err, what.replace(/^the /, "")));
  }
}

/**
 * Reads the folder. A folder without a readable assessment.json or profile, or an assessment of
 * the wrong shape, is an error (nothing could be built, not even a draft). Missing evidence files
 * are left out of `evidenceFiles`: the build's validation names them.
 */
export function readAssessmentFolder(dir: string): AssessmentFolder {
  const file = join(dir, "assessment.json");
  const text = new TextDecoder().decode(readBytes(file, "the assessment"));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CairnError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const shape = assessmentShapeProblems(value, file);
  if (shape.length > 0) throw new CairnError(`${file} is not a Cairn assessment`, shape);
  const assessment = value as Assessment;

  const profileName = assessment.profile.file;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(profileName))
    throw new CairnError(
      `${file}: profile.file must name a file beside assessment.json (got "${profileName}")`,
    );
  const profilePath = join(dir, profileName);
  const profileBytes = readBytes(profilePath, "the profile");
  const profile = readProfileFile(profilePath);

  const evidenceFiles = new Map<string, Uint8Array>();
  for (const e of assessment.evidence) {
    const path = e.file?.path;
    // Only paths of the store's layout are read: never a path outside the folder.
    if (!path || !EVIDENCE_PATH.test(path) || evidenceFiles.has(path)) continue;
    try {
      const full = join(dir, ...path.split("/"));
      const st = lstatSync(full);
      if (st.isFile()) evidenceFiles.set(path, new Uint8Array(readFileSync(full)));
    } catch {
      // Missing: reported by validation.
    }
  }
  return { assessment, profile, profileSha256: sha256Hex(profileBytes), evidenceFiles };
}
