/**
 * What every rule of the assessment core shares: who changes what, the outcome of a change, and
 * the small checks every rule makes (the assessment is open, the item is in the profile).
 */
import { ConflictError, InvalidError } from "../core/errors.js";
import type { Profile, ProfileItem } from "../profile/model.js";
import type { Assessment, Finding } from "./model.js";

/** Who makes a change and when. */
export interface ChangeContext {
  /** How records name the person: an e-mail address on the server, a login name on the CLI. */
  by: string;
  /** The name a sign-off carries. */
  name: string;
  /** When: YYYY-MM-DD (the CLI's --date) or an ISO 8601 date-time (the server's clock). */
  at: string;
}

/** What happened, for the audit trail: one event per change that took effect. */
export interface AssessmentEvent {
  action: string;
  /** What it happened to: the assessment, one of its findings, one of its evidence records. */
  subject: { finding: string } | { evidence: string } | "assessment";
  detail: Record<string, unknown>;
}

export interface ChangeOutcome {
  assessment: Assessment;
  /** Set when the command took in a new profile. */
  profile?: { profile: Profile; file: string; sha256: string; text: string };
  events: AssessmentEvent[];
  /** What the caller asked for: the finding recorded, the evidence id given out... */
  result: unknown;
}

/** A finding's version: 1 until its first change (older folders carry none). */
export function findingVersion(f: Finding): number {
  return f.version ?? 1;
}

/** The later of two ISO dates or date-times (they compare as text). */
export function later(x: string, y: string): string {
  return x > y ? x : y;
}

/** One problem names itself; several are listed under a summary. */
export function invalid(summary: string, problems: { location: string; message: string }[]): InvalidError {
  return new InvalidError(
    problems.length === 1 ? (problems[0] as { message: string }).message : summary,
    problems,
  );
}

export function dateOf(at: string): string {
  return at.slice(0, 10);
}

/** `done` freezes an assessment: only its status can change (reopen it to change anything else). */
export function requireOpen(a: Assessment): void {
  if (a.status === "done")
    throw new ConflictError(
      "assessment-done",
      "the assessment is done; set its status back (in-progress or in-review) to change it",
    );
}

export function profileEntry(profile: Profile, item: string): ProfileItem {
  const entry = profile.items.find((i) => i.id === item);
  if (!entry)
    throw new InvalidError(`${item} is not in profile ${profile.id}`, [
      {
        location: "item",
        message: `${item} is not an item of profile ${profile.id}: findings exist only for its items`,
      },
    ]);
  return entry;
}

/** The same JSON value (key order aside): a write that changes nothing is not a change. */
export function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const kx = Object.keys(x).filter((k) => (x as Record<string, unknown>)[k] !== undefined);
  const ky = Object.keys(y).filter((k) => (y as Record<string, unknown>)[k] !== undefined);
  if (kx.length !== ky.length) return false;
  return kx.every((k) => same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
}
