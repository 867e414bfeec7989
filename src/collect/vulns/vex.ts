import { arr, type Json, obj, ptr, str } from "../json-access.js";

/**
 * VEX statements from the three formats Cairn applies, in one shape: CycloneDX `vulnerabilities[].analysis`
 * (inside the SBOM or a separate BOM), OpenVEX (0.0.x and 0.2.x) and CSAF 2.0 VEX (`csaf_vex`).
 */

export type VexStatus = "not_affected" | "affected" | "fixed" | "under_investigation";

export interface VexProduct {
  purl?: string;
  cpe?: string;
  /** CycloneDX bom-ref (only meaningful against the SBOM it belongs to). */
  ref?: string;
}

export interface VexStatement {
  /** The vulnerability id and its aliases. */
  ids: string[];
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  format: "cyclonedx" | "openvex" | "csaf";
  source: string;
  location: string;
}

const CDX_STATE: Record<string, VexStatus> = {
  not_affected: "not_affected",
  false_positive: "not_affected",
  resolved: "fixed",
  resolved_with_pedigree: "fixed",
  exploitable: "affected",
  in_triage: "under_investigation",
};

export function vexFormatOf(value: Json): VexStatement["format"] | undefined {
  const o = obj(value);
  if (!o) return undefined;
  if (o.bomFormat === "CycloneDX" && Array.isArray(o.vulnerabilities)) return "cyclonedx";
  if (typeof o["@context"] === "string" && o["@context"].startsWith("https://openvex.dev/ns"))
    return "openvex";
  if (str(obj(o.document)?.category) === "csaf_vex") return "csaf";
  return undefined;
}

export function cycloneDxVex(doc: Record<string, Json>, source: string): VexStatement[] {
  const out: VexStatement[] = [];
  const refs = new Map<string, VexProduct>();
  const stack = [...arr(doc.components), obj(obj(doc.metadata)?.component)];
  while (stack.length > 0) {
    const c = obj(stack.pop());
    if (!c) continue;
    const ref = str(c["bom-ref"]);
    if (ref)
      refs.set(ref, {
        ref,
        ...(str(c.purl) ? { purl: c.purl as string } : {}),
        ...(str(c.cpe) ? { cpe: c.cpe as string } : {}),
      });
    stack.push(...arr(c.components));
  }
  arr(doc.vulnerabilities).forEach((v, i) => {
    const o = obj(v);
    const id = str(o?.id);
    const state = str(obj(o?.analysis)?.state);
    if (!o || !id || !state || !CDX_STATE[state]) return;
    const ids = [
      id,
      ...arr(o.references)
        .map((r) => str(obj(r)?.id))
        .filter((x): x is string => x !== undefined),
    ];
    const products = arr(o.affects).flatMap((a) => {
      const ref = str(obj(a)?.ref);
      if (!ref) return [];
      return [refs.get(ref) ?? (ref.startsWith("pkg:") ? { purl: ref } : { ref })];
    });
    const justification = str(obj(o.analysis)?.justification);
    out.push({
      ids,
      products,
      status: CDX_STATE[state] as VexStatus,
      ...(justification ? { justification } : {}),
      format: "cyclonedx",
      source,
      location: ptr(ptr("/vulnerabilities", i), "analysis"),
    });
  });
  return out;
}

function openVexProduct(p: Json): VexProduct[] {
  if (typeof p === "string")
    return [p.startsWith("pkg:") ? { purl: p } : p.startsWith("cpe:") ? { cpe: p } : { ref: p }];
  const o = obj(p);
  if (!o) return [];
  const id = str(o["@id"]);
  const ids = obj(o.identifiers);
  const product: VexProduct = {};
  const purl = str(ids?.purl) ?? (id?.startsWith("pkg:") ? id : undefined);
  const cpe = str(ids?.cpe23) ?? str(ids?.cpe22) ?? (id?.startsWith("cpe:") ? id : undefined);
  if (purl) product.purl = purl;
  if (cpe) product.cpe = cpe;
  if (!purl && !cpe && id) product.ref = id;
  const subs = arr(o.subcomponents).flatMap(openVexProduct);
  // A statement on a product with subcomponents speaks of those subcomponents within it.
  return subs.length > 0 ? subs : [product];
}

