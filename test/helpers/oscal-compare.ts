/**
 * Comparison of a resolved catalog with the expected catalog of a test case. What a resolver may
 * choose by the specification is left out: the uuid (each resolution makes its own), and the
 * `resolution-tool` prop and `source-profile` link, which name the tool and where the profile was
 * read from. Everything else must be equal: key order is free (JSON), array order is not.
 */
import { isDeepStrictEqual } from "node:util";

const RESOLUTION_NAMES = new Set(["resolution-tool", "source-profile"]);

export function resolvedContent(doc: unknown): unknown {
  const d = structuredClone(doc) as { catalog?: Record<string, unknown> };
  const cat = d.catalog;
  if (!cat) return d;
  delete cat.uuid;
  const meta = cat.metadata as Record<string, unknown> | undefined;
  if (meta) {
    const props = (meta.props as { name: string }[] | undefined)?.filter(
      (p) => !RESOLUTION_NAMES.has(p.name),
    );
    if (props?.length) meta.props = props;
    else delete meta.props;
    const links = (meta.links as { rel?: string }[] | undefined)?.filter(
      (l) => !RESOLUTION_NAMES.has(l.rel ?? ""),
    );
    if (links?.length) meta.links = links;
    else delete meta.links;
  }
  return d;
}

/** The first difference between two JSON values, as a path and the two values (for test messages). */
export function firstDifference(a: unknown, b: unknown, path = ""): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
  } else if (
    a &&
    b &&
    typeof a === "object" &&
    typeof b === "object" &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v)?.slice(0, 300));
  return `${path || "(root)"}: got ${show(a)}, expected ${show(b)}`;
}
