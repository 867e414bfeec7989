// The shapes the API returns, shared by the server and the web UI: types only (and the role list),
// so the UI can import them without pulling in the database driver.
import type { Assessment, AssessmentKind, AssessmentStatus, Finding, Product } from "../assessment/model.js";

import type { Role } from "../core/roles.js";

export { ROLES, type Role } from "../core/roles.js";

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
  /** Disabled by an admin: cannot sign in, has no session and no live API token. */
  disabled: boolean;
  disabledAt?: string;
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

/** A token of the organisation as its admins see it: whose it is. */
export interface OrgTokenDto extends TokenDto {
  user: { id: string; email: string; name: string };
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

/**
 * An assessment as the API returns it: its document (cairn-assessment/1, as in a folder's
 * assessment.json) with every finding's version, and the server's handles beside it.
 */
export type AssessmentDto = Omit<Assessment, "findings"> & {
  findings: FindingDto[];
  /** The revision, named as the version a change of the assessment's own fields must match. */
  version: number;
  /** Bumped by every change to the assessment, its findings or its evidence. */
  revision: number;
  /** The id the document carries (an assessment folder's own id; the server's id for one made here). */
  documentId: string;
  /** The server's product and profile records (the document's product and profile ids are its own). */
  productId: string;
  profileId: string;
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
