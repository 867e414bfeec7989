// The roles and their permissions are one pure module shared with the web UI.
export { can, GRANTS, type Permission } from "../core/roles.js";
