import type { ProfileItem } from "../types.js";

// The findings grouped as the guide reads them: by the NISTIR 8259A device capability or the
// NISTIR 8259B activity an item belongs to (SP 800-213A's technical T<n> items under capability
// n, its non-technical A-D items under 8259B 1-4, as the plan's steps do), and the other texts by
// their own sections. Within a group, items keep the profile's order with their depth in the
// profile's hierarchy (`parent`), so a capability sits above the elements that decide it.

export interface FindingGroup {
  key: string;
  title: string;
  /** The text(s) the group draws from, for the heading's second line. */
  texts: string[];
  items: { item: ProfileItem; depth: number }[];
}

const NAMES: Record<string, string> = {
  "nist-ir-8259a": "NISTIR 8259A",
  "nist-ir-8259b": "NISTIR 8259B",
  "nist-sp-800-213a": "SP 800-213A",
  "nist-ir-8425": "NISTIR 8425",
  "etsi-en-303-645": "EN 303 645",
  "eu-cra": "CRA",
  "cen-en-18031-1": "EN 18031-1",
  "cen-en-18031-2": "EN 18031-2",
  "cen-en-18031-3": "EN 18031-3",
};

export const textName = (catalog: string) => NAMES[catalog] ?? catalog;

const refOf = (id: string) => id.slice(id.indexOf(":") + 1);
const NON_TECHNICAL: Record<string, string> = { A: "1", B: "2", C: "3", D: "4" };

/** A text's own section of an item ref: `5.1-3` -> `5.1`, `annex-i.part-ii.5` -> `annex-i.part-ii`. */
function sectionOf(catalog: string, ref: string): string {
  if (catalog === "etsi-en-303-645") return ref.split("-")[0] ?? ref;
  if (catalog === "eu-cra") {
    const m = /^(annex-[ivx]+\.part-[ivx]+|annex-[ivx]+|art-\d+)/.exec(ref);
    return m?.[1] ?? ref;
  }
  const dot = ref.indexOf(".");
  return dot < 0 ? ref : ref.slice(0, dot);
}

function sectionTitle(catalog: string, section: string): string {
  const words = section
    .replace(/^art-/, "Article ")
    .replace(/annex-([ivx]+)/, (_, n: string) => `Annex ${n.toUpperCase()}`)
    .replace(/\.part-([ivx]+)/, (_, n: string) => ` Part ${n.toUpperCase()}`);
  return `${textName(catalog)} ${words}`;
}

export function groupFindings(items: ProfileItem[]): FindingGroup[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const rootOf = (i: ProfileItem): ProfileItem => {
    let x = i;
    const seen = new Set<string>();
    while (x.parent && byId.has(x.parent) && !seen.has(x.id)) {
      seen.add(x.id);
      x = byId.get(x.parent) as ProfileItem;
    }
    return x;
  };
  const depthOf = (i: ProfileItem): number => {
    let d = 0;
    let x = i;
    while (x.parent && byId.has(x.parent) && d < 12) {
      d++;
      x = byId.get(x.parent) as ProfileItem;
    }
    return d;
  };
  const groups = new Map<string, FindingGroup>();
  const order: string[] = [];
  const add = (key: string, title: string, item: ProfileItem) => {
    let g = groups.get(key);
    if (!g) {
      g = { key, title, texts: [], items: [] };
      groups.set(key, g);
      order.push(key);
    }
    const t = textName(item.catalog);
    if (!g.texts.includes(t)) g.texts.push(t);
    g.items.push({ item, depth: depthOf(item) });
  };
  const capabilityTitle = (catalog: string, n: string) => {
    const root = byId.get(`${catalog}:${n}`);
    return `${root ? root.title : `${catalog === "nist-ir-8259a" ? "Capability" : "Activity"} ${n}`} (${textName(catalog)} ${n})`;
  };
  for (const i of items) {
    const root = rootOf(i);
    const ref = refOf(root.id);
    if (root.catalog === "nist-ir-8259a" || root.catalog === "nist-ir-8259b") {
      const n = ref.split(".")[0] ?? ref;
      add(`${root.catalog}:${n}`, capabilityTitle(root.catalog, n), i);
      continue;
    }
    if (root.catalog === "nist-sp-800-213a") {
      const t = /^T(\d+)/.exec(ref);
      // T7 (device security) has no 8259A capability of its own: it keeps its SP 800-213A section.
      if (t?.[1] && byId.has(`nist-ir-8259a:${t[1]}`)) {
        add(`nist-ir-8259a:${t[1]}`, capabilityTitle("nist-ir-8259a", t[1]), i);
        continue;
      }
      const b = NON_TECHNICAL[ref.charAt(0)];
      if (b) {
        add(`nist-ir-8259b:${b}`, capabilityTitle("nist-ir-8259b", b), i);
        continue;
      }
    }
    const section = /^T\d+/.exec(ref)?.[0] ?? sectionOf(root.catalog, ref);
    add(`${root.catalog}#${section}`, sectionTitle(root.catalog, section), i);
  }
  // NIST capabilities first in their numbers' order, then the other texts' sections as the profile lists them.
  const rank = (k: string) => (k.startsWith("nist-ir-8259a:") ? 0 : k.startsWith("nist-ir-8259b:") ? 1 : 2);
  return order
    .map((k, i) => ({ g: groups.get(k) as FindingGroup, i }))
    .sort((x, y) => {
      const r = rank(x.g.key) - rank(y.g.key);
      if (r !== 0) return r;
      if (rank(x.g.key) < 2) return Number(refOf(x.g.key)) - Number(refOf(y.g.key));
      return x.i - y.i;
    })
    .map((x) => x.g);
}
