/**
 * Comparison of a resolved catalog with a peer's expected output (NIST's OPRXP results, NIST's
 * published resolved catalogs). What resolvers may differ in by the specification is left out:
 * the uuid, metadata.last-modified and oscal-version (NIST's newer expected outputs write "TODO:
 * Not implemented yet"), and the props and links that name the resolution (resolution-tool,
 * source-profile, resolution-source). Everything else must be equal: key order is free (JSON),
 * array order is not.
 */
import { isDeepStrictEqual } from "node:util";

const RESOLUTION_NAMES = new Set(["resolution-tool", "source-profile", "resolution-source"]);

export function comparable(doc: unknown): unknown {
  const d = structuredClone(doc) as { catalog?: Record<string, unknown> };
  const cat = d.catalog;
  if (!cat) return d;
  delete cat.uuid;
  const meta = cat.metadata as Record<string, unknown> | undefined;
  if (meta) {
    delete meta["last-modified"];
    delete meta["oscal-version"];
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

export function sameResolution(actual: unknown, expected: unknown): boolean {
  return isDeepStrictEqual(comparable(actual), comparable(expected));
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
