import type { CatalogItem } from "../catalog/model.js";
import type { Obligation, ProfileItem, SourceStatus } from "./model.js";

const STATUSES: readonly SourceStatus[] = ["M", "R", "M C", "R C"];

/** The catalog whose Table B.1 statuses govern "not applicable" (EN 303 645 clause 4, Annex B). */
export const EN_303_645 = "etsi-en-303-645";

/**
 * How firmly a catalog item is asked for, and the source's own status where it prints one
 * (EN 303 645 Table B.1: M, R, M C, R C, with its condition numbers). Profile items carry these so
 * that rules on them (not applicable, clause 4 justifications) need no catalog at hand.
 */
export function obligationFields(
  item: CatalogItem,
): Pick<ProfileItem, "obligation"> & Partial<Pick<ProfileItem, "status" | "conditions">> {
  const status = item.props.status;
  const conditional = item.props.conditional === true;
  const obligation: Obligation = conditional
    ? "conditional"
    : item.props.modal === "should"
      ? "recommended"
      : "required";
  const out: Pick<ProfileItem, "obligation"> & Partial<Pick<ProfileItem, "status" | "conditions">> = {
    obligation,
  };
  if (typeof status === "string" && (STATUSES as readonly string[]).includes(status))
    out.status = status as SourceStatus;
  const numbers = item.props.tableB1Conditions;
  if (Array.isArray(numbers) && numbers.length > 0) out.conditions = [...numbers];
  return out;
}

/**
 * Why "not applicable" may not be declared for a profile item, or undefined when it may.
 *
 * EN 303 645 (clause 4 and Table B.1) lets a supplier declare a provision not applicable only when
 * the provision is conditional (status M C or R C) and its condition does not hold. An
 * unconditional mandatory provision (M) must be met; an unconditional recommendation (R) may be
 * declared not implemented (not supported), with the justification provision 4-1 asks for, but not
 * "not applicable". Other catalogs have no such rule here: undefined.
 *
 * Reads the item's `status` (Table B.1, set on profiles built since rules 2026.12); a profile item
 * made before that has none, and its `obligation` decides instead (conditional: allowed).
 */
export function notApplicableRefusal(
  item: Pick<ProfileItem, "id" | "catalog" | "label" | "obligation"> & Partial<Pick<ProfileItem, "status">>,
): string | undefined {
  if (item.catalog !== EN_303_645) return undefined;
  const status: SourceStatus =
    item.status ??
    (item.obligation === "conditional" ? "M C" : item.obligation === "recommended" ? "R" : "M");
  if (status.endsWith("C")) return undefined;
  const from = item.status ? `Table B.1 status ${status}` : `obligation ${item.obligation}`;
  return status === "M"
    ? `EN 303 645 ${item.label} is mandatory without condition (${from}): "not applicable" may be declared only for a conditional provision (M C, R C); it must be met`
    : `EN 303 645 ${item.label} is a recommendation without condition (${from}): "not applicable" may be declared only for a conditional provision (M C, R C); declare it not supported, with a justification (EN 303 645 clause 4, provision 4-1), instead`;
}
