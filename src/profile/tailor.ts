import type { CatalogRegistry } from "../catalog/registry.js";
import { CairnError } from "../core/problem.js";
import { withParents } from "./hierarchy.js";
import type { Profile, ProfileItem, TailoringEntry } from "./model.js";
import { obligationFields } from "./obligation.js";

/** Catalogs whose items are the federal core: removing one of them is allowed but always flagged. */
export const CORE_CATALOGS = new Set(["nist-ir-8259a", "nist-ir-8259b"]);

/**
 * Adds or removes one item with a mandatory rationale and author. Returns a new profile with the
 * entry appended to its tailoring log; the input is not changed.
 */
export function tailor(profile: Profile, registry: CatalogRegistry, entry: TailoringEntry): Profile {
  return tailorMany(profile, registry, [entry]);
}

/** Several tailoring entries in order, on one copy of the profile (a preset may remove hundreds). */
export function tailorMany(profile: Profile, registry: CatalogRegistry, entries: TailoringEntry[]): Profile {
  const next: Profile = structuredClone(profile);
  for (const entry of entries) applyEntry(next, registry, entry);
  // An item added or removed changes which held item is the nearest ancestor of others.
  next.items = withParents(next.items, registry);
  return next;
}

function applyEntry(next: Profile, registry: CatalogRegistry, entry: TailoringEntry): void {
  if (!entry.rationale.trim()) throw new CairnError("tailoring needs a rationale", [], 2);
  if (!entry.author.trim()) throw new CairnError("tailoring needs an author", [], 2);
  const item = registry.item(entry.item);
  if (!item) throw new CairnError(`unknown item "${entry.item}"`);
  const logged: TailoringEntry = { ...entry, item: item.id };
  if (entry.action === "add") {
    if (next.items.some((i) => i.id === item.id))
      throw new CairnError(`${item.id} is already in the profile`);
    const added: ProfileItem = {
      id: item.id,
      catalog: item.catalogId,
      label: item.label,
      title: item.title,
      kind: item.kind,
      stringency: "moderate",
      method:
        next.items[0]?.method ??
        (next.requirements.independentAssessment ? "independent-assessment" : "self-attestation"),
      ...obligationFields(item),
      evidence: [],
      because: [{ rule: "TAILORING", note: entry.rationale }],
      tailored: true,
    };
    next.items.push(added);
    if (!next.catalogs[item.catalogId]) next.catalogs[item.catalogId] = registry.catalogOf(item).meta.version;
  } else {
    const at = next.items.findIndex((i) => i.id === item.id);
    if (at < 0) throw new CairnError(`${item.id} is not in the profile`);
    next.items.splice(at, 1);
    if (CORE_CATALOGS.has(item.catalogId)) {
      next.warnings.push(
        `core item ${item.id} (${item.title}) removed by ${entry.author} on ${entry.at}: ${entry.rationale}. SP 800-213 expects the 8259A and 8259B core in every federal profile.`,
      );
    }
  }
  next.tailoring.push(logged);
}
