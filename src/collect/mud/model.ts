/**
 * RFC 8520 Manufacturer Usage Description: the `ietf-mud:mud` container and the
 * `ietf-access-control-list:acls` it points to (RFC 8519 ACLs with the MUD and DNS-name
 * augmentations), read into the declared flows. Structural rules follow the RFC's YANG modules.
 */
import { isRecord } from "../support/report.js";
import { parseRfc3339 } from "../support/time.js";

export interface MudFlow {
  direction: "from-device" | "to-device";
  acl: string;
  ace: string;
  action: string;
  family: string;
  protocol?: number | string;
  /** A DNS name, a network, or a MUD abstraction (controller, local-networks, same-manufacturer...). */
  peer: string;
  ports?: string;
  initiatedBy?: string;
}

type Problems = { at: string; message: string }[];

const ACL_TYPES = new Set([
  "ipv4-acl-type",
  "ipv6-acl-type",
  "eth-acl-type",
  "mixed-eth-ipv4-acl-type",
  "mixed-eth-ipv6-acl-type",
  "mixed-eth-ipv4-ipv6-acl-type",
]);
const MATCH_KEYS = new Set([
  "ipv4",
  "ipv6",
  "eth",
  "tcp",
  "udp",
  "icmp",
  "l2",
  "l3",
  "l4",
  "ietf-mud:mud",
  "egress-interface",
  "ingress-interface",
]);
const MUD_ABSTRACTIONS = [
  "manufacturer",
  "same-manufacturer",
  "model",
  "local-networks",
  "controller",
  "my-controller",
];
const FORWARDING = new Set([
  "accept",
  "drop",
  "reject",
  "ietf-access-control-list:accept",
  "ietf-access-control-list:drop",
  "ietf-access-control-list:reject",
]);

const strip = (v: string) => v.replace(/^ietf-(access-control-list|mud):/, "");

function portText(p: unknown): string | undefined {
  if (!isRecord(p)) return undefined;
  if ("port" in p) return `${strip(String(p.operator ?? "eq"))} ${p.port}`;
  if ("lower-port" in p || "upper-port" in p) return `${p["lower-port"]}-${p["upper-port"]}`;
  return undefined;
}

function checkPort(p: unknown, at: string, problems: Problems): void {
  if (!isRecord(p)) {
    problems.push({ at, message: "not an object" });
    return;
  }
  const ok = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
  if ("port" in p) {
    if (!ok(p.port)) problems.push({ at: `${at}/port`, message: "not a port number (0-65535)" });
    if ("operator" in p && !["eq", "lte", "gte", "neq", "lt", "gt"].includes(strip(String(p.operator))))
      problems.push({ at: `${at}/operator`, message: `unknown operator ${String(p.operator)}` });
  } else if ("lower-port" in p || "upper-port" in p) {
    if (
      !ok(p["lower-port"]) ||
      !ok(p["upper-port"]) ||
      (p["lower-port"] as number) > (p["upper-port"] as number)
    )
      problems.push({ at, message: "not a port range lower-port <= upper-port within 0-65535" });
  } else problems.push({ at, message: "neither port nor lower-port/upper-port" });
}

export interface MudDocument {
  mud: Record<string, unknown>;
  flows: MudFlow[];
  problems: Problems;
  policyProblems: Problems;
  aclProblems: Problems;
}

export function isMud(doc: unknown): doc is Record<string, unknown> {
  return isRecord(doc) && isRecord(doc["ietf-mud:mud"]);
}

