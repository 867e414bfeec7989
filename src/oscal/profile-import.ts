import type { CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Problem } from "../core/problem.js";
import type { AssessmentMethod, Obligation, Stringency } from "../profile/model.js";
import { CAIRN_NS, oscalControlId } from "./ids.js";
import type { Control, Group, Property, ResolvedCatalog } from "./profile-types.js";

export interface ImportedSelection {
  item: CatalogItem;
  stringency?: Stringency;
  method?: AssessmentMethod;
  obligation?: Obligation;
}

const cairnProp = (props: Property[] | undefined, name: string) =>
  props?.find((p) => p.name === name && p.ns === CAIRN_NS)?.value;

/**
 * The Cairn items a resolved OSCAL profile selects. A control is matched by the Cairn ref it
 * carries (Cairn's own exports), else by its label or id in the catalogs that can hold it
 * (SP 800-53 for NIST's baselines). Controls present only as the ancestors of selected ones (as-is
 * merge) are left out when they carry no Cairn selection props and the profile came from Cairn.
 * Unmatched controls are problems, not silent drops.
 */
export function selectionFromResolved(
  resolved: ResolvedCatalog,
  registry: CatalogRegistry,
  catalogs: string[],
): { selections: ImportedSelection[]; problems: Problem[] } {
  const fromCairn = resolved.metadata.props?.some((p) => p.ns === CAIRN_NS) ?? false;
  const candidates = catalogs.map((id) => registry.require(id));
  const byOscalId = new Map<string, CatalogItem>();
  for (const c of candidates)
    for (const item of c.items) byOscalId.set(oscalControlId(c.meta.id, item.ref), item);
  const selections: ImportedSelection[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const visit = (control: Control, path: string) => {
    const here = `${path}/${control.id}`;
    const stringency = cairnProp(control.props, "stringency") as Stringency | undefined;
    const selected = !fromCairn || stringency !== undefined;
    if (selected) {
      // The control id names the catalog (Cairn's ids are catalog-prefixed; SP 800-53 uses NIST's);
      // the printed label is the fallback for profiles from elsewhere.
      let item = byOscalId.get(control.id);
      const label = control.props?.find((p) => p.name === "label" && !p.ns)?.value;
      for (const c of candidates) {
        if (item) break;
        item = label ? c.byRef.get(label) : undefined;
      }
      if (!item)
        problems.push({
          source: "resolved profile",
          location: here,
          message: `control ${control.id} matches no item of ${catalogs.join(", ")}`,
        });
      else if (!seen.has(item.id)) {
        seen.add(item.id);
        const s: ImportedSelection = { item };
        if (stringency) s.stringency = stringency;
        const method = cairnProp(control.props, "assessment-method") as AssessmentMethod | undefined;
        if (method) s.method = method;
        const obligation = cairnProp(control.props, "obligation") as Obligation | undefined;
        if (obligation) s.obligation = obligation;
        selections.push(s);
      }
    }
    for (const child of control.controls ?? []) visit(child, here);
  };
  const walk = (g: { controls?: Control[]; groups?: Group[] }, path: string) => {
    for (const c of g.controls ?? []) visit(c, path);
    for (const sub of g.groups ?? []) walk(sub, `${path}/${sub.id ?? sub.title}`);
  };
  walk(resolved, "");
  return { selections, problems };
}
