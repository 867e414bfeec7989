import type { ProfileItem } from "../profile/model.js";
import type { Assessment, Finding } from "./model.js";

/** What a verdict was given against: a change here makes the finding stale. */
export function profileItemDigest(item: ProfileItem): string {
  return `${item.stringency}|${item.method}|${item.obligation}`;
}

/** Why a verdict is stale (given on another release or another version of its profile item), if it is. */
export function staleReason(f: Finding, a: Assessment, entry: ProfileItem | undefined): string | undefined {
  if (f.verdict === "not-assessed" || !f.basis) return undefined;
  if (f.basis.release !== a.release.version)
    return `given on release ${f.basis.release}, assessed release is ${a.release.version}`;
  if (!entry) return "the item is no longer in the profile";
  if (f.basis.profileItem !== profileItemDigest(entry)) {
    return `profile item changed (${f.basis.profileItem} -> ${profileItemDigest(entry)})`;
  }
  return undefined;
}
