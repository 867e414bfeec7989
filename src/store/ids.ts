import { createHash, randomBytes } from "node:crypto";

/** A random id with a type prefix: `prd_3kq...` (120 bits, base64url). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(15).toString("base64url")}`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function now(): string {
  return new Date().toISOString();
}

/** The pattern every generated id matches (route parameters are checked against it). */
export const ID_PATTERN = "^[a-z]{2,4}_[A-Za-z0-9_-]{20}$";
