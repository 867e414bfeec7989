/** Small helpers and the key lists shared by the phases. */
import type { Control, Group, Property } from "../profile-types.js";
import type { Report } from "./types.js";

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Like isObject, without narrowing (narrowing an already typed value would blur its type). */
export function isPlain(v: unknown): boolean {
  return isObject(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function keepAlways(props: Property[] | undefined): boolean {
  return props?.some((p) => p.name === "keep" && p.value === "always") ?? false;
}

/** The content of a control or group without its child controls and groups, as a string. */
export function contentKey(a: Control | Group): string {
  const { controls: _c, groups: _g, ...rest } = a as Group;
  return JSON.stringify(rest);
}

export function sameContent(a: Control | Group, b: Control | Group): boolean {
  return contentKey(a) === contentKey(b);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const PROFILE_KEYS = new Set(["uuid", "metadata", "imports", "merge", "modify", "back-matter"]);
export const IMPORT_KEYS = new Set(["href", "include-all", "include-controls", "exclude-controls"]);
export const SELECT_KEYS = new Set(["with-child-controls", "with-ids", "matching"]);
export const MERGE_KEYS = new Set(["combine", "flat", "as-is", "custom"]);
export const COMBINE_KEYS = new Set(["method"]);
export const CUSTOM_KEYS = new Set(["groups", "insert-controls"]);
export const CUSTOM_GROUP_KEYS = new Set([
  "id",
  "class",
  "title",
  "params",
  "props",
  "links",
  "parts",
  "groups",
  "insert-controls",
]);
export const INSERT_KEYS = new Set(["order", "include-all", "include-controls", "exclude-controls"]);
export const MODIFY_KEYS = new Set(["set-parameters", "alters"]);
export const SET_PARAM_KEYS = new Set([
  "param-id",
  "class",
  "depends-on",
  "props",
  "links",
  "label",
  "usage",
  "constraints",
  "guidelines",
  "values",
  "select",
]);
export const ALTER_KEYS = new Set(["control-id", "removes", "adds"]);
export const REMOVE_KEYS = new Set([
  "by-name",
  "by-class",
  "by-id",
  "by-item-name",
  "by-ns",
  "remarks",
  "name-ref",
  "class-ref",
  "id-ref",
  "item-name",
  "ns-ref",
]);
export const ADD_KEYS = new Set(["position", "by-id", "title", "params", "props", "links", "parts"]);

/** Reports every key the resolver does not know, so that nothing is dropped silently. */
export function checkKeys(obj: object, known: ReadonlySet<string>, loc: string, report: Report): void {
  for (const k of Object.keys(obj)) {
    if (!known.has(k)) report(loc ? `${loc}.${k}` : k, `"${k}" is not supported by the resolver: ignored`);
  }
}
