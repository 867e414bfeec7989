// The shapes the API returns, shared by the server and the web UI: types only (and the role list),
// so the UI can import them without pulling in the database driver.
import type { Assessment, AssessmentKind, AssessmentStatus, Finding, Product } from "../assessment/model.js";

export type Role = "admin" | "editor" | "assessor" | "viewer";
export const ROLES: readonly Role[] = ["admin", "editor", "assessor", "viewer"];

export interface OrganisationDto {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface UserDto {
  id: string;
  organisation: string;
  email: string;
  name: string;
  role: Role;
  siteAdmin: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TokenDto {
  id: string;
  name: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

export interface ProfileSummaryDto {
  id: string;
  title: string;
  itemCount: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
  version: number;
}

export interface ProductDto extends Product {
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type FindingDto = Finding & { version: number };

export type AssessmentDto = Omit<Assessment, "findings"> & {
  findings: FindingDto[];
  version: number;
  revision: number;
};

export interface AssessmentSummaryDto {
  id: string;
  title: string;
  kind: AssessmentKind;
  status: AssessmentStatus;
  product: { id: string; manufacturer: string; model: string };
  release: string;
  profile: string;
  created: string;
  updated: string;
  version: number;
}
