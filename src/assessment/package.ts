/**
 * An assessment as it travels between a folder and a server: the text of its assessment.json, the
 * text of its profile file, and its evidence files by SHA-256. The same checks run before a push
 * (in the CLI) and when a server receives one, so both refuse the same folder for the same reasons,
 * and nothing is stored unless every check passes.
 */
import { createHash } from "node:crypto";
import type { Problem } from "../core/problem.js";
import { parseProfileText } from "../profile/files.js";
import type { Profile } from "../profile/model.js";
import type { Assessment } from "./model.js";
import { checkConsistency } from "./ops.js";
import { parseAssessmentText } from "./store.js";

export interface AssessmentPackage {
  assessmentText: string;
  profileText: string;
}

export interface CheckedPackage {
  assessment?: Assessment;
  profile?: Profile;
  /** SHA-256 of every evidence file the records name. */
  files: string[];
  problems: Problem[];
}

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkPackage(p: AssessmentPackage): CheckedPackage {
  const { assessment, problems } = parseAssessmentText(p.assessmentText, "assessment.json");
  if (!assessment) return { files: [], problems };
  const file = assessment.profile.file;
  const parsed = parseProfileText(p.profileText, file, /\.ya?ml$/i.test(file) ? "yaml" : "json");
  const out: Problem[] = [...parsed.problems];
  if (!PLAIN_NAME.test(file) || file === "assessment.json")
    out.push({
      source: "assessment.json",
      location: "profile.file",
      message: `${file}: must be a plain file name`,
    });
  const digest = createHash("sha256").update(p.profileText).digest("hex");
  if (digest !== assessment.profile.sha256)
    out.push({
      source: file,
      message: `changed since the assessment adopted it (SHA-256 ${digest.slice(0, 12)}..., recorded ${assessment.profile.sha256.slice(0, 12)}...): run cairn assess adopt-profile first`,
    });
  if (parsed.profile) out.push(...checkConsistency(assessment, parsed.profile));
  const files = [...new Set(assessment.evidence.flatMap((e) => (e.file ? [e.file.sha256] : [])))];
  assessment.evidence.forEach((e, i) => {
    if (e.file && !e.file.path.startsWith(`evidence/${e.file.sha256}`))
      out.push({
        source: "assessment.json",
        location: `evidence[${i}] (${e.id}).file.path`,
        message: `${e.file.path} is not where its content belongs (evidence/${e.file.sha256}-<name>)`,
      });
  });
  return { assessment, ...(parsed.profile ? { profile: parsed.profile } : {}), files, problems: out };
}

function sameJson(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * Why a pushed copy may not replace the one it was pulled from: the rules a change through the
 * core keeps hold for a whole-document push too. Empty when the push may go ahead.
 */
export function pushRefusals(before: Assessment, after: Assessment): string[] {
  const out: string[] = [];
  if (after.id !== before.id)
    out.push(
      `the folder holds assessment ${after.id}, the server's copy is ${before.id}: push it as a new assessment`,
    );
  if (before.status === "done")
    out.push("the server's copy is done: reopen it there (status in-progress) before pushing changes");
  const pushed = new Map(after.evidence.map((e) => [e.id, e]));
  for (const e of before.evidence) {
    const p = pushed.get(e.id);
    if (!p) out.push(`evidence ${e.id} is missing from the pushed copy: evidence records are never removed`);
    else if (!sameJson(p, e))
      out.push(
        `evidence ${e.id} was changed: evidence records are never edited (a new record supersedes one)`,
      );
  }
  const retired = new Set((after.retiredFindings ?? []).map((f) => `${f.item}@${f.retired}`));
  for (const f of before.retiredFindings ?? [])
    if (!retired.has(`${f.item}@${f.retired}`))
      out.push(`the retired finding ${f.item} is missing from the pushed copy: retired findings are kept`);
  return out;
}
