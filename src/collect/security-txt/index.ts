/**
 * The security.txt collector (RFC 9116): grammar, required and single fields, expiry on the
 * assessment's date, URI rules, the CSAF field (CSAF 2.0 requirement 8), and the OpenPGP cleartext
 * signature verified against keys the user supplies (OpenPGP.js).
 */
import { CairnError } from "../../core/problem.js";
import type {
  CheckDefinition,
  Collector,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
} from "../contract.js";
import { readOptionFiles } from "../support/option-files.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  dayStart,
  decodeUtf8,
  head,
  optionBytes,
  optionString,
} from "../support/report.js";
import { parseRfc3339 } from "../support/time.js";
import { parseLines, type SecurityTxtField, SIGNED_HEADER, splitCleartext } from "./parse.js";
import type { SignatureResult } from "./signature.js";

export const SECURITY_TXT_CHECKS: readonly CheckDefinition[] = [
  { id: "security-txt.encoding", description: "The file is UTF-8 text (RFC 9116 section 4)." },
  {
    id: "security-txt.syntax",
    description:
      "Every line is a field (Name: value), a comment (#) or blank; field names use letters, digits and '-'.",
  },
  { id: "security-txt.line-ending", description: "Every line, the last included, ends with CRLF or LF." },
  {
    id: "security-txt.contact",
    description: "At least one Contact field, each a mailto:, tel: or https: URI.",
  },
  { id: "security-txt.expires", description: "Exactly one Expires field, an RFC 3339 date-time." },
  {
    id: "security-txt.expires.current",
    description: "Expires is after the assessment date: the file is not stale.",
  },
  {
    id: "security-txt.expires.horizon",
    description:
      "Expires is at most a year after the assessment date (RFC 9116 recommends less than a year).",
  },
  { id: "security-txt.once", description: "Expires and Preferred-Languages appear at most once." },
  {
    id: "security-txt.uri",
    description: "Acknowledgments, Canonical, Encryption, Hiring, Policy and CSAF values are URIs.",
  },
  { id: "security-txt.uri-scheme", description: "Web URIs in every field use https://." },
  {
    id: "security-txt.encryption",
    description: "Encryption points to a key (a URI), never holds the key itself.",
  },
  {
    id: "security-txt.canonical",
    description:
      "Canonical is present (recommended for signed files); when the file's URL is given, it is listed.",
  },
  {
    id: "security-txt.preferred-languages",
    description: "Preferred-Languages is a comma-separated list of language tags (RFC 5646).",
  },
  { id: "security-txt.policy", description: "A Policy field links the vulnerability disclosure policy." },
  {
    id: "security-txt.csaf",
    description: "A CSAF field is an https URI of a provider-metadata.json (CSAF 2.0 section 7.1.8).",
  },
  {
    id: "security-txt.unknown-field",
    description: "A field not registered by RFC 9116 or CSAF 2.0 (allowed; listed).",
  },
  {
    id: "security-txt.signature",
    description: "The file carries an OpenPGP cleartext signature (recommended by RFC 9116 section 3).",
  },
  {
    id: "security-txt.signature.coverage",
    description: "Nothing but blank lines lies outside the signed block.",
  },
  {
    id: "security-txt.signature.verified",
    description:
      "The signature verifies with a key the user supplied; the signer's fingerprint and user ids are reported.",
  },
];