export function readMud(doc: Record<string, unknown>): MudDocument {
  const mud = doc["ietf-mud:mud"] as Record<string, unknown>;
  const problems: Problems = [];
  for (const k of ["mud-version", "mud-url", "last-update", "is-supported"])
    if (!(k in mud)) problems.push({ at: `/ietf-mud:mud/${k}`, message: "required leaf is missing" });
  if ("mud-version" in mud && mud["mud-version"] !== 1)
    problems.push({ at: "/ietf-mud:mud/mud-version", message: "mud-version is not 1" });
  for (const k of ["mud-url", "mud-signature", "documentation"]) {
    if (!(k in mud)) continue;
    let url: URL | undefined;
    try {
      url = new URL(String(mud[k]));
    } catch {
      url = undefined;
    }
    if (!url) problems.push({ at: `/ietf-mud:mud/${k}`, message: "not a URI" });
    else if (k === "mud-url" && url.protocol !== "https:")
      problems.push({
        at: `/ietf-mud:mud/${k}`,
        message: "the MUD URL must use https (RFC 8520 section 10)",
      });
  }
  if ("last-update" in mud && !(typeof mud["last-update"] === "string" && parseRfc3339(mud["last-update"])))
    problems.push({ at: "/ietf-mud:mud/last-update", message: "not a date-time" });
  if (
    "cache-validity" in mud &&
    !(
      Number.isInteger(mud["cache-validity"]) &&
      (mud["cache-validity"] as number) >= 1 &&
      (mud["cache-validity"] as number) <= 168
    )
  )
    problems.push({ at: "/ietf-mud:mud/cache-validity", message: "not an hour count from 1 to 168" });
  if ("is-supported" in mud && typeof mud["is-supported"] !== "boolean")
    problems.push({ at: "/ietf-mud:mud/is-supported", message: "not a boolean" });
  if ("systeminfo" in mud && !(typeof mud.systeminfo === "string" && mud.systeminfo.length <= 60))
    problems.push({ at: "/ietf-mud:mud/systeminfo", message: "not a string of at most 60 characters" });

  // ACLs and the policies that name them.
  const aclProblems: Problems = [];
  const aclsContainer = doc["ietf-access-control-list:acls"];
  const acls = isRecord(aclsContainer) && Array.isArray(aclsContainer.acl) ? aclsContainer.acl : [];
  if (!isRecord(aclsContainer))
    aclProblems.push({ at: "/ietf-access-control-list:acls", message: "no ACL container" });
  const byName = new Map<string, Record<string, unknown>>();
  acls.forEach((acl, i) => {
    const at = `/ietf-access-control-list:acls/acl/${i}`;
    if (!isRecord(acl) || typeof acl.name !== "string") {
      aclProblems.push({ at, message: "an ACL without a name" });
      return;
    }
    if (byName.has(acl.name)) aclProblems.push({ at, message: `ACL name ${acl.name} is used twice` });
    byName.set(acl.name, acl);
    if ("type" in acl && !ACL_TYPES.has(strip(String(acl.type))))
      aclProblems.push({ at: `${at}/type`, message: `unknown ACL type ${String(acl.type)}` });
    const aces = isRecord(acl.aces) && Array.isArray(acl.aces.ace) ? acl.aces.ace : [];
    const aceNames = new Set<string>();
    aces.forEach((ace, j) => {
      const aat = `${at}/aces/ace/${j}`;
      if (!isRecord(ace) || typeof ace.name !== "string") {
        aclProblems.push({ at: aat, message: "an ACE without a name" });
        return;
      }
      if (aceNames.has(ace.name))
        aclProblems.push({ at: aat, message: `ACE name ${ace.name} is used twice in ${acl.name}` });
      aceNames.add(ace.name);
      const m = isRecord(ace.matches) ? ace.matches : {};
      for (const k of Object.keys(m))
        if (!MATCH_KEYS.has(k))
          aclProblems.push({ at: `${aat}/matches/${k}`, message: `unknown match ${k}` });
      for (const l4 of ["tcp", "udp"])
        if (isRecord(m[l4]))
          for (const side of ["source-port", "destination-port"])
            if (side in (m[l4] as object))
              checkPort(
                (m[l4] as Record<string, unknown>)[side],
                `${aat}/matches/${l4}/${side}`,
                aclProblems,
              );
      if (isRecord(m.udp) && "ietf-mud:direction-initiated" in m.udp)
        aclProblems.push({ at: `${aat}/matches/udp`, message: "direction-initiated applies to TCP only" });
      for (const l3 of ["ipv4", "ipv6"])
        if (isRecord(m[l3]) && "protocol" in (m[l3] as object)) {
          const p = (m[l3] as Record<string, unknown>).protocol;
          if (!(Number.isInteger(p) && (p as number) >= 0 && (p as number) <= 255))
            aclProblems.push({
              at: `${aat}/matches/${l3}/protocol`,
              message: "not a protocol number (0-255)",
            });
        }
      const fwd = isRecord(ace.actions) ? ace.actions.forwarding : undefined;
      if (!FORWARDING.has(String(fwd)))
        aclProblems.push({
          at: `${aat}/actions/forwarding`,
          message: `forwarding ${String(fwd)} is not accept, drop or reject`,
        });
    });
  });

  const policyProblems: Problems = [];
  const flows: MudFlow[] = [];
  for (const direction of ["from-device", "to-device"] as const) {
    const policy = mud[`${direction}-policy`];
    const at = `/ietf-mud:mud/${direction}-policy`;
    if (policy === undefined) continue;
    const names =
      isRecord(policy) &&
      isRecord(policy["access-lists"]) &&
      Array.isArray(policy["access-lists"]["access-list"])
        ? policy["access-lists"]["access-list"]
        : undefined;
    if (!names) {
      policyProblems.push({ at, message: "no access-lists/access-list" });
      continue;
    }
    for (const ref of names) {
      const name = isRecord(ref) ? ref.name : undefined;
      const acl = typeof name === "string" ? byName.get(name) : undefined;
      if (!acl) {
        policyProblems.push({ at, message: `names ACL ${String(name)}, which is not defined` });
        continue;
      }
      const aces = isRecord(acl.aces) && Array.isArray(acl.aces.ace) ? acl.aces.ace : [];
      for (const ace of aces) {
        if (!isRecord(ace)) continue;
        const m = isRecord(ace.matches) ? ace.matches : {};
        const l3key = ["ipv6", "ipv4", "eth"].find((k) => isRecord(m[k]));
        const l3 = l3key ? (m[l3key] as Record<string, unknown>) : {};
        const mudm = isRecord(m["ietf-mud:mud"]) ? m["ietf-mud:mud"] : {};
        const dns = (l3["ietf-acldns:dst-dnsname"] ?? l3["ietf-acldns:src-dnsname"]) as string | undefined;
        const net = (l3["destination-ipv4-network"] ??
          l3["destination-ipv6-network"] ??
          l3["source-ipv4-network"] ??
          l3["source-ipv6-network"]) as string | undefined;
        const abstraction = MUD_ABSTRACTIONS.filter((k) => k in mudm).map(
          (
            k, // YANG "empty" leaves are [null] in JSON (RFC 7951).
          ) =>
            mudm[k] === null || (Array.isArray(mudm[k]) && (mudm[k] as unknown[]).every((x) => x === null))
              ? k
              : `${k} ${JSON.stringify(mudm[k])}`,
        );
        const l4key = ["tcp", "udp", "icmp"].find((k) => isRecord(m[k]));
        const l4 = l4key ? (m[l4key] as Record<string, unknown>) : {};
        const port = portText(l4["destination-port"]) ?? portText(l4["source-port"]);
        const flow: MudFlow = {
          direction,
          acl: String(acl.name),
          ace: String(ace.name),
          action: strip(String(isRecord(ace.actions) ? ace.actions.forwarding : "")),
          family: l3key ?? "any",
          peer: dns ?? net ?? (abstraction.length ? abstraction.join(", ") : "any"),
        };
        const proto = l3.protocol ?? l4key;
        if (proto !== undefined) flow.protocol = proto as number | string;
        if (port) flow.ports = port;
        if (typeof l4["ietf-mud:direction-initiated"] === "string")
          flow.initiatedBy = l4["ietf-mud:direction-initiated"];
        flows.push(flow);
      }
    }
  }
  if (!("from-device-policy" in mud) && !("to-device-policy" in mud))
    policyProblems.push({ at: "/ietf-mud:mud", message: "neither from-device-policy nor to-device-policy" });
  return { mud, flows, problems, policyProblems, aclProblems };
}
