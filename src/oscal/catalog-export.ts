import type { Catalog, CatalogItem } from "../catalog/model.js";
import { CAIRN_NS, markupLine, oscalControlId } from "./ids.js";
import type { OscalCatalog, OscalControl, OscalGroup, OscalProp } from "./types.js";
import { uuidV5 } from "./uuid.js";

/** Namespace of the UUIDs Cairn derives for its OSCAL exports (fixed: the same input gives the same file). */
export const EXPORT_UUID_NAMESPACE = "6b1f4c8e-2d3a-5e7f-8a9b-0c1d2e3f4a5b";
const GROUP_KINDS = new Set(["part", "annex", "family", "clause", "test-objective"]);

function props(item: CatalogItem): OscalProp[] {
  const out: OscalProp[] = [{ name: "label", value: markupLine(item.label) }];
  out.push({ name: "cairn-ref", ns: CAIRN_NS, value: item.ref });
  out.push({ name: "verification", ns: CAIRN_NS, value: item.verification });
  for (const [k, v] of Object.entries(item.props)) {
    const value = Array.isArray(v) ? v.join(" ") : String(v);
    if (/^\S(.*\S)?$/s.test(value) && /^[A-Za-z_][A-Za-z0-9._-]*$/.test(k))
      out.push({ name: k, ns: CAIRN_NS, value: markupLine(value) });
  }
  return out;
}

/**
 * A Cairn catalog as an OSCAL catalog, so that Cairn profiles can be resolved by any OSCAL tool:
 * structural items (parts, annexes, families, clauses) become groups while their ancestors are
 * groups; everything else becomes a control, nested as in the source.
 */
export function exportCatalogToOscal(catalog: Catalog): { catalog: OscalCatalog } {
  const kids = (id: string) => catalog.children.get(id) ?? [];
  const control = (item: CatalogItem): OscalControl => {
    const c: OscalControl = {
      id: oscalControlId(catalog.meta.id, item.ref),
      class: item.kind,
      title: markupLine(item.title),
      props: props(item),
    };
    if (item.text) c.parts = [{ id: `${c.id}_smt`, name: "statement", prose: item.text }];
    const children = kids(item.id).map(control);
    if (children.length > 0) c.controls = children;
    return c;
  };
  const group = (item: CatalogItem): OscalGroup => {
    const g: OscalGroup = {
      id: oscalControlId(catalog.meta.id, item.ref),
      class: item.kind,
      title: markupLine(item.title),
      props: props(item),
    };
    if (item.text) g.parts = [{ id: `${g.id}_smt`, name: "overview", prose: item.text }];
    const groups: OscalGroup[] = [];
    const controls: OscalControl[] = [];
    for (const child of kids(item.id)) {
      if (GROUP_KINDS.has(child.kind)) groups.push(group(child));
      else controls.push(control(child));
    }
    if (groups.length > 0) g.groups = groups;
    if (controls.length > 0) g.controls = controls;
    return g;
  };
  const top = kids("");
  const groups = top.filter((i) => GROUP_KINDS.has(i.kind)).map(group);
  const controls = top.filter((i) => !GROUP_KINDS.has(i.kind)).map(control);
  const meta = catalog.meta;
  const out: OscalCatalog = {
    uuid: uuidV5(`catalog ${catalog.key}`, EXPORT_UUID_NAMESPACE),
    metadata: {
      title: markupLine(meta.title),
      published: `${meta.published.length === 7 ? `${meta.published}-01` : meta.published}T00:00:00Z`,
      "last-modified": `${meta.published.length === 7 ? `${meta.published}-01` : meta.published}T00:00:00Z`,
      version: meta.version,
      "oscal-version": "1.2.1",
      props: [
        { name: "cairn-catalog", ns: CAIRN_NS, value: catalog.key },
        { name: "terms", ns: CAIRN_NS, value: meta.terms },
      ],
    },
  };
  if (groups.length > 0) out.groups = groups;
  if (controls.length > 0) out.controls = controls;
  return { catalog: out };
}
