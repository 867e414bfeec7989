/** How Cairn item refs become OSCAL control ids (OSCAL tokens start with a letter or "_"). */

const NS = "https://cairn.dev/ns/oscal";
export const CAIRN_NS = NS;

/**
 * SP 800-53 refs follow NIST's own OSCAL convention (AC-2(1) -> ac-2.1), so that NIST's baselines
 * and Cairn's exports name the same controls. Other refs are prefixed with their catalog id, since
 * one profile imports several catalogs whose refs repeat ("1.1" is in 8259A and in 8259B):
 * etsi-en-303-645 5.1-1 -> etsi-en-303-645_5.1-1; "(n)" becomes ".n" and anything else outside the
 * token alphabet "_".
 */
export function oscalControlId(catalogId: string, ref: string): string {
  if (catalogId === "nist-sp-800-53") {
    return ref.toLowerCase().replace(/\((\d+)\)/g, ".$1");
  }
  return `${catalogId}_${ref.replace(/\(([^)]*)\)/g, ".$1").replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/** OSCAL markup-line: one line, no surrounding spaces. */
export function markupLine(text: string): string {
  return text.replace(/\s+/g, " ").trim() || "-";
}
