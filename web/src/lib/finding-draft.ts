import type { FindingDto, FindingPatch, ImplementationSupport, Method, Verdict } from "../types.js";

/** A finding as the editor holds it: every field a plain value a form control can show. */
export interface Draft {
  verdict: Verdict;
  method: Method | "";
  support: ImplementationSupport | "";
  detail: string;
  notes: string;
  evidence: string[];
}

export function draftOf(f: FindingDto): Draft {
  return {
    verdict: f.verdict,
    method: f.method ?? "",
    support: f.statement?.support ?? "",
    detail: f.statement?.detail ?? "",
    notes: f.notes ?? "",
    evidence: [...f.evidence],
  };
}

/** Only what the user changed against the version they started from. */
export function patchOf(base: FindingDto, d: Draft): FindingPatch {
  const b = draftOf(base);
  const p: FindingPatch = {};
  if (d.verdict !== b.verdict) p.verdict = d.verdict;
  if (d.method !== b.method) p.method = d.method === "" ? null : d.method;
  if (d.support !== b.support || d.detail !== b.detail)
    p.statement =
      d.support === "" ? null : { support: d.support, ...(d.detail.trim() ? { detail: d.detail } : {}) };
  if (d.notes !== b.notes) p.notes = d.notes === "" ? null : d.notes;
  // Links are attached and detached, never replaced: what someone else attached meanwhile stays.
  const attach = d.evidence.filter((e) => !b.evidence.includes(e));
  const detach = b.evidence.filter((e) => !d.evidence.includes(e));
  if (attach.length > 0) p.attach = attach;
  if (detach.length > 0) p.detach = detach;
  return p;
}
