/**
 * The OSCAL 1.x JSON shapes profile resolution reads and writes: the profile model (imports, merge,
 * modify) and the catalog model in full (every field a resolved catalog may carry). Structurally
 * compatible with the narrower types of `types.ts`: a `ResolvedCatalog` can be passed wherever an
 * `OscalCatalog` is expected.
 */
import type { OscalLink, OscalProp } from "./types.js";

export interface Property extends OscalProp {
  uuid?: string;
  group?: string;
  remarks?: string;
}

export interface Link extends OscalLink {
  "media-type"?: string;
  "resource-fragment"?: string;
}

export interface Part {
  id?: string;
  name: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: Property[];
  prose?: string;
  parts?: Part[];
  links?: Link[];
}

export interface ParamGuideline {
  prose: string;
}

export interface ParamConstraint {
  description?: string;
  tests?: { expression: string; remarks?: string }[];
}

export interface ParamSelect {
  "how-many"?: "one" | "one-or-more";
  choice?: string[];
}

export interface Param {
  id: string;
  class?: string;
  "depends-on"?: string;
  props?: Property[];
  links?: Link[];
  label?: string;
  usage?: string;
  constraints?: ParamConstraint[];
  guidelines?: ParamGuideline[];
  values?: string[];
  select?: ParamSelect;
  remarks?: string;
}

export interface Control {
  id: string;
  class?: string;
  title: string;
  params?: Param[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  controls?: Control[];
}

export interface Group {
  id?: string;
  class?: string;
  title: string;
  params?: Param[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  groups?: Group[];
  controls?: Control[];
}

export interface Rlink {
  href: string;
  "media-type"?: string;
  hashes?: { algorithm: string; value: string }[];
}

export interface Resource {
  uuid: string;
  title?: string;
  description?: string;
  props?: Property[];
  "document-ids"?: { scheme?: string; identifier: string }[];
  citation?: { text: string; props?: Property[]; links?: Link[] };
  rlinks?: Rlink[];
  base64?: { filename?: string; "media-type"?: string; value: string };
  remarks?: string;
}

export interface BackMatter {
  resources?: Resource[];
}

export interface Role {
  id: string;
  title: string;
  props?: Property[];
  [key: string]: unknown;
}

export interface Party {
  uuid: string;
  type: string;
  props?: Property[];
  [key: string]: unknown;
}

export interface Metadata {
  title: string;
  published?: string;
  "last-modified": string;
  version: string;
  "oscal-version": string;
  props?: Property[];
  links?: Link[];
  roles?: Role[];
  parties?: Party[];
  "responsible-parties"?: { "role-id": string; "party-uuids": string[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** An OSCAL catalog (the object under the document's `catalog` key). */
export interface ResolvedCatalog {
  uuid: string;
  metadata: Metadata;
  params?: Param[];
  controls?: Control[];
  groups?: Group[];
  "back-matter"?: BackMatter;
}

export interface CatalogDocument {
  catalog: ResolvedCatalog;
}

// ---- profile model ----

export interface SelectControl {
  "with-child-controls"?: "yes" | "no";
  "with-ids"?: string[];
  matching?: { pattern?: string; remarks?: string }[];
}

export interface ProfileImport {
  href: string;
  "include-all"?: Record<string, never>;
  "include-controls"?: SelectControl[];
  "exclude-controls"?: SelectControl[];
}

export interface InsertControls {
  order?: "keep" | "ascending" | "descending";
  "include-all"?: Record<string, never>;
  "include-controls"?: SelectControl[];
  "exclude-controls"?: SelectControl[];
}

export interface CustomGroup {
  id?: string;
  class?: string;
  title: string;
  params?: Param[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
  groups?: CustomGroup[];
  "insert-controls"?: InsertControls[];
}

export interface Merge {
  /** `method` is OSCAL 1.0/1.1 (the 1.2 JSON schema leaves `combine` empty); read when present. */
  combine?: { method?: "use-first" | "merge" | "keep" };
  flat?: Record<string, never>;
  "as-is"?: boolean;
  custom?: { groups?: CustomGroup[]; "insert-controls"?: InsertControls[] };
}

export interface SetParameter {
  "param-id": string;
  class?: string;
  "depends-on"?: string;
  props?: Property[];
  links?: Link[];
  label?: string;
  usage?: string;
  constraints?: ParamConstraint[];
  guidelines?: ParamGuideline[];
  values?: string[];
  select?: ParamSelect;
}

export interface Removal {
  "by-name"?: string;
  "by-class"?: string;
  "by-id"?: string;
  "by-item-name"?: string;
  "by-ns"?: string;
  remarks?: string;
}

export interface Addition {
  position?: "before" | "after" | "starting" | "ending";
  "by-id"?: string;
  title?: string;
  params?: Param[];
  props?: Property[];
  links?: Link[];
  parts?: Part[];
}

export interface Alteration {
  "control-id": string;
  removes?: Removal[];
  adds?: Addition[];
}

export interface Modify {
  "set-parameters"?: SetParameter[];
  alters?: Alteration[];
}

/** An OSCAL profile (the object under the document's `profile` key). */
export interface OscalProfile {
  uuid: string;
  metadata: Metadata;
  imports: ProfileImport[];
  merge?: Merge;
  modify?: Modify;
  "back-matter"?: BackMatter;
}

export interface OscalProfileDoc {
  profile: OscalProfile;
}
