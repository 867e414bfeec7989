import { arr, type Json, num, obj, ptr, str } from "../json-access.js";
import type { SbomComponent, SbomDocument, SbomHash, SbomLicence, SbomReference } from "./model.js";

function hashes(v: Json): SbomHash[] {
  const out: SbomHash[] = [];
  for (const h of arr(v)) {
    const o = obj(h);
    const alg = str(o?.alg);
    const value = str(o?.content);
    if (alg && value) out.push({ alg, value });
  }
  return out;
}

function licences(v: Json): SbomLicence[] {
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

/** Contacts (e-mail, URL) of an organisational entity or a list of authors. */
function contactsOf(entity: Json): string[] {
  const out: string[] = [];
  const e = obj(entity);
  if (e) {
    for (const u of arr(e.url)) if (str(u)) out.push(u as string);
    for (const c of arr(e.contact)) {
      const email = str(obj(c)?.email);
      if (email) out.push(email);
    }
    const email = str(e.email);
    if (email) out.push(email);
  }
  for (const a of arr(entity)) out.push(...contactsOf(a));
  return out;
}

function nameOf(entity: Json): string | undefined {
  return str(obj(entity)?.name);
}

function component(c: Record<string, Json>, location: string): SbomComponent {
  const properties = new Map<string, string[]>();
  for (const p of arr(c.properties)) {
    const name = str(obj(p)?.name);
    const value = str(obj(p)?.value);
    if (name === undefined || value === undefined) continue;
    const list = properties.get(name);
    if (list) list.push(value);
    else properties.set(name, [value]);
  }
  const authorNames = arr(c.authors)
    .map(nameOf)
    .filter((n): n is string => n !== undefined);
  const supplier =
    nameOf(c.supplier) ?? nameOf(c.manufacturer) ?? str(c.author) ?? authorNames[0] ?? str(c.publisher);
  const cp = obj(c.cryptoProperties);
  const alg = obj(cp?.algorithmProperties);
  const out: SbomComponent = {
    location,
    hashes: hashes(c.hashes),
    licences: licences(c.licenses),
    creatorContacts: [...contactsOf(c.manufacturer), ...contactsOf(c.supplier), ...contactsOf(c.authors)],
    properties,
    externalRefs: arr(c.externalReferences).flatMap((r) => {
      const o = obj(r);
      const type = str(o?.type);
      const url = str(o?.url);
      return type && url ? [{ type, url, hashes: hashes(o?.hashes) }] : [];
    }),
  };
  const set = <K extends keyof SbomComponent>(k: K, v: SbomComponent[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set("ref", str(c["bom-ref"]));
  set("type", str(c.type));
  set("name", str(c.name));
  set("version", str(c.version));
  set("group", str(c.group));
  set("supplier", supplier);
  set("purl", str(c.purl));
  set("cpe", str(c.cpe));
  set("swid", str(obj(c.swid)?.tagId));
  set("scope", str(c.scope));
  if (cp) {
    const crypto: SbomComponent["crypto"] = {
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
    const name = str(c.name);
    if (name) crypto.algorithmName = name;
    out.crypto = crypto;
  }
  return out;
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
  const stack: { c: Record<string, Json>; location: string; isPrimary: boolean }[] = [];
  if (metaComponent) stack.push({ c: metaComponent, location: "/metadata/component", isPrimary: true });
  const top = arr(doc.components);
  for (let i = top.length - 1; i >= 0; i--) {
    const c = obj(top[i]);
    if (c) stack.push({ c, location: ptr("/components", i), isPrimary: false });
  }
  // Document order: metadata.component first, then components depth-first.
  const ordered: { c: Record<string, Json>; location: string; isPrimary: boolean }[] = [];
  while (stack.length > 0) {
    const item = stack.pop() as { c: Record<string, Json>; location: string; isPrimary: boolean };
    ordered.push(item);
    const nested = arr(item.c.components);
    for (let i = nested.length - 1; i >= 0; i--) {
      const c = obj(nested[i]);
      if (c) stack.push({ c, location: ptr(ptr(item.location, "components"), i), isPrimary: false });
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
      arr(o[key]).forEach((x, j) => {
        const r = str(x);
        if (r === undefined) return;
        if (key === "dependsOn") dependsOn.push(r);
        references.push({ ref: r, location: ptr(ptr(location, key), j) });
      });
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
    creatorContacts: [
      ...contactsOf(meta?.manufacturer),
      ...contactsOf(meta?.manufacture),
      ...contactsOf(meta?.supplier),
      ...contactsOf(meta?.authors),
    ],
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
