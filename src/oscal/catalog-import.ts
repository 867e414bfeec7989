import {
  CATALOG_FORMAT,
  type CatalogFile,
  type CatalogItemRecord,
  type PropValue,
} from "../catalog/model.js";
import { collectParams, renderStatement } from "./statement.js";
import { type OscalCatalog, type OscalControl, type OscalGroup, type OscalParam, prop } from "./types.js";

export interface OscalImportOptions {
  /** Cairn catalog id; by default a slug of the OSCAL title. */
  id?: string;
  /** Where the OSCAL file came from, for the catalog's source record. */
  sourceName?: string;
}

const REF = /^[A-Za-z0-9][A-Za-z0-9._()/-]*$/;

export function slug(text: string, max = 60): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, max).replace(/-+$/, "") || "imported";
}

/**
 * Converts an OSCAL catalog (already schema-valid) to a Cairn catalog: groups become families or
 * sections, controls and their nested controls keep the label the source prints (e.g. AC-2(1)),
 * statements are rendered with their parameters.
 */
export function importOscalCatalog(oscal: OscalCatalog, options: OscalImportOptions = {}): CatalogFile {
  const meta = oscal.metadata;
  const items: CatalogItemRecord[] = [];
  const params = new Map<string, OscalParam>();
  for (const p of oscal.params ?? []) params.set(p.id, p);
  const usedRefs = new Set<string>();

  const refFor = (label: string | undefined, oscalId: string): string => {
    let ref = label && REF.test(label) ? label : oscalId;
    if (!REF.test(ref)) ref = slug(ref, 200);
    // Two controls printing the same label would collide; the OSCAL id is unique by the schema.
    if (usedRefs.has(ref)) ref = oscalId;
    usedRefs.add(ref);
    return ref;
  };

  const addControl = (
    control: OscalControl,
    parent: string | undefined,
    family: string | undefined,
    nested: boolean,
  ) => {
    const label = prop(control.props, "label") ?? control.id.toUpperCase();
    const ref = refFor(label, control.id);
    const props: Record<string, PropValue> = { oscalId: control.id };
    if (family) props.family = family;
    if (control.class) props.class = control.class;
    const status = prop(control.props, "status");
    props.withdrawn = status === "withdrawn" || status === "Withdrawn";
    if (props.withdrawn) {
      const to = (control.links ?? [])
        .filter((l) => l.rel === "incorporated-into" || l.rel === "moved-to")
        .map((l) => l.href.replace(/^#/, ""));
      if (to.length > 0) props.withdrawnTo = to;
    }
    const record: CatalogItemRecord = {
      ref,
      label,
      kind: nested ? "control-enhancement" : "control",
      title: control.title,
      props,
    };
    const text = renderStatement(control, params);
    if (text) record.text = text;
    if (parent) record.parent = parent;
    items.push(record);
    for (const child of control.controls ?? []) addControl(child, ref, family, true);
  };

  const addGroup = (group: OscalGroup, parent: string | undefined) => {
    collectParams(group.controls ?? [], params);
    for (const p of group.params ?? []) params.set(p.id, p);
    const oscalId = group.id ?? slug(group.title);
    const label = prop(group.props, "label") ?? (group.id ? group.id.toUpperCase() : group.title);
    const ref = refFor(label, oscalId);
    const record: CatalogItemRecord = {
      ref,
      label,
      kind: group.class === "family" ? "family" : "section",
      title: group.title,
      props: { oscalId },
    };
    if (parent) record.parent = parent;
    items.push(record);
    for (const sub of group.groups ?? []) addGroup(sub, ref);
    const family = group.class === "family" ? label : undefined;
    for (const c of group.controls ?? []) addControl(c, ref, family, false);
  };

  collectParams(oscal.controls ?? [], params);
  for (const g of oscal.groups ?? []) addGroup(g, undefined);
  for (const c of oscal.controls ?? []) addControl(c, undefined, undefined, false);

  const published = (meta.published ?? meta["last-modified"]).slice(0, 10);
  const version = meta.version.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "1";
  return {
    format: CATALOG_FORMAT,
    catalog: {
      id: options.id ?? slug(meta.title),
      title: meta.title,
      publisher: "imported from OSCAL",
      version: version.slice(0, 40),
      published,
      status: "final",
      source: {
        reference: meta.title,
        basis: `Imported from OSCAL catalog ${oscal.uuid} (OSCAL ${meta["oscal-version"]}, last modified ${meta["last-modified"]})${options.sourceName ? ` in ${options.sourceName}` : ""}`,
      },
      terms: "full-text",
      verification: "to-verify",
      kinds: ["family", "control", "control-enhancement"],
    },
    items,
  };
}
