/**
 * The MUD collector (RFC 8520): structure and ACLs, the declared flows listed for comparison with
 * what a bench observes, and the CMS signature verified against a CA the user supplies.
 */
import type { CheckDefinition, Collector, CollectorProposal } from "../contract.js";
import { readOptionFiles } from "../support/option-files.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  dayStart,
  decodeUtf8,
  head,
  optionBytes,
  parseJson,
} from "../support/report.js";
import { isMud, readMud } from "./model.js";

export const MUD_CHECKS: readonly CheckDefinition[] = [
  { id: "mud.json", description: "The input is a JSON object with an ietf-mud:mud container." },
  {
    id: "mud.structure",
    description:
      "mud-version 1, https mud-url, last-update date-time, is-supported boolean, cache-validity 1-168 hours, systeminfo at most 60 characters, URIs.",
  },
  { id: "mud.policies", description: "from-device and to-device policies name ACLs that are defined." },
  {
    id: "mud.acls",
    description:
      "ACLs and ACEs: unique names, known types and matches, ports 0-65535, protocols 0-255, direction-initiated on TCP only, accept/drop/reject.",
  },
  {
    id: "mud.flows",
    description:
      "The flows the file declares (info): direction, peer (DNS name, network or MUD abstraction), protocol, ports, action.",
  },
  {
    id: "mud.signature",
    description:
      "The detached CMS signature (option signature) verifies with a CA the user supplies (option trust) on the assessment date.",
  },
  {
    id: "mud.signature.expired",
    description: "The signer's certificate has expired: reported with what verifies when time is set aside.",
  },
];

const TOOL = { name: "cairn mud collector (pkijs 4.0.0)", version: CAIRN_COLLECTOR_VERSION };

export const mudCollector: Collector = {
  kind: "mud",
  title: "Manufacturer Usage Description (RFC 8520)",
  checks: MUD_CHECKS,
  options: [
    {
      name: "signature",
      arg: "<file>",
      description: "the MUD file's detached CMS signature, DER or PEM (RFC 8520 section 13)",
    },
    {
      name: "trust",
      arg: "<file>",
      description: "CA certificate (PEM or DER) the MUD signer must chain to (repeatable)",
      repeatable: true,
    },
  ],

  async prepare(options) {
    return readOptionFiles(options, ["signature", "trust"]);
  },

  detect(bytes) {
    const start = head(bytes, 2048);
    return /^\s*\{/.test(start) && /"ietf-mud:mud"\s*:/.test(start) ? 0.95 : 0;
  },

  async collect(input, context) {
    const checks = new CheckList(MUD_CHECKS);
    const text = decodeUtf8(input.bytes);
    const parsed = text === undefined ? undefined : parseJson(text);
    if (!parsed?.ok || !isMud(parsed.value)) {
      checks.fail(
        "mud.json",
        parsed?.ok ? "no ietf-mud:mud container" : `not JSON${parsed ? `: ${parsed.error}` : " (not UTF-8)"}`,
      );
      return buildReport("mud", "mud", false, checks, [], input, TOOL);
    }
    checks.pass("mud.json", "ietf-mud:mud");
    const doc = readMud(parsed.value);
    for (const [id, list, ok] of [
      ["mud.structure", doc.problems, "the MUD container is well-formed"],
      ["mud.policies", doc.policyProblems, "policies name defined ACLs"],
      ["mud.acls", doc.aclProblems, "ACLs are well-formed"],
    ] as const) {
      for (const p of list.slice(0, 200)) checks.fail(id, p.message, p.at);
      if (list.length === 0) checks.pass(id, ok);
    }
    checks.info(
      "mud.flows",
      `${doc.flows.length} flows: ${doc.flows
        .slice(0, 50)
        .map(
          (f) =>
            `${f.direction} ${f.peer}${f.protocol !== undefined ? ` proto ${f.protocol}` : ""}${f.ports ? ` port ${f.ports}` : ""} ${f.action}`,
        )
        .join("; ")}`,
    );

    const signature = optionBytes(context.options, "signature")[0];
    let sig: Awaited<ReturnType<typeof import("./signature.js").verifyMudSignature>> | undefined;
    if (!signature)
      checks.warn("mud.signature", "no signature supplied (option signature): the file was not verified");
    else {
      // PKI.js is loaded only when there is a signature to verify.
      const { verifyMudSignature } = await import("./signature.js");
      sig = await verifyMudSignature(
        input.bytes,
        signature,
        optionBytes(context.options, "trust"),
        dayStart(context.date),
      );
      const who = sig.signer
        ? ` (signer ${sig.signer.subject}, valid ${sig.signer.notBefore.slice(0, 10)} to ${sig.signer.notAfter.slice(0, 10)})`
        : "";
      if (sig.verified) checks.pass("mud.signature", `signature and chain verify${who}`);
      else if (sig.error === "no CA supplied (option trust)")
        checks.warn(
          "mud.signature",
          `no CA supplied (option trust); the signature over the file ${sig.signatureVerified ? "verifies" : "does not verify"} with the signer's own certificate${who}`,
        );
      else checks.fail("mud.signature", `${sig.error ?? "does not verify"}${who}`);
      if (sig.expired)
        checks.fail(
          "mud.signature.expired",
          `the signer's certificate expired on ${sig.signer?.notAfter}; with time set aside the signature ${sig.signatureVerified ? "verifies" : "does not verify"} and the chain to the supplied CA ${sig.chainVerifiedIgnoringTime ? "verifies" : "does not verify"}`,
        );
    }
    const valid =
      !checks.failed("mud.structure") && !checks.failed("mud.policies") && !checks.failed("mud.acls");
    const proposals: CollectorProposal[] = [];
    if (valid) {
      const signed = checks.passed("mud.signature");
      for (const item of ["nist-ir-8259b:1.1.c", "nist-sp-800-213a:A.1.c"])
        proposals.push({
          item,
          verdict: "pass",
          strength: "supports",
          reason: `a well-formed MUD file documents ${doc.flows.length} network flows${signed ? ", signed by the manufacturer" : ""}; whether the device keeps to them needs a bench`,
          checks: ["mud.structure", "mud.policies", "mud.acls", "mud.signature"],
        });
    }
    const mud = doc.mud;
    return buildReport("mud", "mud-rfc8520", valid, checks, proposals, input, TOOL, {
      mud: {
        url: mud["mud-url"],
        lastUpdate: mud["last-update"],
        systeminfo: mud.systeminfo,
        manufacturer: mud["mfg-name"],
        model: mud["model-name"],
        signatureUrl: mud["mud-signature"],
      },
      flows: doc.flows.slice(0, 10_000),
      signature: sig,
    });
  },
};

export default mudCollector;
