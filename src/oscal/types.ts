/** The parts of the OSCAL model Cairn reads and writes (OSCAL 1.x JSON). */

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface OscalLink {
  href: string;
  rel?: string;
  text?: string;
}

export interface OscalPart {
  id?: string;
  name: string;
  title?: string;
  props?: OscalProp[];
  prose?: string;
  parts?: OscalPart[];
}

export interface OscalParam {
  id: string;
  label?: string;
  select?: { "how-many"?: "one" | "one-or-more"; choice?: string[] };
  values?: string[];
  props?: OscalProp[];
}

export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}

export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
}

export interface OscalMetadata {
  title: string;
  published?: string;
  "last-modified": string;
  version: string;
  "oscal-version": string;
  props?: OscalProp[];
}

export interface OscalCatalog {
  uuid: string;
  metadata: OscalMetadata;
  params?: OscalParam[];
  controls?: OscalControl[];
  groups?: OscalGroup[];
  "back-matter"?: unknown;
}

export function prop(props: OscalProp[] | undefined, name: string): string | undefined {
  return props?.find((p) => p.name === name && (p.ns === undefined || p.ns.includes("nist.gov")))?.value;
}
