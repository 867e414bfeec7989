import type { CatalogRegistry } from "../catalog/registry.js";
import type { Profile } from "../profile/model.js";
import { EXPORT_UUID_NAMESPACE } from "./catalog-export.js";
import { CAIRN_NS, markupLine, oscalControlId } from "./ids.js";
import { uuidV5 } from "./uuid.js";

/** The file name a Cairn catalog's OSCAL export goes by, as referenced from exported profiles. */
export function oscalCatalogFileName(key: string): string {
  return `${key.replace(/@/g, "_")}.oscal.json`;
}

/**
 * A Cairn profile as an OSCAL profile: one import per catalog (a back-matter resource pointing to
 * that catalog's OSCAL export), include-controls by id, merge as-is, and alters that add Cairn's
 * stringency, method and obligation to each control. Deterministic: UUIDs come from the profile.
 */
export function exportProfileToOscal(
  profile: Profile,
  registry: CatalogRegistry,
): { profile: Record<string, unknown> } {
  const byCatalog = new Map<string, string[]>();
  for (const item of profile.items) {
    const ref = item.id.slice(item.id.indexOf(":") + 1);
    const list = byCatalog.get(item.catalog) ?? [];
    list.push(oscalControlId(item.catalog, ref));
    byCatalog.set(item.catalog, list);
  }
  const resources: Record<string, unknown>[] = [];
  const imports = [...byCatalog].map(([catalogId, ids]) => {
    const key = `${catalogId}@${profile.catalogs[catalogId] ?? registry.require(catalogId).meta.version}`;
    const uuid = uuidV5(`resource ${profile.id} ${key}`, EXPORT_UUID_NAMESPACE);
    resources.push({
      uuid,
      title: markupLine(registry.get(key)?.meta.title ?? key),
      props: [{ name: "cairn-catalog", ns: CAIRN_NS, value: key }],
      rlinks: [{ href: oscalCatalogFileName(key), "media-type": "application/oscal.catalog+json" }],
    });
    return { href: `#${uuid}`, "include-controls": [{ "with-ids": ids }] };
  });
  const alters = profile.items.map((item) => ({
    "control-id": oscalControlId(item.catalog, item.id.slice(item.id.indexOf(":") + 1)),
    adds: [
      {
        position: "ending",
        props: [
          { name: "stringency", ns: CAIRN_NS, value: item.stringency },
          { name: "assessment-method", ns: CAIRN_NS, value: item.method },
          { name: "obligation", ns: CAIRN_NS, value: item.obligation },
          ...[...new Set(item.because.map((b) => b.rule))].map((rule) => ({
            name: "selected-by",
            ns: CAIRN_NS,
            value: rule,
          })),
        ],
      },
    ],
  }));
  const ctx = profile.context;
  const metaProps = [
    { name: "high-water-mark", ns: CAIRN_NS, value: profile.highWaterMark },
    { name: "confidentiality", ns: CAIRN_NS, value: ctx.impact.confidentiality },
    { name: "integrity", ns: CAIRN_NS, value: ctx.impact.integrity },
    { name: "availability", ns: CAIRN_NS, value: ctx.impact.availability },
    { name: "baseline", ns: CAIRN_NS, value: profile.baseline },
    { name: "environment", ns: CAIRN_NS, value: ctx.environment },
    { name: "connectivity", ns: CAIRN_NS, value: ctx.connectivity },
    { name: "lifetime-years", ns: CAIRN_NS, value: String(ctx.lifetimeYears) },
    { name: "fips-140-3", ns: CAIRN_NS, value: String(profile.requirements.fips140_3) },
    {
      name: "independent-assessment",
      ns: CAIRN_NS,
      value: String(profile.requirements.independentAssessment),
    },
    { name: "min-support-years", ns: CAIRN_NS, value: String(profile.requirements.minSupportYears) },
    ...(ctx.name ? [{ name: "device-name", ns: CAIRN_NS, value: markupLine(ctx.name) }] : []),
    ...ctx.data.map((d) => ({ name: "data", ns: CAIRN_NS, value: d })),
    ...ctx.markets.map((m) => ({ name: "market", ns: CAIRN_NS, value: m })),
  ];
  return {
    profile: {
      uuid: uuidV5(`profile ${profile.id} ${profile.created}`, EXPORT_UUID_NAMESPACE),
      metadata: {
        title: markupLine(profile.title),
        "last-modified": `${profile.created}T00:00:00Z`,
        version: `${profile.rules.id}-${profile.rules.version}`,
        "oscal-version": "1.2.1",
        props: metaProps,
      },
      imports,
      merge: { "as-is": true },
      modify: { alters },
      "back-matter": { resources },
    },
  };
}
