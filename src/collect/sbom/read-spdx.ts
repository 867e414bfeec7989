import { arr, type Json, obj, ptr, str } from "../json-access.js";
import {
  distinctNames,
  type SbomComponent,
  type SbomDependency,
  type SbomDocument,
  type SbomLicence,
  type SbomReference,
} from "./model.js";

const NO_VALUE = new Set(["NOASSERTION", "NONE", ""]);

function real(v: string | undefined): string | undefined {
  return v === undefined || NO_VALUE.has(v.trim()) ? undefined : v;
}

/** `Organization: ACME Inc. (security@acme.example)` -> name and contact. */
function spdxActor(v: string | undefined): { name?: string; contact?: string } {
  const s = real(v);
  if (!s) return {};
  const m = /^(?:Person|Organization|Tool):\s*(.*?)\s*(?:\(([^()]*)\))?\s*$/.exec(s);
  const name = (m?.[1] ?? s).trim();
  const contact = m?.[2]?.trim();
  return { ...(name ? { name } : {}), ...(contact ? { contact } : {}) };
}

function emptyComponent(location: string): SbomComponent {
  return { location, hashes: [], licences: [], creatorContacts: [], properties: new Map(), externalRefs: [] };
}

/** SPDX 2.2 / 2.3 JSON. */
export function readSpdx2(doc: Record<string, Json>): SbomDocument {
  const declaredIds: SbomReference[] = [];
  const references: SbomReference[] = [];
  const byId = new Map<string, SbomComponent>();
  const components: SbomComponent[] = [];
  const docId = str(doc.SPDXID);
  if (docId) declaredIds.push({ ref: docId, location: "/SPDXID" });
  const external = new Set(arr(doc.externalDocumentRefs).map((r) => str(obj(r)?.externalDocumentId)));

  const add = (o: Record<string, Json>, location: string, kind: "package" | "file") => {
    const c = emptyComponent(location);
    const id = str(o.SPDXID);
    if (id !== undefined) {
      c.ref = id;
      declaredIds.push({ ref: id, location: ptr(location, "SPDXID") });
    }
    const name = str(o.name) ?? str(o.fileName);
    if (name) c.name = name;
    const version = real(str(o.versionInfo));
    if (version) c.version = version;
    c.type = kind === "file" ? "file" : (str(o.primaryPackagePurpose)?.toLowerCase() ?? "library");
    const supplier = spdxActor(str(o.supplier));
    const originator = spdxActor(str(o.originator));
    const who = supplier.name ?? originator.name;
    if (who) c.supplier = who;
    for (const x of [supplier.contact, originator.contact]) if (x) c.creatorContacts.push(x);
    for (const ch of arr(o.checksums)) {
      const alg = str(obj(ch)?.algorithm);
      const value = str(obj(ch)?.checksumValue);
      if (alg && value) c.hashes.push({ alg, content: value });
    }
    const lic = (v: string | undefined, acknowledgement: SbomLicence["acknowledgement"]) => {
      const s = real(v);
      if (s)
        c.licences.push({
          value: s,
          kind: /\s(AND|OR|WITH)\s/.test(s) ? "expression" : "id",
          ...(acknowledgement ? { acknowledgement } : {}),
        });
    };
    lic(str(o.licenseConcluded), "concluded");
    lic(str(o.licenseDeclared), "declared");
    for (const r of arr(o.externalRefs)) {
      const e = obj(r);
      const type = str(e?.referenceType)?.toLowerCase();
      const locator = str(e?.referenceLocator);
      if (!type || !locator) continue;
      if (type === "purl" && !c.purl) c.purl = locator;
      else if ((type === "cpe23type" || type === "cpe22type") && !c.cpe) c.cpe = locator;
      else if (type === "swid" && !c.swid) c.swid = locator;
    }
    const download = real(str(o.downloadLocation));
    if (download) c.externalRefs.push({ type: "distribution", url: download, hashes: [] });
    const fileName = str(o.packageFileName);
    if (fileName) c.properties.set("spdx:packageFileName", [fileName]);
    if (id !== undefined) byId.set(id, c);
    components.push(c);
  };
  arr(doc.packages).forEach((p, i) => {
    const o = obj(p);
    if (o) add(o, ptr("/packages", i), "package");
  });
  arr(doc.files).forEach((f, i) => {
    const o = obj(f);
    if (o) add(o, ptr("/files", i), "file");
  });
  arr(doc.snippets).forEach((s, i) => {
    const id = str(obj(s)?.SPDXID);
    if (id) declaredIds.push({ ref: id, location: ptr(ptr("/snippets", i), "SPDXID") });
  });

  const isLocal = (ref: string) => !ref.startsWith("DocumentRef-") || !external.has(ref.split(":")[0]);
  const refer = (ref: string | undefined, location: string) => {
    if (ref !== undefined && !NO_VALUE.has(ref) && !ref.startsWith("DocumentRef-"))
      references.push({ ref, location });
    else if (ref?.startsWith("DocumentRef-") && isLocal(ref)) references.push({ ref, location });
  };
  const describes: string[] = [];
  arr(doc.documentDescribes).forEach((d, i) => {
    const ref = str(d);
    if (ref) {
      describes.push(ref);
      refer(ref, ptr("/documentDescribes", i));
    }
  });
  const edges = new Map<string, { deps: string[]; location: string }>();
  const edge = (from: string, to: string, location: string) => {
    const e = edges.get(from);
    if (e) e.deps.push(to);
    else edges.set(from, { deps: [to], location });
  };
  arr(doc.relationships).forEach((r, i) => {
    const o = obj(r);
    const a = str(o?.spdxElementId);
    const b = str(o?.relatedSpdxElement);
    const type = str(o?.relationshipType);
    const location = ptr("/relationships", i);
    refer(a, ptr(location, "spdxElementId"));
    refer(b, ptr(location, "relatedSpdxElement"));
    if (!a || !b || NO_VALUE.has(b)) return;
    if (type === "DESCRIBES" && a === docId) describes.push(b);
    else if (type === "DESCRIBED_BY" && b === docId) describes.push(a);
    else if (type === "DEPENDS_ON" || type === "CONTAINS") edge(a, b, location);
    else if (type === "DEPENDENCY_OF" || type === "CONTAINED_BY") edge(b, a, location);
  });
  const dependencies: SbomDependency[] = [...edges].map(([ref, e]) => ({
    ref,
    dependsOn: e.deps,
    location: e.location,
  }));

  const info = obj(doc.creationInfo);
  const creators = arr(info?.creators).map((c) => spdxActor(str(c)));
  const primaryId = describes.find((d) => byId.has(d));
  const out: SbomDocument = {
    family: "spdx",
    specVersion: (str(doc.spdxVersion) ?? "SPDX-?").replace(/^SPDX-/, ""),
    authors: distinctNames(creators.map((c) => c.name)),
    creatorContacts: creators.flatMap((c) => (c.contact ? [c.contact] : [])),
    lifecycles: [],
    components: primaryId ? components.filter((c) => c.ref !== primaryId) : components,
    dependencies,
    declaredIds,
    references,
    hasDependencyData: dependencies.length > 0,
    dependenciesAreReferences: false,
    vulnerabilities: [],
  };
  const ns = str(doc.documentNamespace);
  if (ns) out.serialNumber = ns;
  const created = str(info?.created);
  if (created) out.timestamp = created;
  if (primaryId) out.primary = byId.get(primaryId) as SbomComponent;
  return out;
}

