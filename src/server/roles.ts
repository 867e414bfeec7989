import type { Role } from "../store/repository.js";

/**
 * What each role may do. Every role reads its own organisation's data and the shared catalogs;
 * nobody reads or writes another organisation's data, whatever the role (the store filters by
 * organisation, the API answers 404).
 */
export type Permission =
  | "read"
  | "tokens"
  | "product.write"
  | "profile.write"
  | "assessment.write"
  | "assessment.close"
  | "finding.write"
  | "finding.signoff"
  | "evidence.write"
  | "users.manage"
  | "organisation.manage"
  | "audit.read"
  /** Instance operator: create organisations (and their first admin). Not a role: a flag on a user. */
  | "site.admin";

const VIEWER: Permission[] = ["read", "tokens"];
const EDITOR: Permission[] = [
  ...VIEWER,
  "product.write",
  "profile.write",
  "assessment.write",
  "finding.write",
  "evidence.write",
];
const ASSESSOR: Permission[] = [
  ...VIEWER,
  "profile.write",
  "assessment.write",
  "assessment.close",
  "finding.write",
  "finding.signoff",
  "evidence.write",
];
const ADMIN: Permission[] = [
  ...new Set<Permission>([...EDITOR, ...ASSESSOR, "users.manage", "organisation.manage", "audit.read"]),
];

export const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: VIEWER,
  editor: EDITOR,
  assessor: ASSESSOR,
  admin: ADMIN,
};

export function can(role: Role, siteAdmin: boolean, permission: Permission): boolean {
  if (permission === "site.admin") return siteAdmin;
  return GRANTS[role]?.includes(permission) ?? false;
}
