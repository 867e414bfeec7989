/**
 * CSAF 2.0 distribution metadata: provider-metadata.json (requirement 7, roles 7.2.1-7.2.3) and
 * aggregator.json (requirements 21-23, roles 7.2.4-7.2.5). The structural rules follow the
 * official provider and aggregator JSON schemas, written out here because no registry package
 * ships those schemas; the role rules follow section 7.2.
 */

import type { CheckList } from "../support/report.js";
import { isRecord } from "../support/report.js";
import { parseRfc3339 } from "../support/time.js";

const PUBLISHER_CATEGORIES = ["coordinator", "discoverer", "other", "translator", "user", "vendor"];
const ROLES = ["csaf_publisher", "csaf_provider", "csaf_trusted_provider"];
const TLP = ["UNLABELED", "WHITE", "GREEN", "AMBER", "RED"];

function uri(v: unknown): URL | undefined {
  if (typeof v !== "string" || /\s/.test(v)) return undefined;
  try {
    return new URL(v);
  } catch {
    return undefined;
  }
}

type Problems = { at: string; message: string }[];

function requireFields(o: Record<string, unknown>, at: string, fields: string[], problems: Problems): void {
  for (const f of fields) if (!(f in o)) problems.push({ at, message: `required property ${f} is missing` });
}

function checkUrl(v: unknown, at: string, problems: Problems, pattern?: RegExp): URL | undefined {
  const u = uri(v);
  if (!u) problems.push({ at, message: "not a URI" });
  else if (pattern && !pattern.test(u.pathname))
    problems.push({ at, message: `does not match ${pattern.source}` });
  return u;
}

function checkDateTime(v: unknown, at: string, problems: Problems): void {
  if (typeof v !== "string" || !parseRfc3339(v)) problems.push({ at, message: "not a date-time" });
}

function checkPublisher(p: unknown, at: string, problems: Problems): void {
  if (!isRecord(p)) {
    problems.push({ at, message: "not an object" });
    return;
  }
  requireFields(p, at, ["category", "name", "namespace"], problems);
  if ("category" in p && !PUBLISHER_CATEGORIES.includes(p.category as string))
    problems.push({ at: `${at}/category`, message: `not one of ${PUBLISHER_CATEGORIES.join(", ")}` });
  if ("name" in p && (typeof p.name !== "string" || p.name === ""))
    problems.push({ at: `${at}/name`, message: "not a non-empty string" });
  if ("namespace" in p) checkUrl(p.namespace, `${at}/namespace`, problems);
  for (const k of ["contact_details", "issuing_authority"])
    if (k in p && (typeof p[k] !== "string" || p[k] === ""))
      problems.push({ at: `${at}/${k}`, message: "not a non-empty string" });
}

/** Every string that is a URL, with where it is, for the TLS rule. */
function urlsIn(v: unknown, at: string, out: { at: string; url: URL }[], depth = 0): void {
  if (depth > 32) return;
  if (typeof v === "string") {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
      const u = uri(v);
      if (u) out.push({ at, url: u });
    }
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) urlsIn(v[i], `${at}/${i}`, out, depth + 1);
  } else if (isRecord(v)) for (const [k, x] of Object.entries(v)) urlsIn(x, `${at}/${k}`, out, depth + 1);
}

function tls(doc: unknown, id: string, checks: CheckList): void {
  const urls: { at: string; url: URL }[] = [];
  urlsIn(doc, "", urls);
  // The publisher namespace is an identifier, not a location that is fetched.
  const fetched = urls.filter((u) => !/\/namespace$/.test(u.at));
  const plain = fetched.filter((u) => u.url.protocol !== "https:");
  for (const u of plain) checks.fail(id, `${u.url.href} is not https (requirement 3: TLS)`, u.at);
  if (plain.length === 0) checks.pass(id, `${fetched.length} URLs, all https`);
}

export function isProviderMetadata(doc: Record<string, unknown>): boolean {
  return "metadata_version" in doc && "canonical_url" in doc && ("role" in doc || "publisher" in doc);
}

export function isAggregator(doc: Record<string, unknown>): boolean {
  return "aggregator" in doc && "csaf_providers" in doc;
}