const PURPOSE_TYPES: Record<string, string> = { software_Package: "library", software_File: "file" };

/** SPDX 3.0.1 JSON-LD (`@graph` of elements, or a single element). */
export function readSpdx3(doc: Record<string, Json>): SbomDocument {
  const graph = Array.isArray(doc["@graph"]) ? (doc["@graph"] as Json[]) : [doc];
  const base = Array.isArray(doc["@graph"]) ? "/@graph" : "";
  const declaredIds: SbomReference[] = [];
  const references: SbomReference[] = [];
  const elements = new Map<string, { o: Record<string, Json>; location: string }>();
  const creationInfos = new Map<string, Record<string, Json>>();
  const imports = new Set<string>();
  graph.forEach((g, i) => {
    const o = obj(g);
    if (!o) return;
    const location = base ? ptr(base, i) : "";
    const id = str(o.spdxId) ?? str(o["@id"]);
    if (str(o.type) === "CreationInfo") {
      if (id) creationInfos.set(id, o);
      return;
    }
    if (id !== undefined) {
      declaredIds.push({ ref: id, location: ptr(location, o.spdxId !== undefined ? "spdxId" : "@id") });
      elements.set(id, { o, location });
    }
    for (const m of arr(o.import)) {
      const x = str(obj(m)?.externalSpdxId);
      if (x) imports.add(x);
    }
  });
  const refer = (ref: string | undefined, location: string) => {
    if (ref === undefined || imports.has(ref) || ref.startsWith("https://spdx.org/licenses/")) return;
    references.push({ ref, location });
  };
  const agentOf = (id: string | undefined): { name?: string; contacts: string[] } => {
    const a = id ? elements.get(id)?.o : undefined;
    const contacts = arr(a?.externalIdentifier).flatMap((e) => {
      const t = str(obj(e)?.externalIdentifierType);
      const v = str(obj(e)?.identifier);
      return v && (t === "email" || t === "urlScheme" || t === "other") ? [v] : [];
    });
    const name = str(a?.name);
    return { ...(name ? { name } : {}), contacts };
  };

  const components: SbomComponent[] = [];
  const byId = new Map<string, SbomComponent>();
  const edges = new Map<string, { deps: string[]; location: string }>();
  let roots: string[] = [];
  let sbomInfo: Record<string, Json> | undefined;
  for (const [id, { o, location }] of elements) {
    const type = str(o.type) ?? "";
    if (type === "software_Package" || type === "software_File") {
      const c = emptyComponent(location);
      c.ref = id;
      c.type = str(o.software_primaryPurpose) ?? PURPOSE_TYPES[type] ?? "library";
      const name = str(o.name);
      if (name) c.name = name;
      const version = str(o.software_packageVersion);
      if (version) c.version = version;
      const purl = str(o.software_packageUrl);
      if (purl) c.purl = purl;
      for (const e of arr(o.externalIdentifier)) {
        const t = str(obj(e)?.externalIdentifierType);
        const v = str(obj(e)?.identifier);
        if (!v) continue;
        if ((t === "cpe23" || t === "cpe22") && !c.cpe) c.cpe = v;
        else if (t === "packageUrl" && !c.purl) c.purl = v;
        else if (t === "swid" && !c.swid) c.swid = v;
      }
      for (const h of arr(o.verifiedUsing)) {
        const alg = str(obj(h)?.algorithm);
        const value = str(obj(h)?.hashValue);
        if (alg && value) c.hashes.push({ alg, content: value });
      }
      const supplier = agentOf(str(o.suppliedBy));
      const originators = arr(o.originatedBy).map((x) => agentOf(str(x)));
      const who = supplier.name ?? originators.find((x) => x.name)?.name;
      if (who) c.supplier = who;
      c.creatorContacts.push(...supplier.contacts, ...originators.flatMap((x) => x.contacts));
      refer(str(o.suppliedBy), ptr(location, "suppliedBy"));
      const download = str(o.software_downloadLocation);
      if (download) c.externalRefs.push({ type: "distribution", url: download, hashes: [] });
      for (const r of arr(o.externalRef)) {
        const t = str(obj(r)?.externalRefType);
        for (const loc of arr(obj(r)?.locator))
          if (t && str(loc)) c.externalRefs.push({ type: t, url: loc as string, hashes: [] });
      }
      const purposes = [str(o.software_primaryPurpose), ...arr(o.software_additionalPurpose).map(str)].filter(
        (x): x is string => x !== undefined,
      );
      if (purposes.length > 0) c.properties.set("spdx:purpose", purposes);
      if (type === "software_File" && name) c.properties.set("spdx:fileName", [name]);
      byId.set(id, c);
      components.push(c);
    } else if (type === "Relationship") {
      const from = str(o.from);
      const rel = str(o.relationshipType);
      refer(from, ptr(location, "from"));
      arr(o.to).forEach((t, j) => {
        const to = str(t);
        refer(to, ptr(ptr(location, "to"), j));
        if (!from || !to) return;
        if (rel === "dependsOn" || rel === "contains") {
          const e = edges.get(from);
          if (e) e.deps.push(to);
          else edges.set(from, { deps: [to], location });
        }
      });
    } else if (type === "software_Sbom" || type === "SpdxDocument") {
      const r = arr(o.rootElement)
        .map(str)
        .filter((x): x is string => x !== undefined);
      arr(o.rootElement).forEach((x, j) => {
        refer(str(x), ptr(ptr(location, "rootElement"), j));
      });
      if (type === "software_Sbom" || roots.length === 0) roots = r.length > 0 ? r : roots;
      if (type === "software_Sbom" || !sbomInfo) sbomInfo = o;
    }
  }
  // Licences are relationships from the package to a licence element.
  for (const { o } of elements.values()) {
    if (str(o.type) !== "Relationship") continue;
    const rel = str(o.relationshipType);
    if (rel !== "hasConcludedLicense" && rel !== "hasDeclaredLicense") continue;
    const c = byId.get(str(o.from) ?? "");
    if (!c) continue;
    for (const t of arr(o.to)) {
      const to = str(t) ?? "";
      const lic = elements.get(to)?.o;
      const expression = str(lic?.simplelicensing_licenseExpression);
      const value =
        expression ?? (to.startsWith("https://spdx.org/licenses/") ? to.slice(26) : str(lic?.name));
      if (value)
        c.licences.push({
          value,
          kind: expression ? "expression" : "id",
          acknowledgement: rel === "hasConcludedLicense" ? "concluded" : "declared",
        });
    }
  }
  const ci = sbomInfo?.creationInfo;
  const info = obj(ci) ?? creationInfos.get(str(ci) ?? "") ?? [...creationInfos.values()][0];
  const creators = arr(info?.createdBy).map((x) => agentOf(str(x)));
  const primaryId = roots.find((r) => byId.has(r));
  const out: SbomDocument = {
    family: "spdx",
    specVersion: (str(info?.specVersion) ?? "3.0.1").trim(),
    authors: distinctNames(creators.map((c) => c.name)),
    creatorContacts: creators.flatMap((c) => c.contacts),
    lifecycles: arr(sbomInfo?.software_sbomType).flatMap((x) => (str(x) ? [x as string] : [])),
    components: primaryId ? components.filter((c) => c.ref !== primaryId) : components,
    dependencies: [...edges].map(([ref, e]) => ({ ref, dependsOn: e.deps, location: e.location })),
    declaredIds,
    references,
    hasDependencyData: edges.size > 0,
    dependenciesAreReferences: false,
    vulnerabilities: [],
  };
  const created = str(info?.created);
  if (created) out.timestamp = created;
  const sbomId = str(sbomInfo?.spdxId);
  if (sbomId) out.serialNumber = sbomId;
  if (primaryId) out.primary = byId.get(primaryId) as SbomComponent;
  return out;
}
