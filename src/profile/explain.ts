import type { Because, Profile, ProfileItem } from "./model.js";
import type { RuleSet } from "./rules.js";

/** One reason an item is in a profile, in words: the rule's title and rationale beside its id. */
export interface ExplainedBecause extends Because {
  /** The rule's title ("The NISTIR 8259A technical core baseline"), or "Added by tailoring". */
  title: string;
  /** Why the rule exists, as the rules file states it. */
  rationale?: string;
  /** Where the rule comes from (SP 800-213 step, the guide...). */
  source?: string;
}

export interface ExplainedItem {
  id: string;
  catalog: string;
  label: string;
  title: string;
  stringency: ProfileItem["stringency"];
  method: ProfileItem["method"];
  obligation: ProfileItem["obligation"];
  evidence: string[];
  tailored?: boolean;
  because: ExplainedBecause[];
}

/** The rule id the tailoring log uses in `because`. */
export const TAILORING_RULE = "TAILORING";

/**
 * Why a profile holds its items (or the ones named), each reason with the rule's title, rationale
 * and source from the rule set: what `cairn profile explain` prints and the web UI's "Why" shows.
 * A rule the set no longer has keeps its id as its title.
 */
export function explainItems(profile: Profile, rules: RuleSet, ids?: readonly string[]): ExplainedItem[] {
  const byId = new Map(rules.rules.map((r) => [r.id, r]));
  const wanted = ids ? new Set(ids) : undefined;
  const out: ExplainedItem[] = [];
  for (const i of profile.items) {
    if (wanted && !wanted.has(i.id)) continue;
    const item: ExplainedItem = {
      id: i.id,
      catalog: i.catalog,
      label: i.label,
      title: i.title,
      stringency: i.stringency,
      method: i.method,
      obligation: i.obligation,
      evidence: i.evidence,
      because: i.because.map((b) => {
        const rule = byId.get(b.rule);
        const e: ExplainedBecause = {
          ...b,
          title: rule?.title ?? (b.rule === TAILORING_RULE ? "Added by tailoring" : b.rule),
        };
        if (rule?.rationale) e.rationale = rule.rationale;
        if (rule?.source) e.source = rule.source;
        return e;
      }),
    };
    if (i.tailored) item.tailored = true;
    out.push(item);
  }
  return out;
}