export function checkProviderMetadata(
  doc: Record<string, unknown>,
  checks: CheckList,
  date: Date,
): { role?: string } {
  const problems: Problems = [];
  requireFields(
    doc,
    "",
    [
      "canonical_url",
      "last_updated",
      "list_on_CSAF_aggregators",
      "mirror_on_CSAF_aggregators",
      "metadata_version",
      "publisher",
      "role",
    ],
    problems,
  );
  if ("canonical_url" in doc)
    checkUrl(doc.canonical_url, "/canonical_url", problems, /\/provider-metadata\.json$/);
  if ("last_updated" in doc) checkDateTime(doc.last_updated, "/last_updated", problems);
  for (const k of ["list_on_CSAF_aggregators", "mirror_on_CSAF_aggregators"])
    if (k in doc && typeof doc[k] !== "boolean") problems.push({ at: `/${k}`, message: "not a boolean" });
  if ("metadata_version" in doc && doc.metadata_version !== "2.0")
    problems.push({ at: "/metadata_version", message: 'not "2.0"' });
  if ("publisher" in doc) checkPublisher(doc.publisher, "/publisher", problems);
  if ("role" in doc && !ROLES.includes(doc.role as string))
    problems.push({ at: "/role", message: `not one of ${ROLES.join(", ")}` });
  const distributions = doc.distributions;
  if (distributions !== undefined) {
    if (!Array.isArray(distributions) || distributions.length === 0)
      problems.push({ at: "/distributions", message: "not a non-empty array" });
    else
      distributions.forEach((d, i) => {
        const at = `/distributions/${i}`;
        if (!isRecord(d) || Object.keys(d).length === 0) {
          problems.push({ at, message: "not a non-empty object" });
          return;
        }
        if ("directory_url" in d) checkUrl(d.directory_url, `${at}/directory_url`, problems);
        if ("rolie" in d) {
          const r = d.rolie;
          if (!isRecord(r) || !Array.isArray(r.feeds) || r.feeds.length === 0)
            problems.push({ at: `${at}/rolie`, message: "feeds must be a non-empty array" });
          else
            r.feeds.forEach((f, k) => {
              const fat = `${at}/rolie/feeds/${k}`;
              if (!isRecord(f)) {
                problems.push({ at: fat, message: "not an object" });
                return;
              }
              requireFields(f, fat, ["tlp_label", "url"], problems);
              if ("tlp_label" in f && !TLP.includes(f.tlp_label as string))
                problems.push({ at: `${fat}/tlp_label`, message: `not one of ${TLP.join(", ")}` });
              if ("url" in f) checkUrl(f.url, `${fat}/url`, problems, /\.json$/);
            });
          if (isRecord(r))
            for (const k of ["categories", "services"])
              if (k in r) {
                if (!Array.isArray(r[k]) || (r[k] as unknown[]).length === 0)
                  problems.push({ at: `${at}/rolie/${k}`, message: "not a non-empty array" });
                else
                  (r[k] as unknown[]).forEach((u, j) => {
                    checkUrl(u, `${at}/rolie/${k}/${j}`, problems, /\.json$/);
                  });
              }
        }
      });
  }
  const keys = doc.public_openpgp_keys;
  if (keys !== undefined) {
    if (!Array.isArray(keys)) problems.push({ at: "/public_openpgp_keys", message: "not an array" });
    else
      keys.forEach((k, i) => {
        const at = `/public_openpgp_keys/${i}`;
        if (!isRecord(k)) {
          problems.push({ at, message: "not an object" });
          return;
        }
        requireFields(k, at, ["url"], problems);
        if ("url" in k) checkUrl(k.url, `${at}/url`, problems);
        if (
          "fingerprint" in k &&
          !(typeof k.fingerprint === "string" && /^[0-9a-fA-F]{40,}$/.test(k.fingerprint))
        )
          problems.push({
            at: `${at}/fingerprint`,
            message: "not a hexadecimal fingerprint of at least 40 digits",
          });
      });
  }
  for (const p of problems) checks.fail("csaf.provider.schema", p.message, p.at || "/");
  if (problems.length === 0)
    checks.pass("csaf.provider.schema", "conforms to the CSAF provider metadata structure");

  const canonical = uri(doc.canonical_url);
  if (canonical?.protocol === "https:") {
    if (canonical.pathname === "/.well-known/csaf/provider-metadata.json")
      checks.pass("csaf.provider.canonical-url", `${canonical.href} (the well-known URL of requirement 9)`);
    else
      checks.info(
        "csaf.provider.canonical-url",
        `${canonical.href} is not the well-known URL (requirement 9 needs requirement 8 or 10 instead)`,
      );
  } else if (canonical)
    checks.fail("csaf.provider.canonical-url", "the canonical URL must be https", "/canonical_url");
  tls(doc, "csaf.provider.tls", checks);

  const role = typeof doc.role === "string" ? doc.role : undefined;
  if (role) checks.info("csaf.provider.role", `declares the role ${role}`);
  const hasDistribution =
    Array.isArray(distributions) &&
    distributions.some((d) => isRecord(d) && ("directory_url" in d || "rolie" in d));
  if (role === "csaf_provider" || role === "csaf_trusted_provider") {
    if (hasDistribution)
      checks.pass("csaf.provider.distribution", "a directory or ROLIE distribution is declared");
    else
      checks.fail(
        "csaf.provider.distribution",
        `${role} needs a directory (requirements 11-14) or ROLIE (15-17) distribution`,
        "/distributions",
      );
  } else if (hasDistribution) checks.pass("csaf.provider.distribution", "a distribution is declared");
  else checks.info("csaf.provider.distribution", "no distribution declared");

  const withFingerprint = Array.isArray(keys)
    ? keys.filter((k) => isRecord(k) && typeof k.fingerprint === "string").length
    : 0;
  if (role === "csaf_trusted_provider" && withFingerprint === 0)
    checks.fail(
      "csaf.provider.openpgp-keys",
      "a trusted provider signs its documents (requirements 19, 20): list its OpenPGP key with fingerprint",
      "/public_openpgp_keys",
    );
  else if (withFingerprint > 0)
    checks.pass("csaf.provider.openpgp-keys", `${withFingerprint} OpenPGP key(s) with fingerprint`);
  else
    checks.warn(
      "csaf.provider.openpgp-keys",
      "no OpenPGP key with a fingerprint: documents cannot be checked for signatures",
    );

  const updated = typeof doc.last_updated === "string" ? parseRfc3339(doc.last_updated) : undefined;
  if (updated && updated.getTime() > date.getTime() + 86_400_000)
    checks.warn(
      "csaf.provider.last-updated",
      `last_updated ${doc.last_updated} is after the assessment date`,
      "/last_updated",
    );
  else if (updated) checks.pass("csaf.provider.last-updated", String(doc.last_updated));
  return role ? { role } : {};
}