export function openVex(doc: Record<string, Json>, source: string): VexStatement[] {
  const out: VexStatement[] = [];
  arr(doc.statements).forEach((s, i) => {
    const o = obj(s);
    const status = str(o?.status) as VexStatus | undefined;
    if (!o || !status || !["not_affected", "affected", "fixed", "under_investigation"].includes(status))
      return;
    const v = o.vulnerability;
    const vo = obj(v);
    const ids = [str(v), str(vo?.name), str(vo?.["@id"]), ...arr(vo?.aliases).map(str)].filter(
      (x): x is string => x !== undefined,
    );
    const justification = str(o.justification);
    out.push({
      ids,
      products: arr(o.products).flatMap(openVexProduct),
      status,
      ...(justification ? { justification } : {}),
      format: "openvex",
      source,
      location: ptr("/statements", i),
    });
  });
  return out;
}

const CSAF_STATUS: Record<string, VexStatus> = {
  known_not_affected: "not_affected",
  fixed: "fixed",
  first_fixed: "fixed",
  known_affected: "affected",
  first_affected: "affected",
  last_affected: "affected",
  under_investigation: "under_investigation",
};

export function csafVex(doc: Record<string, Json>, source: string): VexStatement[] {
  const tree = obj(doc.product_tree);
  const products = new Map<string, VexProduct>();
  const helper = (p: Json) => {
    const o = obj(p);
    const id = str(o?.product_id);
    const h = obj(o?.product_identification_helper);
    if (!id) return;
    const product: VexProduct = {};
    const purl = str(h?.purl) ?? str(arr(h?.purls)[0]);
    const cpe = str(h?.cpe);
    if (purl) product.purl = purl;
    if (cpe) product.cpe = cpe;
    products.set(id, product);
  };
  const branches = [...arr(tree?.branches)];
  while (branches.length > 0) {
    const b = obj(branches.pop());
    if (!b) continue;
    if (b.product) helper(b.product);
    branches.push(...arr(b.branches));
  }
  for (const p of arr(tree?.full_product_names)) helper(p);
  // A relationship names a component inside a product: the statement is about the component.
  for (const r of arr(tree?.relationships)) {
    const o = obj(r);
    const id = str(obj(o?.full_product_name)?.product_id);
    const component = products.get(str(o?.product_reference) ?? "");
    if (id && component) products.set(id, component);
  }
  const out: VexStatement[] = [];
  arr(doc.vulnerabilities).forEach((v, i) => {
    const o = obj(v);
    if (!o) return;
    const ids = [str(o.cve), ...arr(o.ids).map((x) => str(obj(x)?.text))].filter(
      (x): x is string => x !== undefined,
    );
    const flags = arr(o.flags);
    for (const [key, status] of Object.entries(CSAF_STATUS)) {
      const list = arr(obj(o.product_status)?.[key]).filter((x): x is string => typeof x === "string");
      if (list.length === 0) continue;
      const justification = str(
        obj(flags.find((f) => arr(obj(f)?.product_ids).some((p) => list.includes(p as string))))?.label,
      );
      out.push({
        ids,
        products: list.map((id) => products.get(id) ?? { ref: id }),
        status,
        ...(justification ? { justification } : {}),
        format: "csaf",
        source,
        location: ptr(ptr(ptr("/vulnerabilities", i), "product_status"), key),
      });
    }
  });
  return out;
}

export function vexStatements(value: Json, source: string): VexStatement[] | undefined {
  const o = obj(value);
  if (!o) return undefined;
  switch (vexFormatOf(o)) {
    case "cyclonedx":
      return cycloneDxVex(o, source);
    case "openvex":
      return openVex(o, source);
    case "csaf":
      return csafVex(o, source);
    default:
      return undefined;
  }
}
