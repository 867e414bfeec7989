import { useEffect, useMemo, useState } from "react";
import { Link } from "../lib/router.js";
import type { CatalogItem } from "../types.js";
import { ItemName } from "./ItemName.js";

/**
 * A catalog's items as a tree of nested lists (disclosure pattern): each branch has a button that
 * opens or closes it, each item a link that shows its detail. Only open branches are rendered, so
 * SP 800-53's twelve hundred items cost nothing until asked for.
 */
export function CatalogTree({
  items,
  catalog,
  selected,
}: {
  items: readonly CatalogItem[];
  catalog: string;
  selected: string | undefined;
}) {
  const children = useMemo(() => {
    const m = new Map<string, CatalogItem[]>();
    for (const i of items) {
      const k = i.parent ?? "";
      const list = m.get(k);
      if (list) list.push(i);
      else m.set(k, [i]);
    }
    return m;
  }, [items]);
  // The selected item's ancestors start open, so a search hit shows where it sits.
  const initial = useMemo(() => {
    const open = new Set<string>();
    const byId = new Map(items.map((i) => [i.id, i]));
    let p = selected ? byId.get(selected)?.parent : undefined;
    while (p) {
      open.add(p);
      p = byId.get(p)?.parent;
    }
    return open;
  }, [items, selected]);
  const [open, setOpen] = useState<Set<string>>(() => new Set(initial));
  useEffect(() => setOpen((s) => new Set([...s, ...initial])), [initial]);
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const branch = (parent: string, level: number) => (
    <ul className={level === 0 ? "tree" : undefined}>
      {(children.get(parent) ?? []).map((i) => {
        const kids = children.get(i.id);
        const isOpen = open.has(i.id);
        return (
          <li key={i.id}>
            <div className={`tree-row${i.id === selected ? " selected" : ""}`}>
              {kids ? (
                <button
                  type="button"
                  className="tree-toggle"
                  aria-expanded={isOpen}
                  aria-label={`${isOpen ? "Close" : "Open"} ${i.label}`}
                  onClick={() => toggle(i.id)}
                >
                  {isOpen ? "▾" : "▸"}
                </button>
              ) : (
                <span className="tree-toggle" aria-hidden="true" />
              )}
              <Link
                to={`/catalogs/${encodeURIComponent(catalog)}?item=${encodeURIComponent(i.id)}`}
                aria-current={i.id === selected ? "true" : undefined}
              >
                <ItemName label={i.label} title={i.title} />
              </Link>
            </div>
            {kids && isOpen ? branch(i.id, level + 1) : null}
          </li>
        );
      })}
    </ul>
  );
  return branch("", 0);
}
