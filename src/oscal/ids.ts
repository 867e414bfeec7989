/** How Cairn item refs become OSCAL control ids (OSCAL tokens start with a letter or "_"). */

const NS = "https://cairn.dev/ns/oscal";
export const CAIRN_NS = NS;

/**
 * SP 800-53 refs follow NIST's own OSCAL convention (AC-2(1) -> ac-2.1). Other refs keep their
 * characters, "(n)" becomes ".n", anything else outside the token alphabet becomes "_", and a
 * leading digit gets a "_" prefix (5.1-1 -> _5.1-1).
 */
export function oscalControlId(catalogId: string, ref: string): string {
  if (catalogId === "nist-sp-800-53") {
    return ref.toLowerCase().replace(/\((\d+)\)/g, ".$1");
  }
  let id = ref.replace(/\(([^)]*)\)/g, ".$1").replace(/[^A-Za-z0-9._-]/g, "_");
  if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
  return id;
}

/** OSCAL markup-line: one line, no surrounding spaces. */
export function markupLine(text: string): string {
  return text.replace(/\s+/g, " ").trim() || "-";
}