const KNOWN = new Set([
  "acknowledgments",
  "canonical",
  "contact",
  "encryption",
  "expires",
  "hiring",
  "policy",
  "preferred-languages",
  "csaf",
]);
const URI_FIELDS = ["acknowledgments", "canonical", "encryption", "hiring", "policy", "csaf"];
// RFC 5646 langtag, privateuse and the common grandfathered forms; enough to reject free text.
const LANGTAG =
  /^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(?:-[\dA-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-x(?:-[A-Za-z\d]{1,8})+)?$|^x(?:-[A-Za-z\d]{1,8})+$|^i-[A-Za-z]{2,8}$/;

/** Failures of these make the file invalid; expiry and signature failures leave it well-formed. */
const VALIDITY = [
  "security-txt.encoding",
  "security-txt.syntax",
  "security-txt.contact",
  "security-txt.expires",
  "security-txt.once",
  "security-txt.uri",
  "security-txt.uri-scheme",
  "security-txt.encryption",
  "security-txt.preferred-languages",
  "security-txt.csaf",
];

const TOOL = { name: "cairn security-txt collector (openpgp 6.3.2)", version: CAIRN_COLLECTOR_VERSION };
const DAY_MS = 86_400_000;

function parseUri(value: string): URL | undefined {
  if (/\s/.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export const securityTxtCollector: Collector = {
  kind: "security-txt",
  title: "security.txt (RFC 9116)",
  checks: SECURITY_TXT_CHECKS,
  options: [
    {
      name: "keys",
      arg: "<file>",
      description:
        "OpenPGP public key (armored or binary) the cleartext signature must verify with (repeatable)",
      repeatable: true,
    },
    {
      name: "url",
      arg: "<url>",
      description: "the URL the file was retrieved from, checked against its Canonical fields",
    },
  ],

  async prepare(options) {
    const url = options.url;
    if (url !== undefined) {
      const parsed = URL.canParse(String(url)) ? new URL(String(url)) : undefined;
      if (!parsed || !/^https?:$/.test(parsed.protocol))
        throw new CairnError(`--url: "${String(url)}" is not an http(s) URL`);
    }
    return readOptionFiles(options, ["keys"]);
  },

  detect(bytes, name) {
    const start = head(bytes, 2048);
    const byName = name !== undefined && /(^|[\\/])security\.txt(\.asc)?$/i.test(name) ? 0.6 : 0;
    if (start.startsWith(SIGNED_HEADER) && /^(contact|expires):/im.test(start)) return 0.9;
    if (/^contact:\s*\S/im.test(start) && /^expires:\s*\S/im.test(start)) return 0.95;
    if (/^contact:\s*\S/im.test(start)) return Math.max(byName, 0.6);
    return byName;
  },

  async collect(input: CollectorInput, context: CollectorContext) {
    const checks = new CheckList(SECURITY_TXT_CHECKS);
    const text = decodeUtf8(input.bytes);
    if (text === undefined) {
      checks.fail("security-txt.encoding", "the file is not valid UTF-8");
      return buildReport("security-txt", "security.txt", false, checks, [], input, TOOL);
    }
    checks.pass("security-txt.encoding", "UTF-8");

    const cleartext = splitCleartext(text);
    let signature: SignatureResult | undefined;
    let lines: ReturnType<typeof parseLines>;
    if (cleartext) {
      lines = parseLines(cleartext.text, cleartext.textFirstLine);
      for (const p of cleartext.problems) checks.fail("security-txt.syntax", p.message, `line ${p.line}`);
      checks.pass("security-txt.signature", "OpenPGP cleartext-signed");
      if (cleartext.outside.length > 0)
        for (const o of cleartext.outside)
          checks.fail(
            "security-txt.signature.coverage",
            "content outside the signed block is not covered by the signature",
            `line ${o.line}`,
          );
      else checks.pass("security-txt.signature.coverage", "the whole file is the signed block");
      const keys = optionBytes(context.options, "keys");
      if (keys.length === 0) {
        checks.warn(
          "security-txt.signature.verified",
          "no key supplied (option keys): the signature was not verified",
        );
      } else {
        // OpenPGP.js is large: loaded only when there is a signature to verify.
        const { verifyCleartext } = await import("./signature.js");
        signature = await verifyCleartext(cleartext.armored, keys, cleartext.text);
        if (signature.verified)
          checks.pass(
            "security-txt.signature.verified",
            `good signature by ${signature.fingerprint}${signature.userIds.length ? ` (${signature.userIds.join(", ")})` : ""}${signature.created ? `, made ${signature.created}` : ""}`,
          );
        else
          checks.fail("security-txt.signature.verified", signature.error ?? "the signature does not verify");
      }
    } else {
      lines = parseLines(text);
      checks.warn(
        "security-txt.signature",
        "not signed (RFC 9116 recommends an OpenPGP cleartext signature)",
      );
    }

    for (const p of lines.problems) checks.fail("security-txt.syntax", p.message, `line ${p.line}`);
    if (lines.problems.length === 0 && !cleartext?.problems.length)
      checks.pass("security-txt.syntax", `${lines.fields.length} fields, ${lines.comments} comments`);
    if (lines.missingFinalEol) checks.warn("security-txt.line-ending", "the last line has no line ending");
    else checks.pass("security-txt.line-ending", "every line ends with a line ending");

    const date = dayStart(context.date);
    const by = (key: string): SecurityTxtField[] => lines.fields.filter((f) => f.key === key);

    // Contact
    const contacts = by("contact");
    let contactOk = contacts.length > 0;
    if (contacts.length === 0) checks.fail("security-txt.contact", "no Contact field (required)");
    for (const f of contacts) {
      const url = parseUri(f.value);
      if (!url) {
        contactOk = false;
        checks.fail(
          "security-txt.contact",
          `Contact ${JSON.stringify(f.value)} is not a URI (an e-mail address is written mailto:...)`,
          `line ${f.line}`,
        );
      } else if (url.protocol === "http:") {
        contactOk = false;
        checks.fail("security-txt.uri-scheme", "a web Contact must use https://", `line ${f.line}`);
      } else if (!["mailto:", "tel:", "https:"].includes(url.protocol)) {
        checks.warn(
          "security-txt.contact",
          `Contact uses the ${url.protocol} scheme (expected mailto:, tel: or https:)`,
          `line ${f.line}`,
        );
      } else checks.pass("security-txt.contact", f.value, `line ${f.line}`);
    }

    // Expires
    const expires = by("expires");
    let expiresAt: Date | undefined;
    if (expires.length === 0) checks.fail("security-txt.expires", "no Expires field (required)");
    else {
      if (expires.length > 1)
        checks.fail(
          "security-txt.once",
          `Expires appears ${expires.length} times (at most once)`,
          `line ${expires[1]?.line}`,
        );
      const f = expires[0] as SecurityTxtField;
      expiresAt = parseRfc3339(f.value);
      if (!expiresAt)
        checks.fail(
          "security-txt.expires",
          `Expires ${JSON.stringify(f.value)} is not an RFC 3339 date-time`,
          `line ${f.line}`,
        );
      else {
        checks.pass("security-txt.expires", expiresAt.toISOString(), `line ${f.line}`);
        if (expiresAt.getTime() <= date.getTime())
          checks.fail(
            "security-txt.expires.current",
            `expired on ${f.value}, before ${context.date}`,
            `line ${f.line}`,
          );
        else checks.pass("security-txt.expires.current", `valid until ${f.value}`, `line ${f.line}`);
        const days = Math.floor((expiresAt.getTime() - date.getTime()) / DAY_MS);
        if (days > 366)
          checks.warn(
            "security-txt.expires.horizon",
            `expires ${days} days after ${context.date} (recommended: less than a year)`,
            `line ${f.line}`,
          );
        else if (days > 0)
          checks.pass(
            "security-txt.expires.horizon",
            `expires ${days} days after ${context.date}`,
            `line ${f.line}`,
          );
      }
    }

    const languages = by("preferred-languages");
    if (languages.length > 1)
      checks.fail(
        "security-txt.once",
        `Preferred-Languages appears ${languages.length} times (at most once)`,
        `line ${languages[1]?.line}`,
      );
    for (const f of languages) {
      const tags = f.value.split(",").map((t) => t.trim());
      const bad = tags.filter((t) => !LANGTAG.test(t));
      if (bad.length)
        checks.fail(
          "security-txt.preferred-languages",
          `not language tags: ${bad.join(", ")}`,
          `line ${f.line}`,
        );
      else checks.pass("security-txt.preferred-languages", tags.join(", "), `line ${f.line}`);
    }

    for (const key of URI_FIELDS)
      for (const f of by(key)) {
        const url = parseUri(f.value);
        if (!url) {
          checks.fail(
            "security-txt.uri",
            `${f.name} ${JSON.stringify(f.value)} is not a URI`,
            `line ${f.line}`,
          );
          if (key === "encryption" && /BEGIN PGP|^[A-Za-z0-9+/=]{60,}$/.test(f.value))
            checks.fail(
              "security-txt.encryption",
              "Encryption holds key material instead of a URI to the key",
              `line ${f.line}`,
            );
          continue;
        }
        if (url.protocol === "http:")
          checks.fail("security-txt.uri-scheme", `${f.name} must use https://`, `line ${f.line}`);
        if (key === "csaf") {
          if (url.protocol !== "https:")
            checks.fail("security-txt.csaf", "the CSAF field must be an https URI", `line ${f.line}`);
          else if (!url.pathname.endsWith("/provider-metadata.json"))
            checks.fail(
              "security-txt.csaf",
              "the CSAF field must point to a provider-metadata.json",
              `line ${f.line}`,
            );
          else checks.pass("security-txt.csaf", f.value, `line ${f.line}`);
        }
      }
    if (by("csaf").length === 0)
      checks.info("security-txt.csaf", "no CSAF field (optional; names the CSAF provider metadata)");

    const policies = by("policy").filter((f) => parseUri(f.value)?.protocol === "https:");
    if (policies.length > 0) checks.pass("security-txt.policy", policies.map((f) => f.value).join(", "));
    else checks.warn("security-txt.policy", "no https Policy field: the disclosure policy is not linked");

    const canonical = by("canonical");
    const location = optionString(context.options, "url");
    if (canonical.length === 0) {
      if (cleartext)
        checks.warn("security-txt.canonical", "signed but no Canonical field (recommended with a signature)");
      else checks.info("security-txt.canonical", "no Canonical field");
    } else if (location !== undefined) {
      if (canonical.some((f) => f.value === location))
        checks.pass("security-txt.canonical", `lists ${location}`);
      else
        checks.fail(
          "security-txt.canonical",
          `retrieved from ${location}, which no Canonical field lists: the content should not be trusted`,
        );
    } else checks.info("security-txt.canonical", canonical.map((f) => f.value).join(", "));

    for (const f of lines.fields)
      if (!KNOWN.has(f.key)) checks.info("security-txt.unknown-field", `field ${f.name}`, `line ${f.line}`);

    const expiresOk = expiresAt !== undefined && expiresAt.getTime() > date.getTime() && expires.length === 1;
    const syntaxOk = !checks.failed("security-txt.syntax");
    const signatureBad =
      checks.failed("security-txt.signature.verified") || checks.failed("security-txt.signature.coverage");
    const valid = !VALIDITY.some((id) => checks.failed(id));
    const proposals = propose(
      contactOk && expiresOk && syntaxOk && !signatureBad,
      policies.length > 0,
      checks,
      signatureBad,
    );

    return buildReport(
      "security-txt",
      cleartext ? "security.txt (OpenPGP cleartext-signed)" : "security.txt",
      valid,
      checks,
      proposals,
      input,
      TOOL,
      {
        fields: lines.fields.map((f) => ({ name: f.name, value: f.value, line: f.line })),
        expires: expiresAt?.toISOString(),
        signature:
          signature ?? (cleartext ? { verified: false, error: "not verified: no key supplied" } : undefined),
      },
    );
  },
};

/**
 * A security.txt shows that a reporting channel is published; it cannot show that reports are
 * handled, so a good file only supports a pass. A stale or contact-less file is a published channel
 * that does not work: it supports a failure, which a person confirms (another channel may exist).
 */
function propose(
  good: boolean,
  hasPolicy: boolean,
  checks: CheckList,
  signatureBad: boolean,
): CollectorProposal[] {
  const basis = ["security-txt.contact", "security-txt.expires", "security-txt.expires.current"];
  const failing = checks.items.filter((c) => c.result === "fail").map((c) => c.id);
  const why = good
    ? "a valid, current security.txt publishes a contact for vulnerability reports"
    : `the security.txt does not work as a reporting channel (${[...new Set(failing)].join(", ")})${signatureBad ? "; its signature does not verify" : ""}`;
  const contactItems = ["eu-cra:annex-ii.2", "nist-ir-8259b:2.1", "nist-sp-800-213a:B.1"];
  const policyItems = ["etsi-en-303-645:5.2-1", "eu-cra:annex-i.part-ii.5"];
  const out: CollectorProposal[] = contactItems.map((item) => ({
    item,
    verdict: good ? "pass" : "fail",
    strength: "supports",
    reason: why,
    checks: basis,
  }));
  for (const item of policyItems)
    out.push({
      item,
      verdict: good ? (hasPolicy ? "pass" : "inconclusive") : "fail",
      strength: "supports",
      reason: good
        ? hasPolicy
          ? `${why}, and links a disclosure policy (its content is not checked)`
          : `${why}, but links no disclosure policy`
        : why,
      checks: [...basis, "security-txt.policy"],
    });
  return out;
}

export default securityTxtCollector;
