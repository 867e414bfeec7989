// `cairn collect ... --assessment <folder>`: what the collector read goes into the assessment as an
// evidence record, and its proposals are stored through the assessment core (a person accepts or
// rejects them; they never replace a verdict a person recorded).
import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { basename } from "node:path";
import type { NewCollectorProposal, NewEvidenceRecord } from "../assessment/changes.js";
import type { Assessment, EvidenceRecord, EvidenceStrength } from "../assessment/model.js";
import type { CollectorContext, CollectorReport } from "../collect/contract.js";
import { CairnError } from "../core/problem.js";
import { toJson } from "./output.js";

/** The collector's view of the assessment: its product and release, unless the options say otherwise. */
export function assessmentContext(
  a: Assessment,
  context: Omit<CollectorContext, "progress">,
): Omit<CollectorContext, "progress"> {
  return {
    ...context,
    product: context.product ?? {
      manufacturer: a.product.manufacturer,
      model: a.product.model,
      id: a.product.id,
    },
    release: context.release ?? {
      version: a.release.version,
      date: a.release.date,
      ...(a.release.supportEnd ? { supportEnd: a.release.supportEnd } : {}),
    },
  };
}

/** Strongest first: the evidence record is as strong as the strongest proposal it backs. */
const ORDER: EvidenceStrength[] = ["proves", "proves-only-when-failing", "supports", "none"];

export interface Stored {
  evidence: string;
  proposals: string[];
  /** Proposals for items the profile does not hold: reported, not stored. */
  dropped: string[];
}

/**
 * Stores the input as a tool-result evidence record and the report's proposals for the profile's
 * items, in one change of the assessment (nothing is written if either is refused).
 */
export async function storeCollected(
  dir: string,
  file: string,
  report: CollectorReport,
  options: { by?: string; date?: string },
): Promise<Stored> {
  const L = await import("./assess-lib.js");
  const { nextEvidenceId } = await import("../assessment/changes.js");
  const handle = new L.FolderAssessment(dir);
  const current = await handle.read();
  // Refused before the file is copied in: nothing is left behind.
  if (current.assessment.status === "done")
    throw new CairnError(`${dir}: the assessment is done; set its status back to add evidence to it`);
  const held = new Set(current.profile.items.map((i) => i.id));
  const kept = report.proposals.filter((p) => held.has(p.item));
  const dropped = report.proposals.filter((p) => !held.has(p.item)).map((p) => p.item);
  const strength =
    ORDER.find((s) => kept.some((p) => p.strength === s)) ?? (report.valid ? "supports" : "none");
  const stored = await L.storeEvidenceFile(dir, file);
  const record: NewEvidenceRecord = {
    kind: "tool-result",
    title: `${report.kind} (${report.format}): ${basename(file)}`,
    strength,
    tags: report.tags ?? [],
    tool: {
      name: report.tool.name,
      version: report.tool.version,
      command: `cairn collect ${report.kind} ${basename(file)}`,
      // The report as `cairn collect <file> --json` prints it: a rerun on the same date gives the same hash.
      outputSha256: createHash("sha256").update(toJson(report)).digest("hex"),
    },
    file: stored,
  };
  const evidence = nextEvidenceId(current.assessment);
  const proposals: NewCollectorProposal[] = kept.map((p) => ({
    item: p.item,
    verdict: p.verdict,
    collector: report.kind,
    evidence,
    strength: p.strength,
    reason: p.reason,
    ...(p.checks?.length ? { checks: p.checks } : {}),
  }));
  const by = options.by ?? process.env.CAIRN_USER ?? userInfo().username;
  const at = options.date ?? new Date().toISOString().slice(0, 10);
  const r = await L.runCommands(
    handle,
    [
      { type: "add-evidence", record },
      ...(proposals.length > 0 ? [{ type: "add-proposals" as const, proposals }] : []),
    ],
    { by, name: by, at },
    // The evidence id the proposals name was computed from this revision: a change in between is refused.
    { expectRevision: current.revision },
  );
  const id = (r.results[0] as EvidenceRecord).id;
  const added = (r.results[1] ?? []) as { id: string }[];
  return { evidence: id, proposals: added.map((p) => p.id), dropped };
}
