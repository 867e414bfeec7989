import { arr, type Json, num, obj, ptr, str } from "../json-access.js";
import type { SbomComponent, SbomDocument, SbomHash, SbomLicence, SbomReference } from "./model.js";

// Shared empties: a 100,000-component SBOM should not allocate a million empty arrays and maps.
const NO_HASHES: SbomHash[] = [];
const NO_LICENCES: SbomLicence[] = [];
const NO_CONTACTS: string[] = [];
const NO_REFS: SbomComponent["externalRefs"] = [];
const NO_PROPERTIES: Map<string, string[]> = new Map();

function hashes(v: Json): SbomHash[] {
  if (!Array.isArray(v) || v.length === 0) return NO_HASHES;
  const out: SbomHash[] = [];
  for (const h of v) {
    const o = obj(h);
    const alg = str(o?.alg);
    const value = str(o?.content);
    if (alg && value) out.push({ alg, value });
  }
  return out;
}

function licences(v: Json): SbomLicence[] {
  if (!Array.isArray(v) || v.length === 0) return NO_LICENCES;
  const out: SbomLicence[] = [];
  for (const l of arr(v)) {
    const o = obj(l);
    if (!o) continue;
    const ack = str(o.acknowledgement) ?? str(obj(o.license)?.acknowledgement);
    const acknowledgement: SbomLicence["acknowledgement"] =
      ack === "declared" || ack === "concluded" ? ack : undefined;
    const expression = str(o.expression);
    const lic = obj(o.license);
    const id = str(lic?.id);
    const name = str(lic?.name);
    const base: Pick<SbomLicence, "acknowledgement"> = acknowledgement ? { acknowledgement } : {};
    if (expression) out.push({ value: expression, kind: "expression", ...base });
    else if (id) out.push({ value: id, kind: "id", ...base });
    else if (name) out.push({ value: name, kind: "name", ...base });
  }
  return out;
}

/** Contacts (e-mail, URL) of an organisational entity or a list of authors, added to `out`. */
function addContacts(entity: Json, out: string[]): void {
  if (entity === undefined || entity === null || typeof entity !== "object") return;
  if (Array.isArray(entity)) {
    for (const a of entity) if (a !== null && typeof a === "object" && !Array.isArray(a)) addContacts(a, out);
    return;
  }
  const e = entity as Record<string, Json>;
  for (const u of arr(e.url)) if (typeof u === "string") out.push(u);
  for (const c of arr(e.contact)) {
    const email = str(obj(c)?.email);
    if (email) out.push(email);
  }
  const email = str(e.email);
  if (email) out.push(email);
}

function contactsOf(...entities: Json[]): string[] {
  let out: string[] | undefined;
  for (const e of entities) {
    if (e === undefined) continue;
    out ??= [];
    addContacts(e, out);
  }
  return out && out.length > 0 ? out : NO_CONTACTS;
}

function nameOf(entity: Json): string | undefined {
  return str(obj(entity)?.name);
}

function component(c: Record<string, Json>, location: string): SbomComponent {
  let properties = NO_PROPERTIES;
  if (Array.isArray(c.properties) && c.properties.length > 0) {
    properties = new Map();
    for (const p of c.properties) {
      const name = str(obj(p)?.name);
      const value = str(obj(p)?.value);
      if (name === undefined || value === undefined) continue;
      const list = properties.get(name);
      if (list) list.push(value);
      else properties.set(name, [value]);
    }
  }
  let externalRefs = NO_REFS;
  if (Array.isArray(c.externalReferences) && c.externalReferences.length > 0) {
    externalRefs = [];
    for (const r of c.externalReferences) {
      const o = obj(r);
      const type = str(o?.type);
      const url = str(o?.url);
      if (type && url) externalRefs.push({ type, url, hashes: hashes(o?.hashes) });
    }
  }
  const out: SbomComponent = {
    location,
    hashes: hashes(c.hashes),
    licences: licences(c.licenses),
    creatorContacts: contactsOf(c.manufacturer, c.supplier, c.authors),
    properties,
    externalRefs,
  };
  const supplier =
    nameOf(c.supplier) ??
    nameOf(c.manufacturer) ??
    str(c.author) ??
    (Array.isArray(c.authors) ? c.authors.map(nameOf).find((n) => n !== undefined) : undefined) ??
    str(c.publisher);
  if (supplier !== undefined) out.supplier = supplier;
  if (typeof c["bom-ref"] === "string") out.ref = c["bom-ref"];
  if (typeof c.type === "string") out.type = c.type;
  if (typeof c.name === "string") out.name = c.name;
  if (typeof c.version === "string") out.version = c.version;
  if (typeof c.group === "string") out.group = c.group;
  if (typeof c.purl === "string") out.purl = c.purl;
  if (typeof c.cpe === "string") out.cpe = c.cpe;
  if (typeof c.scope === "string") out.scope = c.scope;
  const swid = str(obj(c.swid)?.tagId);
  if (swid !== undefined) out.swid = swid;
  const cp = obj(c.cryptoProperties);
  if (cp) {
    const alg = obj(cp.algorithmProperties);
    const crypto: NonNullable<SbomComponent["crypto"]> = {
      certificationLevels: arr(alg?.certificationLevel).filter((x): x is string => typeof x === "string"),
    };
    const assetType = str(cp.assetType);
    if (assetType) crypto.assetType = assetType;
    const primitive = str(alg?.primitive);
    if (primitive) crypto.primitive = primitive;
    const level = num(alg?.classicalSecurityLevel);
    if (level !== undefined) crypto.classicalSecurityLevel = level;
    const oid = str(cp.oid);
    if (oid) crypto.oid = oid;
    if (out.name) crypto.algorithmName = out.name;
    out.crypto = crypto;
  }
  return out;
}

