/**
 * What each role may do: the one list the server enforces (src/server/auth.ts) and the web UI reads
 * to hide what the server would refuse (web/src/lib/permissions.ts). Pure, no imports: the UI
 * bundles it as it is.
 *
 * Every role reads its own organisation's data and the shared catalogs; nobody reads or writes
 * another organisation's data, whatever the role (the store filters by organisation, the API
 * answers 404).
 */
export type Role = "admin" | "editor" | "assessor" | "viewer";
export const ROLES: readonly Role[] = ["admin", "editor", "assessor", "viewer"];

export type Permission =
  | "read"
  /** Own API tokens: list, revoke; create them from a password session only (a token mints none). */
  | "tokens"
  | "product.write"
  | "profile.write"
  | "assessment.write"
  | "assessment.close"
  | "finding.write"
  | "finding.signoff"
  | "evidence.write"
  /** Add users, change roles, disable and enable users, issue password resets, revoke any token. */
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

export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  editor: EDITOR,
  assessor: ASSESSOR,
  admin: ADMIN,
};

export function can(role: Role, siteAdmin: boolean, permission: Permission): boolean {
  if (permission === "site.admin") return siteAdmin;
  return GRANTS[role]?.includes(permission) ?? false;
}
