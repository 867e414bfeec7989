import { type Permission, can as roleCan } from "../../../src/core/roles.js";
import type { Me } from "../types.js";

// The server's own table of roles (src/core/roles.ts), used only to hide what the server would
// refuse; the server decides.
export type { Permission };

export function can(me: Me | undefined, permission: Permission): boolean {
  return me ? roleCan(me.user.role, me.user.siteAdmin, permission) : false;
}