const MAX_POINTER = 512;

/**
 * The pointer of a nested component. Past a few hundred characters (hostile nesting) the middle is
 * elided: building every full pointer of a 50,000-deep chain would cost the square of its depth.
 */
function nestedLocation(parent: string, i: number, depth: number): string {
  const full = `${parent}/components/${i}`;
  if (full.length <= MAX_POINTER) return full;
  return `${parent.slice(0, 200).replace(/\/[^/]*$/, "")}/.../components/${i} (nesting depth ${depth})`;
}

/** Reads a parsed CycloneDX JSON document (valid or not) into the common model. */
export function readCycloneDx(doc: Record<string, Json>): SbomDocument {
  const meta = obj(doc.metadata);
  const declaredIds: SbomReference[] = [];
  const references: SbomReference[] = [];
  const components: SbomComponent[] = [];
  const declare = (o: Record<string, Json>, location: string) => {
    const ref = str(o["bom-ref"]);
    if (ref !== undefined) declaredIds.push({ ref, location: ptr(location, "bom-ref") });
  };

  let primary: SbomComponent | undefined;
  const metaComponent = obj(meta?.component);
  // Explicit stack: nesting depth comes from the input and must not overflow ours.
  type Item = { c: Record<string, Json>; location: string; isPrimary: boolean; depth: number };
  const stack: Item[] = [];
  if (metaComponent)
    stack.push({ c: metaComponent, location: "/metadata/component", isPrimary: true, depth: 0 });
  const top = arr(doc.components);
  for (let i = top.length - 1; i >= 0; i--) {
    const c = obj(top[i]);
    if (c) stack.push({ c, location: ptr("/components", i), isPrimary: false, depth: 1 });
  }
  // Document order: metadata.component first, then components depth-first.
  const ordered: Item[] = [];
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    ordered.push(item);
    const nested = arr(item.c.components);
    for (let i = nested.length - 1; i >= 0; i--) {
      const c = obj(nested[i]);
      if (c)
        stack.push({
          c,
          location: nestedLocation(item.location, i, item.depth + 1),
          isPrimary: false,
          depth: item.depth + 1,
        });
    }
  }
  for (const { c, location, isPrimary } of ordered) {
    declare(c, location);
    const comp = component(c, location);
    if (isPrimary) primary = comp;
    else components.push(comp);
  }

  const services: { s: Record<string, Json>; location: string }[] = arr(doc.services).flatMap((s, i) =>
    obj(s) ? [{ s: obj(s) as Record<string, Json>, location: ptr("/services", i) }] : [],
  );
  while (services.length > 0) {
    const { s, location } = services.pop() as { s: Record<string, Json>; location: string };
    declare(s, location);
    arr(s.services).forEach((x, i) => {
      const o = obj(x);
      if (o) services.push({ s: o, location: ptr(ptr(location, "services"), i) });
    });
  }

  const vulnerabilities = arr(doc.vulnerabilities);
  vulnerabilities.forEach((v, i) => {
    const o = obj(v);
    if (!o) return;
    declare(o, ptr("/vulnerabilities", i));
    arr(o.affects).forEach((a, j) => {
      const ref = str(obj(a)?.ref);
      if (ref !== undefined)
        references.push({ ref, location: ptr(ptr(ptr(ptr("/vulnerabilities", i), "affects"), j), "ref") });
    });
  });

  const dependencies = arr(doc.dependencies).flatMap((d, i) => {
    const o = obj(d);
    const ref = str(o?.ref);
    const location = ptr("/dependencies", i);
    if (!o || ref === undefined) return [];
    references.push({ ref, location: ptr(location, "ref") });
    const dependsOn: string[] = [];
    for (const key of ["dependsOn", "provides"]) {
      const list = arr(o[key]);
      for (let j = 0; j < list.length; j++) {
        const r = list[j];
        if (typeof r !== "string") continue;
        if (key === "dependsOn") dependsOn.push(r);
        references.push({ ref: r, location: `${location}/${key}/${j}` });
      }
    }
    return [{ ref, dependsOn, location }];
  });

  arr(doc.compositions).forEach((comp, i) => {
    const o = obj(comp);
    for (const key of ["assemblies", "dependencies", "vulnerabilities"]) {
      arr(o?.[key]).forEach((x, j) => {
        const r = str(x);
        if (r !== undefined) references.push({ ref: r, location: ptr(ptr(ptr("/compositions", i), key), j) });
      });
    }
  });

  const authors = [
    ...arr(meta?.authors).map(nameOf),
    nameOf(meta?.manufacturer),
    nameOf(meta?.manufacture),
    nameOf(meta?.supplier),
    ...arr(meta?.tools).map((t) => str(obj(t)?.name)),
    ...arr(obj(meta?.tools)?.components).map(nameOf),
    ...arr(obj(meta?.tools)?.services).map(nameOf),
  ].filter((x): x is string => x !== undefined && x !== "");

  const out: SbomDocument = {
    family: "cyclonedx",
    specVersion: str(doc.specVersion) ?? "?",
    authors,
    creatorContacts: [...contactsOf(meta?.manufacturer, meta?.manufacture, meta?.supplier, meta?.authors)],
    lifecycles: arr(meta?.lifecycles).flatMap((l) => {
      const phase = str(obj(l)?.phase) ?? str(obj(l)?.name);
      return phase ? [phase] : [];
    }),
    components,
    dependencies,
    declaredIds,
    references,
    hasDependencyData: Array.isArray(doc.dependencies),
    vulnerabilities,
  };
  const serial = str(doc.serialNumber);
  if (serial) out.serialNumber = serial;
  const ts = str(meta?.timestamp);
  if (ts) out.timestamp = ts;
  if (primary) out.primary = primary;
  return out;
}
