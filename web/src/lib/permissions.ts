import type { Me, Role } from "../types.js";

// Mirrors src/server/roles.ts, only to hide what the server would refuse; the server decides.
export type Permission =
  | "product.write"
  | "profile.write"
  | "assessment.write"
  | "assessment.close"
  | "finding.write"
  | "finding.signoff"
  | "evidence.write"
  | "users.manage"
  | "organisation.manage"
  | "audit.read";

const EDITOR: Permission[] = [
  "product.write",
  "profile.write",
  "assessment.write",
  "finding.write",
  "evidence.write",
];
const ASSESSOR: Permission[] = [
  "profile.write",
  "assessment.write",
  "assessment.close",
  "finding.write",
  "finding.signoff",
  "evidence.write",
];
const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: [],
  editor: EDITOR,
  assessor: ASSESSOR,
  admin: [
    ...new Set<Permission>([...EDITOR, ...ASSESSOR, "users.manage", "organisation.manage", "audit.read"]),
  ],
};

export function can(me: Me | undefined, permission: Permission): boolean {
  return me ? (GRANTS[me.user.role]?.includes(permission) ?? false) : false;
}
