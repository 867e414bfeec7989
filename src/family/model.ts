/** The document family: the texts and how they cite, extend, specialise or mandate each other. */

export type EdgeType =
  | "cites"
  | "extends"
  | "specialises"
  | "prerequisite-of"
  | "mandates"
  | "maps-to"
  | "assesses"
  | "repeals";

export interface FamilyDocument {
  id: string;
  shortTitle: string;
  title: string;
  publisher: string;
  date: string;
  kind: string;
  audience: string;
  purpose: string;
  geography: string;
  status?: string;
  catalog?: string;
  url?: string;
  note?: string;
}

export interface FamilyEdge {
  from: string;
  to: string;
  type: EdgeType;
  basis: "guide" | "publication" | "project";
  note?: string;
}

export interface DocumentFamily {
  format: "cairn-document-family/1";
  version: string;
  notes?: string[];
  documents: FamilyDocument[];
  edges: FamilyEdge[];
}
