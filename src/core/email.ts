/**
 * E-mail addresses as logins: one check of their form, one normalisation (what an address is
 * stored and looked up as), and a skeleton that equal-looking addresses share, so that
 * `аdmin@acme.example` (Cyrillic а) cannot be created beside `admin@acme.example`. Pure; the CLI's
 * `admin create` and the API's user and organisation routes all go through `prepareEmail` and
 * `emailConflict`, in the identity store (src/store/identity.ts).
 *
 * The skeleton is UTS #39's (Unicode Security Mechanisms, section 4) applied to the normalised
 * address: NFD, default-ignorable code points removed, each character replaced by its prototype
 * from Unicode's confusables table (version 13.0.0, as the npm package `unhomoglyph` ships it;
 * scripts/generate-confusables.mjs), NFD again.
 */
import { CONFUSABLES } from "../generated/confusables.js";

export const MAX_EMAIL_LENGTH = 254;

/**
 * Why an address is not acceptable as a login, or undefined. Internationalised addresses (RFC
 * 6531: letters of any script) are accepted; whitespace, control, format and private-use
 * characters are not, nor more than one `@`, an empty part or a domain without a dot.
 */
export function emailProblem(raw: string): string | undefined {
  if (typeof raw !== "string") return "must be a string";
  const email = raw.normalize("NFKC");
  if (email.length === 0) return "must not be empty";
  if (email.length > MAX_EMAIL_LENGTH) return `at most ${MAX_EMAIL_LENGTH} characters`;
  if (/[\p{C}\p{Z}]/u.test(email))
    return "must not contain spaces, control, format (bidirectional, zero-width) or unassigned characters";
  const at = email.split("@");
  if (at.length !== 2) return "must have exactly one @";
  const [local = "", domain = ""] = at;
  if (local.length === 0 || local.length > 64) return "the part before @ must have 1 to 64 characters";
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return "the part before @ must not start or end with a dot, nor have two in a row";
  if (/["(),:;<>[\\\]]/.test(local)) return "the part before @ has a character addresses do not use";
  const labels = domain.split(".");
  if (labels.length < 2 || labels.some((l) => l.length === 0 || l.length > 63))
    return "the domain must be names separated by dots (example.org)";
  if (labels.some((l) => !/^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u.test(l)))
    return "the domain may hold letters, digits and inner hyphens only";
  return undefined;
}

/**
 * What an address is stored and looked up as: NFKC, full case folding, NFKC again (Unicode's
 * NFKC_Casefold, less the removal of ignorables, which `emailProblem` refuses). Upper-casing then
 * lower-casing gives full case folding for what matters here (ß -> ss, ς -> σ, K (Kelvin) -> k);
 * JavaScript has no case fold of its own. `Admin@ACME.example` and `admin@acme.example` are one login.
 */
export function normaliseEmail(raw: string): string {
  // toLowerCase writes a word-final sigma as ς; case folding makes every sigma σ.
  return raw
    .normalize("NFKC")
    .toUpperCase()
    .toLowerCase()
    .replace(/\u03C2/g, "\u03C3")
    .normalize("NFKC");
}

/** The UTS #39 skeleton of the normalised address: two addresses that look alike share it. */
export function emailSkeleton(raw: string): string {
  const nfd = normaliseEmail(raw)
    .normalize("NFD")
    .replace(/\p{Default_Ignorable_Code_Point}/gu, "");
  let out = "";
  for (const ch of nfd) out += CONFUSABLES.get(ch) ?? ch;
  return out.normalize("NFD");
}

export type PreparedEmail = { ok: true; email: string; skeleton: string } | { ok: false; problem: string };

/** The one entry point for a new or changed address: its problem, or its normalised form and skeleton. */
export function prepareEmail(raw: string): PreparedEmail {
  const problem = emailProblem(raw);
  if (problem !== undefined) return { ok: false, problem };
  return { ok: true, email: normaliseEmail(raw), skeleton: emailSkeleton(raw) };
}

/** A user whose address has the same skeleton as the one being given (the store finds them by skeleton). */
export interface LookAlike {
  orgId: string;
  email: string;
  /** The user being changed, when an address is changed: not a conflict with itself. */
  id?: string;
}

/**
 * Whether an address may be given to a user of `orgId`, given the users whose addresses share its
 * skeleton: undefined when none does. Inside the organisation the answer names the address it
 * looks like (its admins see its users anyway). For another organisation's user it says no more
 * than that the address cannot be used: the same words whether the address is taken exactly or
 * only looks like one, so the answer does not tell which address exists there, nor the
 * organisation. (That an address is refused at all cannot be hidden while logins are global; only
 * admins can ask, and each refusal should be audited.)
 */
export function emailConflict(
  orgId: string,
  lookAlikes: readonly LookAlike[],
  self?: string,
): string | undefined {
  const others = lookAlikes.filter((u) => self === undefined || u.id !== self);
  const own = others.find((u) => u.orgId === orgId);
  if (own) return `a user of this organisation has this address, or one that looks the same (${own.email})`;
  if (others.length > 0) return "this address cannot be used; choose another";
  return undefined;
}
