/**
 * The CSAF product tree read for one question: which product ids name the assessed product (its
 * manufacturer, model and, when given, release), and what each vulnerability says about them.
 */
import { isRecord } from "../support/report.js";

export interface CsafProduct {
  productId: string;
  name: string;
  vendor?: string;
  productName?: string;
  version?: string;
  versionRange?: string;
  cpe?: string;
  purl?: string;
}

const MAX_DEPTH = 64;

/** Flattens branches, full_product_names and relationships into products with their path's names. */
export function productsOf(doc: Record<string, unknown>): CsafProduct[] {
  const out: CsafProduct[] = [];
  const tree = doc.product_tree;
  if (!isRecord(tree)) return out;
  const leaf = (fpn: unknown, path: Record<string, string>): void => {
    if (!isRecord(fpn) || typeof fpn.product_id !== "string") return;
    const helper = isRecord(fpn.product_identification_helper) ? fpn.product_identification_helper : {};
    const p: CsafProduct = { productId: fpn.product_id, name: typeof fpn.name === "string" ? fpn.name : "" };
    if (path.vendor) p.vendor = path.vendor;
    if (path.product_name) p.productName = path.product_name;
    if (path.product_version) p.version = path.product_version;
    if (path.product_version_range) p.versionRange = path.product_version_range;
    if (typeof helper.cpe === "string") p.cpe = helper.cpe;
    if (typeof helper.purl === "string") p.purl = helper.purl;
    out.push(p);
  };
  // Iterative walk: a hostile document cannot exhaust the stack.
  const stack: { branches: unknown; path: Record<string, string>; depth: number }[] = [
    { branches: tree.branches, path: {}, depth: 0 },
  ];
  while (stack.length > 0) {
    const { branches, path, depth } = stack.pop() as (typeof stack)[number];
    if (!Array.isArray(branches) || depth > MAX_DEPTH) continue;
    for (const b of branches) {
      if (!isRecord(b)) continue;
      const next = { ...path };
      if (typeof b.category === "string" && typeof b.name === "string") next[b.category] = b.name;
      if (b.product !== undefined) leaf(b.product, next);
      if (b.branches !== undefined) stack.push({ branches: b.branches, path: next, depth: depth + 1 });
    }
  }
  if (Array.isArray(tree.full_product_names)) for (const f of tree.full_product_names) leaf(f, {});
  if (Array.isArray(tree.relationships))
    for (const r of tree.relationships) if (isRecord(r)) leaf(r.full_product_name, {});
  return out;
}

/** Relationships: the combined product id, and the ids it is built from. */
export function relationshipsOf(doc: Record<string, unknown>): { id: string; parts: string[] }[] {
  const tree = doc.product_tree;
  if (!isRecord(tree) || !Array.isArray(tree.relationships)) return [];
  const out: { id: string; parts: string[] }[] = [];
  for (const r of tree.relationships) {
    if (!isRecord(r) || !isRecord(r.full_product_name) || typeof r.full_product_name.product_id !== "string")
      continue;
    const parts = [r.product_reference, r.relates_to_product_reference].filter(
      (x): x is string => typeof x === "string",
    );
    out.push({ id: r.full_product_name.product_id, parts });
  }
  return out;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

function mentions(haystack: string | undefined, needle: string): boolean {
  if (!haystack) return false;
  const h = norm(haystack);
  const n = norm(needle);
  return n.length > 0 && (h === n || h.includes(n));
}

export interface ProductMatch {
  /** Ids naming the manufacturer and model. */
  productIds: string[];
  /** Of those, the ids naming the release version exactly. */
  releaseIds: string[];
  /** Ids naming the model with a version range (not evaluated). */
  rangeIds: string[];
}

export function matchProduct(
  products: CsafProduct[],
  relationships: { id: string; parts: string[] }[],
  product: { manufacturer: string; model: string },
  release?: string,
): ProductMatch {
  const productIds = new Set<string>();
  const releaseIds = new Set<string>();
  const rangeIds = new Set<string>();
  for (const p of products) {
    const byManufacturer = mentions(p.vendor, product.manufacturer) || mentions(p.name, product.manufacturer);
    const byModel = mentions(p.productName, product.model) || mentions(p.name, product.model);
    if (!byManufacturer || !byModel) continue;
    productIds.add(p.productId);
    if (
      release !== undefined &&
      (p.version === release || (!p.version && !p.versionRange && mentions(p.name, release)))
    )
      releaseIds.add(p.productId);
    if (p.versionRange) rangeIds.add(p.productId);
  }
  // "X as a component of <device>" concerns the device too.
  for (const r of relationships)
    if (r.parts.some((id) => productIds.has(id))) {
      productIds.add(r.id);
      if (r.parts.some((id) => releaseIds.has(id))) releaseIds.add(r.id);
    }
  return { productIds: [...productIds], releaseIds: [...releaseIds], rangeIds: [...rangeIds] };
}

export const STATUSES = [
  "first_affected",
  "first_fixed",
  "fixed",
  "known_affected",
  "known_not_affected",
  "last_affected",
  "recommended",
  "under_investigation",
] as const;

export interface VulnerabilitySummary {
  cve?: string;
  ids: string[];
  title?: string;
  /** Status -> product ids of the assessed product with that status (all ids when no product is given). */
  statuses: Partial<Record<(typeof STATUSES)[number], string[]>>;
  /** Product ids with a vendor_fix remediation. */
  vendorFix: string[];
}

export function vulnerabilitiesOf(
  doc: Record<string, unknown>,
  only?: ReadonlySet<string>,
): VulnerabilitySummary[] {
  if (!Array.isArray(doc.vulnerabilities)) return [];
  const keep = (ids: unknown): string[] =>
    Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string" && (!only || only.has(x))) : [];
  const out: VulnerabilitySummary[] = [];
  for (const v of doc.vulnerabilities) {
    if (!isRecord(v)) continue;
    const s: VulnerabilitySummary = { ids: [], statuses: {}, vendorFix: [] };
    if (typeof v.cve === "string") s.cve = v.cve;
    if (typeof v.title === "string") s.title = v.title;
    if (Array.isArray(v.ids))
      for (const i of v.ids)
        if (isRecord(i) && typeof i.text === "string") s.ids.push(`${String(i.system_name)}:${i.text}`);
    if (isRecord(v.product_status))
      for (const k of STATUSES) {
        const ids = keep(v.product_status[k]);
        if (ids.length) s.statuses[k] = ids;
      }
    if (Array.isArray(v.remediations))
      for (const r of v.remediations)
        if (isRecord(r) && r.category === "vendor_fix") s.vendorFix.push(...keep(r.product_ids));
    out.push(s);
  }
  return out;
}
