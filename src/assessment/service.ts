/**
 * The assessment service: the one way an assessment changes, whatever keeps it. A store (an
 * assessment folder, the SQL database) implements AssessmentHandle for one assessment: it reads it
 * and runs a change under exclusive access, writing the result and its events together. The rules
 * themselves are pure (changes.ts); this module only runs them through a store.
 */

import { ConflictError, InvalidError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import {
  type AssessmentCommand,
  type AssessmentEvent,
  applyCommands,
  type ChangeContext,
  type ChangeOutcome,
} from "./changes.js";
import type { Assessment } from "./model.js";

export interface StoredAssessment {
  assessment: Assessment;
  profile: Profile;
  /** Bumped by the store at every write that changed something: cache keys, push/pull conflicts. */
  revision: number;
}

/** The next state a change computed: written with its events, or not at all. */
export interface Transition {
  assessment: Assessment;
  /** A new profile taken in, with the exact text of its file. */
  profile?: ChangeOutcome["profile"];
  events: AssessmentEvent[];
}

/** One assessment in a store: the storage port both stores implement. */
export interface AssessmentHandle {
  read(): Promise<StoredAssessment>;
  /**
   * Reads the assessment, computes the next state with `change`, and writes it, with nobody else
   * writing the same assessment in between. Nothing is written when the transition has no events.
   */
  transact<T extends Transition>(
    change: (current: StoredAssessment) => T,
  ): Promise<{ stored: StoredAssessment; transition: T }>;
}

/** More commands than this in one call are refused: a bulk change stays one bounded transaction. */
export const MAX_COMMANDS = 2000;

export interface CommandsResult extends StoredAssessment {
  events: AssessmentEvent[];
  results: unknown[];
}

/**
 * Runs commands against one assessment, all or nothing. With `expectRevision`, refuses (409
 * stale-version) unless the stored copy is still at that revision.
 */
export async function runCommands(
  handle: AssessmentHandle,
  commands: readonly AssessmentCommand[],
  ctx: ChangeContext,
  options: { expectRevision?: number } = {},
): Promise<CommandsResult> {
  if (commands.length > MAX_COMMANDS)
    throw new InvalidError("too many changes at once", [
      { location: "commands", message: `${commands.length} changes; at most ${MAX_COMMANDS} in one call` },
    ]);
  const { stored, transition } = await handle.transact((current) => {
    if (options.expectRevision !== undefined && current.revision !== options.expectRevision)
      throw new ConflictError("stale-version", "the assessment was changed by someone else");
    return applyCommands(current.assessment, current.profile, commands, ctx);
  });
  return { ...stored, events: transition.events, results: transition.results };
}