export function checkAggregator(doc: Record<string, unknown>, checks: CheckList): { category?: string } {
  const problems: Problems = [];
  requireFields(
    doc,
    "",
    ["aggregator", "aggregator_version", "canonical_url", "csaf_providers", "last_updated"],
    problems,
  );
  const agg = doc.aggregator;
  if ("aggregator" in doc) {
    if (!isRecord(agg)) problems.push({ at: "/aggregator", message: "not an object" });
    else {
      requireFields(agg, "/aggregator", ["category", "name", "namespace"], problems);
      if ("category" in agg && agg.category !== "aggregator" && agg.category !== "lister")
        problems.push({ at: "/aggregator/category", message: "not aggregator or lister" });
      for (const k of ["name", "contact_details", "issuing_authority"])
        if (k in agg && (typeof agg[k] !== "string" || agg[k] === ""))
          problems.push({ at: `/aggregator/${k}`, message: "not a non-empty string" });
      if ("namespace" in agg) checkUrl(agg.namespace, "/aggregator/namespace", problems);
    }
  }
  if ("aggregator_version" in doc && doc.aggregator_version !== "2.0")
    problems.push({ at: "/aggregator_version", message: 'not "2.0"' });
  if ("canonical_url" in doc) checkUrl(doc.canonical_url, "/canonical_url", problems, /\/aggregator\.json$/);
  if ("last_updated" in doc) checkDateTime(doc.last_updated, "/last_updated", problems);
  const parties: { kind: "provider" | "publisher"; namespace?: string; url?: URL; mirrors: URL[] }[] = [];
  for (const [key, kind, needMirrors] of [
    ["csaf_providers", "provider", false],
    ["csaf_publishers", "publisher", true],
  ] as const) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push({ at: `/${key}`, message: "not a non-empty array" });
      continue;
    }
    list.forEach((e, i) => {
      const at = `/${key}/${i}`;
      if (!isRecord(e)) {
        problems.push({ at, message: "not an object" });
        return;
      }
      requireFields(e, at, needMirrors ? ["metadata", "mirrors", "update_interval"] : ["metadata"], problems);
      const party: (typeof parties)[number] = { kind, mirrors: [] };
      if (isRecord(e.metadata)) {
        const m = e.metadata;
        requireFields(m, `${at}/metadata`, ["last_updated", "publisher", "url"], problems);
        if ("last_updated" in m) checkDateTime(m.last_updated, `${at}/metadata/last_updated`, problems);
        if ("publisher" in m) checkPublisher(m.publisher, `${at}/metadata/publisher`, problems);
        if ("role" in m && !ROLES.includes(m.role as string))
          problems.push({ at: `${at}/metadata/role`, message: `not one of ${ROLES.join(", ")}` });
        if ("url" in m) {
          const u = checkUrl(m.url, `${at}/metadata/url`, problems, /\/provider-metadata\.json$/);
          if (u) party.url = u;
        }
        if (isRecord(m.publisher) && typeof m.publisher.namespace === "string")
          party.namespace = m.publisher.namespace;
      } else if ("metadata" in e) problems.push({ at: `${at}/metadata`, message: "not an object" });
      if ("mirrors" in e) {
        if (!Array.isArray(e.mirrors) || e.mirrors.length === 0)
          problems.push({ at: `${at}/mirrors`, message: "not a non-empty array" });
        else
          e.mirrors.forEach((u, j) => {
            const url = checkUrl(u, `${at}/mirrors/${j}`, problems, /\/provider-metadata\.json$/);
            if (url) party.mirrors.push(url);
          });
      }
      if (
        needMirrors &&
        "update_interval" in e &&
        (typeof e.update_interval !== "string" || e.update_interval === "")
      )
        problems.push({ at: `${at}/update_interval`, message: "not a non-empty string" });
      parties.push(party);
    });
  }
  for (const p of problems) checks.fail("csaf.aggregator.schema", p.message, p.at || "/");
  if (problems.length === 0)
    checks.pass("csaf.aggregator.schema", "conforms to the CSAF aggregator structure");
  tls(doc, "csaf.aggregator.tls", checks);

  const category = isRecord(agg) && typeof agg.category === "string" ? agg.category : undefined;
  const key = (p: (typeof parties)[number]) => p.namespace ?? p.url?.host ?? "";
  const providers = new Set(parties.filter((p) => p.kind === "provider").map(key));
  const publishers = new Set(parties.filter((p) => p.kind === "publisher").map(key));
  const disjoint =
    providers.size >= 2 || (providers.size >= 1 && [...publishers].some((p) => !providers.has(p)));
  if (disjoint)
    checks.pass("csaf.aggregator.disjoint", `${providers.size} providers, ${publishers.size} publishers`);
  else
    checks.fail(
      "csaf.aggregator.disjoint",
      "requirement 22: at least two disjoint providers, or a publisher and a provider",
    );

  const own = uri(doc.canonical_url)?.host;
  const mirroredHere = new Set(parties.filter((p) => p.mirrors.some((m) => m.host === own)).map(key));
  if (category === "lister") {
    if (mirroredHere.size > 0)
      checks.fail("csaf.aggregator.mirrors", `a lister lists mirrors on its own domain ${own}`);
    else checks.pass("csaf.aggregator.mirrors", "a lister with no mirrors of its own");
  } else if (category === "aggregator") {
    if (mirroredHere.size >= 2)
      checks.pass("csaf.aggregator.mirrors", `mirrors ${mirroredHere.size} disjoint parties on ${own}`);
    else
      checks.fail(
        "csaf.aggregator.mirrors",
        `an aggregator mirrors at least two disjoint parties on its own domain (${own}); found ${mirroredHere.size}`,
      );
  }
  return category ? { category } : {};
}
