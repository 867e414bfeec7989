/**
 * RFC 9116 security.txt: the line grammar (fields, comments, blank lines) and the split of an
 * OpenPGP cleartext-signed file into its parts. Pure and linear in the input.
 */

export interface SecurityTxtField {
  /** As written in the file. */
  name: string;
  /** Lower-cased, for matching (field names are case-insensitive). */
  key: string;
  value: string;
  line: number;
}

export interface SecurityTxtSyntaxProblem {
  line: number;
  message: string;
}

export interface SecurityTxtLines {
  fields: SecurityTxtField[];
  comments: number;
  problems: SecurityTxtSyntaxProblem[];
  /** The last line has no line ending (the grammar ends every line with CRLF or LF). */
  missingFinalEol: boolean;
}

const FIELD_NAME = /^[A-Za-z0-9-]+$/;
// VCHAR, WSP and any non-ASCII character: the grammar's "unstructured" value and comment text.
const TEXT = /^[\t\x20-\x7e\u0080-\u{10ffff}]*$/u;

/** Parses the unsigned body (or the signed text) line by line; `firstLine` numbers lines in the file. */
export function parseLines(text: string, firstLine = 1): SecurityTxtLines {
  const fields: SecurityTxtField[] = [];
  const problems: SecurityTxtSyntaxProblem[] = [];
  let comments = 0;
  const lines = text.split("\n");
  const missingFinalEol = text.length > 0 && !text.endsWith("\n");
  if (!missingFinalEol) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const n = firstLine + i;
    if (line.includes("\r")) {
      problems.push({ line: n, message: "a carriage return inside the line (lines end with CRLF or LF)" });
      continue;
    }
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      comments++;
      if (!TEXT.test(line)) problems.push({ line: n, message: "a control character in a comment" });
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      problems.push({ line: n, message: "neither a field (Name: value), a comment (#) nor a blank line" });
      continue;
    }
    const name = line.slice(0, colon);
    if (!FIELD_NAME.test(name)) {
      problems.push({
        line: n,
        message: `field name ${JSON.stringify(name)} has characters other than letters, digits and "-"`,
      });
      continue;
    }
    const rest = line.slice(colon + 1);
    if (!rest.startsWith(" "))
      problems.push({ line: n, message: `field ${name}: a single space must follow the colon` });
    const value = rest.trim();
    if (value === "") {
      problems.push({ line: n, message: `field ${name} has no value` });
      continue;
    }
    if (!TEXT.test(value)) {
      problems.push({ line: n, message: `field ${name}: a control character in the value` });
      continue;
    }
    fields.push({ name, key: name.toLowerCase(), value, line: n });
  }
  return { fields, comments, problems, missingFinalEol };
}

export const SIGNED_HEADER = "-----BEGIN PGP SIGNED MESSAGE-----";
const SIGNATURE_BEGIN = "-----BEGIN PGP SIGNATURE-----";
const SIGNATURE_END = "-----END PGP SIGNATURE-----";

export interface CleartextParts {
  /** The whole signed block, from the header line to the end of the signature (for the OpenPGP library). */
  armored: string;
  /** The signed text, dash-escaping removed, and the file line its first line is on. */
  text: string;
  textFirstLine: number;
  /** Non-blank content before the header or after the signature: not covered by the signature. */
  outside: { line: number; text: string }[];
  problems: SecurityTxtSyntaxProblem[];
}

/**
 * Splits a cleartext-signed file (RFC 9580 section 7). The signed text is recovered here, and not
 * only by the OpenPGP library, so that an unsigned reading and line numbers are available even when
 * no key is supplied or the signature is broken.
 */
export function splitCleartext(text: string): CleartextParts | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trimEnd() === SIGNED_HEADER);
  if (start < 0) return undefined;
  const problems: SecurityTxtSyntaxProblem[] = [];
  const outside: { line: number; text: string }[] = [];
  for (let i = 0; i < start; i++) {
    const l = lines[i] as string;
    if (l.trim() !== "") outside.push({ line: i + 1, text: l });
  }
  // Armor headers ("Hash: SHA512") up to the first empty line.
  let i = start + 1;
  while (i < lines.length && (lines[i] as string).trim() !== "") {
    if (!/^[A-Za-z-]+: /.test(lines[i] as string))
      problems.push({ line: i + 1, message: "not an armor header" });
    i++;
  }
  if (i >= lines.length) {
    problems.push({
      line: start + 1,
      message: "the signed message has no empty line after its armor headers",
    });
    return { armored: text, text: "", textFirstLine: start + 2, outside, problems };
  }
  const textFirst = i + 1;
  const sigBegin = lines.findIndex((l, k) => k >= textFirst && l.trimEnd() === SIGNATURE_BEGIN);
  if (sigBegin < 0) {
    problems.push({ line: start + 1, message: `no ${SIGNATURE_BEGIN} line` });
    return { armored: text, text: "", textFirstLine: textFirst + 1, outside, problems };
  }
  const sigEnd = lines.findIndex((l, k) => k > sigBegin && l.trimEnd() === SIGNATURE_END);
  if (sigEnd < 0) problems.push({ line: sigBegin + 1, message: `no ${SIGNATURE_END} line` });
  else
    for (let k = sigEnd + 1; k < lines.length; k++) {
      const l = lines[k] as string;
      if (l.trim() !== "") outside.push({ line: k + 1, text: l });
    }
  const body = lines.slice(textFirst, sigBegin).map((l) => {
    if (l.startsWith("- ")) return l.slice(2);
    return l;
  });
  const armoredLines = lines.slice(start, sigEnd < 0 ? lines.length : sigEnd + 1);
  // The line ending before the signature belongs to the armor, not to the signed text.
  return {
    armored: `${armoredLines.join("\n")}\n`,
    text: body.length > 0 ? `${body.join("\n")}\n` : "",
    textFirstLine: textFirst + 1,
    outside,
    problems,
  };
}
