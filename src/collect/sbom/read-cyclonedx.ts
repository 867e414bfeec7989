import { arr, type Json, num, obj, ptr, str } from "../json-access.js";
import {
  distinctNames,
  type SbomComponent,
  type SbomDependency,
  type SbomDocument,
  type SbomHash,
  type SbomLicence,
  type SbomReference,
  SuffixReference,
} from "./model.js";

// Shared empties: a 100,000-component SBOM should not allocate a million empty arrays and maps.
const NO_HASHES: SbomHash[] = [];
const NO_LICENCES: SbomLicence[] = [];
const NO_CONTACTS: string[] = [];
const NO_REFS: SbomComponent["externalRefs"] = [];
const NO_PROPERTIES: Map<string, string[]> = new Map();
const NO_DEPENDENCIES: string[] = [];

function hashes(v: Json): SbomHash[] {
  if (!Array.isArray(v) || v.length === 0) return NO_HASHES;
  // The document's own list when every entry is a usable hash (the model is read, never changed).
  let usable = 0;
  for (const h of v) {
    const o = obj(h);
    if (o && typeof o.alg === "string" && o.alg !== "" && typeof o.content === "string" && o.content !== "")
      usable++;
  }
  if (usable === v.length) return v as SbomHash[];
  const out: SbomHash[] = [];
  for (const h of v) {
    const o = obj(h);
    const alg = str(o?.alg);
    const content = str(o?.content);
    if (alg && content) out.push({ alg, content });
  }
  return out;
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
  return out;
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
  // Most entities carry no contact: no list is made for them.
  let list = out;
  const add = (s: string) => {
    list ??= [];
    list.push(s);
  };
  if (Array.isArray(e.url)) for (const u of e.url) if (typeof u === "string") add(u);
  if (Array.isArray(e.contact))
    for (const c of e.contact) {
      const email = str(obj(c)?.email);
      if (email) add(email);
    }
  const email = str(e.email);
  if (email) add(email);
  return list;
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

function properties(v: Json): Map<string, string[]> {
  if (!Array.isArray(v) || v.length === 0) return NO_PROPERTIES;
  const out = new Map<string, string[]>();
  for (const p of v) {
    const name = str(obj(p)?.name);
    const value = str(obj(p)?.value);
    if (name === undefined || value === undefined) continue;
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

function externalRefs(v: Json): SbomComponent["externalRefs"] {
  if (!Array.isArray(v) || v.length === 0) return NO_REFS;
  const out: SbomComponent["externalRefs"] = [];
  for (const r of v) {
    const o = obj(r);
    const type = str(o?.type);
    const url = str(o?.url);
    if (type && url) out.push({ type, url, hashes: hashes(o?.hashes) });
  }
  return out;
}

function crypto(c: Record<string, Json>): SbomComponent["crypto"] {
  const cp = obj(c.cryptoProperties);
  if (!cp) return undefined;
  const alg = obj(cp.algorithmProperties);
  const out: NonNullable<SbomComponent["crypto"]> = {
    certificationLevels: arr(alg?.certificationLevel).filter((x): x is string => typeof x === "string"),
  };
  const assetType = str(cp.assetType);
  if (assetType) out.assetType = assetType;
  const primitive = str(alg?.primitive);
  if (primitive) out.primitive = primitive;
  const level = num(alg?.classicalSecurityLevel);
  if (level !== undefined) out.classicalSecurityLevel = level;
  const oid = str(cp.oid);
  if (oid) out.oid = oid;
  const name = str(c.name);
  if (name) out.algorithmName = name;
  return out;
}

/**
 * A component as a view of its object in the parsed document: each member is read when a check asks
 * for it, and what is made from it (hash and licence lists...) is short-lived. A copied model of a
 * 100,000-component SBOM held as much memory as the parsed document itself, and the garbage
 * collector's copying and marking of it cost more than reading it.
 */
class CycloneDxComponent implements SbomComponent {
  declaration?: number;
  constructor(
    private readonly c: Record<string, Json>,
    /** The location, or for a top-level component its index under `/components`. */
    private readonly at: string | number,
  ) {}
  get location(): string {
    return typeof this.at === "number" ? `/components/${this.at}` : this.at;
  }
  get ref() {
    return str(this.c["bom-ref"]);
  }
  get type() {
    return str(this.c.type);
  }
  get name() {
    return str(this.c.name);
  }
  get version() {
    return str(this.c.version);
  }
  get group() {
    return str(this.c.group);
  }
  get purl() {
    return str(this.c.purl);
  }
  get cpe() {
    return str(this.c.cpe);
  }
  get scope() {
    return str(this.c.scope);
  }
  get swid() {
    return str(obj(this.c.swid)?.tagId);
  }
  get supplier() {
    const c = this.c;
    return (
      nameOf(c.supplier) ??
      nameOf(c.manufacturer) ??
      str(c.author) ??
      (Array.isArray(c.authors) ? c.authors.map(nameOf).find((n) => n !== undefined) : undefined) ??
      str(c.publisher)
    );
  }
  get creatorContacts() {
    return contactsOf(this.c.manufacturer, this.c.supplier, this.c.authors);
  }
  get hashes() {
    return hashes(this.c.hashes);
  }
  get licences() {
    return licences(this.c.licenses);
  }
  get properties() {
    return properties(this.c.properties);
  }
  get externalRefs() {
    return externalRefs(this.c.externalReferences);
  }
  get crypto() {
    return crypto(this.c);
  }
}

/** A dependency entry as a view of its object: its pointers are made only when a message names one. */
class CycloneDxDependency implements SbomDependency {
  readonly dependsOn: readonly string[];
  readonly provides: readonly string[];
  constructor(
    readonly ref: string,
    private readonly entry: Record<string, Json>,
    private readonly index: number,
  ) {
    this.dependsOn = strings(entry.dependsOn);
    this.provides = strings(entry.provides);
  }
  get location(): string {
    return `/dependencies/${this.index}`;
  }
  pointer(key: "dependsOn" | "provides", j: number): string {
    // The model's list leaves out what is not a string: count the document's own entries.
    const raw = arr(this.entry[key]);
    let at = j;
    if (raw.length !== this[key].length)
      for (let k = 0, seen = -1; k < raw.length; k++) {
        if (typeof raw[k] === "string") seen++;
        if (seen === j) {
          at = k;
          break;
        }
      }
    return `${this.location}/${key}/${at}`;
  }
}

/** The strings of a list: the document's own list when it holds only strings (the model is read, never changed). */
function strings(v: Json): readonly string[] {
  if (!Array.isArray(v) || v.length === 0) return NO_DEPENDENCIES;
  return v.every((r) => typeof r === "string") ? (v as string[]) : v.filter((r) => typeof r === "string");
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
  const read = (c: Record<string, Json>, at: string | number, depth: number): SbomComponent => {
    const comp = new CycloneDxComponent(c, at);
    const ref = c["bom-ref"];
    if (typeof ref === "string") {
      comp.declaration = declaredIds.length;
      declaredIds.push(new SuffixReference(ref, comp, "/bom-ref"));
    }
    const nested = c.components;
    if (Array.isArray(nested) && nested.length > 0) {
      const location = comp.location;
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
    components.push(read(c, i, 1));
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
    dependencies.push(new CycloneDxDependency(ref, o, i));
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

  const authors = distinctNames([
    ...arr(meta?.authors).map(nameOf),
    nameOf(meta?.manufacturer),
    nameOf(meta?.manufacture),
    nameOf(meta?.supplier),
    ...arr(meta?.tools).map((t) => str(obj(t)?.name)),
    ...arr(obj(meta?.tools)?.components).map(nameOf),
    ...arr(obj(meta?.tools)?.services).map(nameOf),
  ]);

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
    dependenciesAreReferences: true,
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
