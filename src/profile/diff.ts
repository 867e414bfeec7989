import type { Profile, ProfileItem } from "./model.js";

export interface ProfileDiff {
  context: { field: string; before: unknown; after: unknown }[];
  requirements: { field: string; before: unknown; after: unknown }[];
  baseline?: { before: string; after: string };
  added: ProfileItem[];
  removed: ProfileItem[];
  changed: { id: string; changes: { field: string; before: unknown; after: unknown }[] }[];
}

function changes(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  prefix = "",
): { field: string; before: unknown; after: unknown }[] {
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[k];
    const y = b[k];
    if (x && y && typeof x === "object" && typeof y === "object" && !Array.isArray(x)) {
      out.push(...changes(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${k}.`));
    } else if (JSON.stringify(x) !== JSON.stringify(y))
      out.push({ field: `${prefix}${k}`, before: x, after: y });
  }
  return out;
}

/** What changes between two profiles: context, baseline, requirements and items. */
export function diffProfiles(a: Profile, b: Profile): ProfileDiff {
  const before = new Map(a.items.map((i) => [i.id, i]));
  const after = new Map(b.items.map((i) => [i.id, i]));
  const changed: ProfileDiff["changed"] = [];
  for (const [id, x] of before) {
    const y = after.get(id);
    if (!y) continue;
    const c = (["stringency", "method", "obligation"] as const)
      .filter((f) => x[f] !== y[f])
      .map((f) => ({ field: f, before: x[f], after: y[f] }));
    if (c.length > 0) changed.push({ id, changes: c });
  }
  const diff: ProfileDiff = {
    context: changes(
      a.context as unknown as Record<string, unknown>,
      b.context as unknown as Record<string, unknown>,
    ),
    requirements: changes(
      a.requirements as unknown as Record<string, unknown>,
      b.requirements as unknown as Record<string, unknown>,
    ),
    added: b.items.filter((i) => !before.has(i.id)),
    removed: a.items.filter((i) => !after.has(i.id)),
    changed,
  };
  if (a.baseline !== b.baseline) diff.baseline = { before: a.baseline, after: b.baseline };
  return diff;
}
