import { arr, type Json, num, obj, ptr, str } from "../json-access.js";
import {
  ListReference,
  type SbomComponent,
  type SbomDependency,
  type SbomDocument,
  type SbomHash,
  type SbomLicence,
  type SbomReference,
} from "./model.js";

// Shared empties: a 100,000-component SBOM should not allocate a million empty arrays and maps.
const NO_HASHES: SbomHash[] = [];
const NO_LICENCES: SbomLicence[] = [];
const NO_CONTACTS: string[] = [];
const NO_REFS: SbomComponent["externalRefs"] = [];
const NO_PROPERTIES: Map<string, string[]> = new Map();
const NO_DEPENDENCIES: string[] = [];

/**
 * The list at its length: an array grown by push from empty keeps room for 16 items, which for the
 * one hash and one licence of a typical component is most of the model's memory.
 */
function trimmed<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

function hashes(v: Json): SbomHash[] {
  if (!Array.isArray(v) || v.length === 0) return NO_HASHES;
  const out: SbomHash[] = [];
  for (const h of v) {
    const o = obj(h);
    const alg = str(o?.alg);
    const value = str(o?.content);
    if (alg && value) out.push({ alg, value });
  }
  return trimmed(out);
}

function licences(v: Json): SbomLicence[] {
  if (!Array.isArray(v) || v.length === 0) return NO_LICENCES;
  const out: SbomLicence[] = [];
  for (const l of v) {
    const o = obj(l);
    if (!o) continue;
    const lic = obj(o.license);
    const ack = str(o.acknowledgement) ?? str(lic?.acknowledgement);
    const expression = str(o.expression);
    const id = str(lic?.id);
    const name = str(lic?.name);
    let licence: SbomLicence;
    if (expression) licence = { value: expression, kind: "expression" };
    else if (id) licence = { value: id, kind: "id" };
    else if (name) licence = { value: name, kind: "name" };
    else continue;
    if (ack === "declared" || ack === "concluded") licence.acknowledgement = ack;
    out.push(licence);
  }
  return trimmed(out);
}

/** Contacts (e-mail, URL) of an organisational entity or a list of authors, added to `out` (made when the first is found). */
function addContacts(entity: Json, out: string[] | undefined): string[] | undefined {
  if (entity === undefined || entity === null || typeof entity !== "object") return out;
  if (Array.isArray(entity)) {
    let list = out;
    for (const a of entity)
      if (a !== null && typeof a === "object" && !Array.isArray(a)) list = addContacts(a, list);
    return list;
  }
  const e = entity as Record<string, Json>;
  const found: string[] = [];
  for (const u of arr(e.url)) if (typeof u === "string") found.push(u);
  for (const c of arr(e.contact)) {
    const email = str(obj(c)?.email);
    if (email) found.push(email);
  }
  const email = str(e.email);
  if (email) found.push(email);
  if (found.length === 0) return out;
  if (out === undefined) return trimmed(found);
  out.push(...found);
  return out;
}

/** Contacts of up to four entities; the shared empty list when there are none (the common case). */
function contactsOf(a: Json, b: Json, c: Json, d?: Json): string[] {
  let out: string[] | undefined;
  out = addContacts(a, out);
  out = addContacts(b, out);
  out = addContacts(c, out);
  out = addContacts(d, out);
  return out ?? NO_CONTACTS;
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
    externalRefs = trimmed(externalRefs);
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
    const ref = o["bom-ref"];
    if (typeof ref === "string") declaredIds.push({ ref, location: `${location}/bom-ref` });
  };

  let primary: SbomComponent | undefined;
  const metaComponent = obj(meta?.component);
  // Order: the components depth-first, then metadata.component and what it nests (duplicate-id
  // messages name the later place as the duplicate). Most components nest nothing and are read in
  // place; a nested tree is walked with an explicit stack, since its depth comes from the input and
  // must not overflow ours.
  type Item = { c: Record<string, Json>; location: string; depth: number };
  const stack: Item[] = [];
  const read = (c: Record<string, Json>, location: string, depth: number): SbomComponent => {
    declare(c, location);
    const comp = component(c, location);
    const nested = c.components;
    if (Array.isArray(nested) && nested.length > 0) {
      for (let i = nested.length - 1; i >= 0; i--) {
        const n = obj(nested[i]);
        if (n) stack.push({ c: n, location: nestedLocation(location, i, depth + 1), depth: depth + 1 });
      }
    }
    return comp;
  };
  const drain = () => {
    while (stack.length > 0) {
      const item = stack.pop() as Item;
      components.push(read(item.c, item.location, item.depth));
    }
  };
  const top = arr(doc.components);
  for (let i = 0; i < top.length; i++) {
    const c = obj(top[i]);
    if (!c) continue;
    components.push(read(c, `/components/${i}`, 1));
    drain();
  }
  if (metaComponent) {
    primary = read(metaComponent, "/metadata/component", 0);
    drain();
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

  const dependencies: SbomDependency[] = [];
  const deps = arr(doc.dependencies);
  for (let i = 0; i < deps.length; i++) {
    const o = obj(deps[i]);
    const ref = str(o?.ref);
    if (!o || ref === undefined) continue;
    const location = `/dependencies/${i}`;
    references.push(new ListReference(ref, location, "ref"));
    const on = arr(o.dependsOn);
    let strings = true;
    for (let j = 0; j < on.length; j++) {
      const r = on[j];
      if (typeof r !== "string") strings = false;
      else references.push(new ListReference(r, location, "dependsOn", j));
    }
    // The document's own list when it holds only strings (the model is read, never changed).
    const dependsOn =
      on.length === 0
        ? NO_DEPENDENCIES
        : strings
          ? (on as string[])
          : on.filter((r) => typeof r === "string");
    const provides = arr(o.provides);
    for (let j = 0; j < provides.length; j++) {
      const r = provides[j];
      if (typeof r === "string") references.push(new ListReference(r, location, "provides", j));
    }
    dependencies.push({ ref, dependsOn, location });
  }

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
