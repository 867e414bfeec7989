// Builds the worked example: a fictitious smart thermostat (Northwind Controls T-800, firmware
// 4.2.0) sold to a US federal agency and in the EU, assessed against its SP 800-213 profile.
// Deterministic (every date is fixed). Run: npx tsx scripts/examples/smart-thermostat.ts
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AssessmentCommand, applyCommand } from "../../src/assessment/changes.js";
import { deriveVerdicts } from "../../src/assessment/derive.js";
import { MEASURE_LIBRARY, MEASURE_LIBRARY_VERSION } from "../../src/assessment/measure-library.js";
import type { Assessment, EvidenceStrength, Method, Verdict } from "../../src/assessment/model.js";
import { newAssessment } from "../../src/assessment/ops.js";
import { linkProposals } from "../../src/assessment/proposals.js";
import { sha256, storeEvidenceFile, writeAssessment } from "../../src/assessment/store.js";
import { loadCatalogs } from "../../src/catalog/files.js";
import { bundledPath } from "../../src/core/paths.js";
import { loadCrosswalks } from "../../src/crosswalk/files.js";
import { checkContext } from "../../src/profile/context.js";
import { buildProfile } from "../../src/profile/engine.js";
import { loadBundledRules } from "../../src/profile/files.js";

const HERE = bundledPath("examples", "smart-thermostat");
const OUT = join(HERE, "assessment");
const ART = join(HERE, "artifacts");

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);

export const context = {
  name: "Northwind T-800 smart thermostat",
  impact: { confidentiality: "low", integrity: "moderate", availability: "moderate" },
  environment: "building",
  connectivity: "internet-exposed",
  data: ["personal"],
  lifetimeYears: 10,
  markets: ["us-federal", "eu-cra"],
};

const checked = checkContext(context, rules);
if (!checked.context) throw new Error(JSON.stringify(checked.problems));
const profile = buildProfile(checked.context, rules, registry, set, {
  id: "northwind-t800-federal-eu",
  title: "Northwind T-800 smart thermostat in federal buildings and the EU",
  created: "2026-09-01",
});

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, "evidence"), { recursive: true });
const profileText = `${JSON.stringify(profile, null, 2)}\n`;
writeFileSync(join(OUT, "profile.json"), profileText);

let a: Assessment = newAssessment(profile, {
  id: "northwind-t800-4.2.0",
  title: "Northwind T-800 firmware 4.2.0: SP 800-213 and EU CRA assessment",
  kind: "third-party",
  product: {
    id: "northwind-t800",
    manufacturer: "Northwind Controls (fictitious)",
    model: "T-800",
    category: "smart thermostat",
  },
  release: {
    version: "4.2.0",
    hardwareVersion: "rev C",
    date: "2026-09-15",
    supportEnd: "2036-10-01",
    identity: {
      serial: "T800-C-000417",
      certificateSha256: "5d1c9b0e7f3a2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d",
    },
  },
  assessors: [
    { name: "Dana Ortiz", organisation: "Example Test Lab GmbH (fictitious)", role: "lead assessor" },
  ],
  date: "2026-09-16",
  profileFile: "profile.json",
  profileSha256: sha256(profileText),
});

// Every change goes through the assessment core's commands, as `cairn assess` makes them.
function change(command: AssessmentCommand, by: string, at: string): unknown {
  const o = applyCommand(a, profile, command, { by, name: by, at });
  a = o.assessment;
  return o.result;
}

const evidence = new Map<string, string>();
async function file(
  key: string,
  name: string,
  strength: EvidenceStrength,
  tags: string[],
  title: string,
  expires?: string,
) {
  const stored = await storeEvidenceFile(OUT, join(ART, name));
  const r = change(
    {
      type: "add-evidence",
      record: {
        kind: "file",
        title,
        strength,
        tags,
        file: stored,
        effective: "2026-09-30",
        ...(expires ? { expires } : {}),
      },
    },
    "Dana Ortiz",
    "2026-09-30",
  ) as { id: string };
  evidence.set(key, r.id);
}

await file("sbom", "sbom.cdx.json", "supports", ["sbom"], "CycloneDX SBOM of thermo-os 4.2.0");
await file(
  "securitytxt",
  "security.txt",
  "supports",
  ["security-txt", "vdp"],
  "security.txt published by the manufacturer",
  "2027-09-30",
);
await file(
  "vdp",
  "vulnerability-disclosure-policy.md",
  "supports",
  ["vdp"],
  "Coordinated vulnerability disclosure policy",
);
await file(
  "fips",
  "fips-140-3-module.txt",
  "proves",
  ["fips-140-3", "cmvp"],
  "FIPS 140-3 validated module (CMVP certificate)",
);
await file("update", "firmware-update-design.md", "supports", ["design"], "Update mechanism design record");
await file(
  "pentest",
  "penetration-test-report.md",
  "proves",
  ["test-report"],
  "Penetration test report, firmware 4.2.0",
);
await file("arch", "security-architecture.md", "supports", ["design"], "Security architecture");
await file(
  "guide",
  "user-security-guide.md",
  "supports",
  ["documentation"],
  "User and administrator security guide",
);
await file(
  "support",
  "support-policy.md",
  "supports",
  ["support-period"],
  "Declared security support period",
);
{
  const r = change(
    {
      type: "add-evidence",
      record: {
        kind: "link",
        title: "CSAF advisories feed",
        url: "https://northwind-controls.example/.well-known/csaf/provider-metadata.json",
        strength: "supports",
        tags: ["csaf", "advisories"],
        effective: "2026-09-30",
      },
    },
    "Dana Ortiz",
    "2026-09-30",
  ) as { id: string };
  evidence.set("csaf", r.id);
}

// Evidence by what the item is about: capability or clause prefixes.
function evidenceFor(id: string): string[] {
  const [catalog = "", ref = ""] = id.split(":");
  const pick = (...keys: string[]) => keys.map((k) => evidence.get(k) as string);
  if (catalog === "nist-ir-8259a" || (catalog === "nist-sp-800-213a" && ref.startsWith("T"))) {
    const cap = catalog === "nist-ir-8259a" ? ref[0] : ref[1];
    return (
      {
        "1": pick("arch"),
        "2": pick("arch"),
        "3": pick("arch", "pentest", "fips"),
        "4": pick("pentest"),
        "5": pick("update", "pentest"),
        "6": pick("arch"),
        "7": pick("arch", "pentest"),
      }[cap ?? ""] ?? pick("arch")
    );
  }
  if (catalog === "nist-ir-8259b" || catalog === "nist-sp-800-213a") {
    const cap = ref[0];
    return (
      {
        "1": pick("arch", "sbom"),
        A: pick("arch", "sbom"),
        "2": pick("vdp", "securitytxt"),
        B: pick("vdp", "securitytxt"),
        "3": pick("support", "csaf"),
        C: pick("support", "csaf"),
        "4": pick("guide"),
        D: pick("guide"),
      }[cap ?? ""] ?? pick("arch")
    );
  }
  if (catalog === "etsi-en-303-645") {
    const clause = ref.split("-")[0] ?? "";
    const map: Record<string, string[]> = {
      "4": pick("arch"),
      "5.1": pick("pentest"),
      "5.2": pick("vdp", "securitytxt"),
      "5.3": pick("update", "support"),
      "5.4": pick("arch"),
      "5.5": pick("pentest"),
      "5.6": pick("pentest"),
      "5.7": pick("update"),
      "5.8": pick("arch"),
      "5.9": pick("arch"),
      "5.10": pick("arch"),
      "5.11": pick("guide"),
      "5.12": pick("guide"),
      "5.13": pick("pentest"),
      "6": pick("guide"),
    };
    return map[clause] ?? pick("arch");
  }
  if (ref.startsWith("annex-i.part-ii.1")) return pick("sbom");
  if (ref.startsWith("annex-i.part-ii")) return pick("vdp", "update", "csaf");
  if (ref.startsWith("annex-ii")) return pick("guide", "support");
  return pick("pentest", "arch");
}

// The few places the lab did not find the product compliant, or the item does not apply.
const exceptions: Record<
  string,
  { verdict: Verdict; support: "supported" | "not-supported" | "not-applicable"; detail: string }
> = {
  "etsi-en-303-645:5.13-1": {
    verdict: "fail",
    support: "supported",
    detail:
      "The management API echoes malformed input in verbose error messages (pentest finding M-1); fixed in 4.2.1.",
  },
  // 5.6-8 is a recommendation without condition (Table B.1 status R): EN 303 645 does not let it be
  // declared not applicable, only not supported with a justification (clause 4, provision 4-1).
  "etsi-en-303-645:5.6-8": {
    verdict: "fail",
    support: "not-supported",
    detail:
      "Not implemented: single-core MCU without an MMU, so no memory isolation; the secure element isolates the keys instead.",
  },
};

const LEAD = "Dana Ortiz";
const REVIEWER = "Lee Chen (Example Test Lab, reviewer)";
const held = new Set(profile.items.map((i) => i.id));
const parents = new Set(profile.items.flatMap((i) => (i.parent ? [i.parent] : [])));

// Step 2 of the guide: the product's design measures, from Cairn's library of common IoT measures
// (linked to the NISTIR 8259A/8259B elements they implement), with the evidence documenting each.
const measureEvidence: Record<string, string[]> = {
  "device-identity": ["arch", "pentest"],
  "device-label": ["arch"],
  "authenticated-configuration": ["arch", "pentest"],
  "secure-reset": ["arch", "guide"],
  "validated-crypto": ["fips"],
  "protected-communications": ["arch", "pentest"],
  "interface-hardening": ["pentest"],
  "update-mechanism": ["update"],
  "signed-firmware": ["update", "pentest"],
  "state-reporting": ["arch"],
  "design-file": ["arch", "sbom"],
  "secure-development": ["sbom"],
  certifications: ["fips"],
  "vulnerability-disclosure": ["vdp", "securitytxt"],
  "security-advisories": ["csaf", "vdp"],
  "support-period": ["support"],
  "customer-security-information": ["guide", "support"],
  "security-guide": ["guide"],
};
const measureOf = new Map<string, string>();
for (const m of MEASURE_LIBRARY) {
  const r = change(
    {
      type: "add-measure",
      measure: {
        title: m.title,
        description: m.description,
        kind: m.kind,
        owner: m.kind === "technical" ? "Firmware team" : "Product security office",
        library: { id: m.id, version: MEASURE_LIBRARY_VERSION },
        links: m.links
          .filter((l) => held.has(l.item))
          .map((l) => ({ ...l, origin: { kind: "library" as const, entry: m.id } })),
        evidence: (measureEvidence[m.id] ?? []).map((k) => evidence.get(k) as string),
      },
    },
    LEAD,
    "2026-10-01",
  ) as { id: string };
  measureOf.set(m.id, r.id);
}

// The crosswalks propose links to the other texts (SP 800-213A, EN 303 645, the CRA): the lead
// assessor reviewed them and accepted them all, in bulk.
function acceptLinkProposals(): void {
  for (let round = 0; round < 5; round++) {
    const proposed = linkProposals(a, profile, set);
    if (proposed.length === 0) return;
    for (const p of proposed) change({ type: "accept-proposal", proposal: p }, LEAD, "2026-10-01");
  }
}
acceptLinkProposals();

// Where the crosswalks give only part of an SP 800-213A or CRA item (or nothing), the lead assessor
// linked the measure that implements it, from the design file.
const SP213A: Record<string, string> = {
  T1: "device-identity",
  T2: "authenticated-configuration",
  T3: "protected-communications",
  T4: "authenticated-configuration",
  T5: "signed-firmware",
  T6: "state-reporting",
  T7: "interface-hardening",
  A: "design-file",
  B: "vulnerability-disclosure",
  C: "customer-security-information",
  D: "security-guide",
};
const CRA: Record<string, string> = {
  "annex-i.part-i.1": "design-file",
  "annex-i.part-i.2.a": "secure-development",
  "annex-i.part-i.2.b": "secure-reset",
  "annex-i.part-i.2.c": "update-mechanism",
  "annex-i.part-i.2.d": "authenticated-configuration",
  "annex-i.part-i.2.e": "protected-communications",
  "annex-i.part-i.2.f": "signed-firmware",
  "annex-i.part-i.2.g": "design-file",
  "annex-i.part-i.2.h": "interface-hardening",
  "annex-i.part-i.2.i": "interface-hardening",
  "annex-i.part-i.2.j": "interface-hardening",
  "annex-i.part-i.2.k": "interface-hardening",
  "annex-i.part-i.2.l": "state-reporting",
  "annex-i.part-i.2.m": "secure-reset",
  "annex-i.part-ii.1": "secure-development",
  "annex-i.part-ii.2": "security-advisories",
  "annex-i.part-ii.3": "secure-development",
  "annex-i.part-ii.4": "security-advisories",
  "annex-i.part-ii.5": "vulnerability-disclosure",
  "annex-i.part-ii.6": "security-advisories",
  "annex-i.part-ii.7": "signed-firmware",
  "annex-i.part-ii.8": "support-period",
  "annex-ii.2": "vulnerability-disclosure",
  "annex-ii.7": "support-period",
  "annex-ii.9": "secure-development",
};
const designLinks = new Map<string, string[]>();
for (const item of profile.items) {
  if (parents.has(item.id)) continue;
  const ref = item.id.slice(item.id.indexOf(":") + 1);
  const lib =
    item.catalog === "nist-sp-800-213a"
      ? SP213A[/^T\d/.test(ref) ? ref.slice(0, 2) : ref.slice(0, 1)]
      : item.catalog === "eu-cra"
        ? (CRA[ref] ?? (ref.startsWith("annex-ii") ? "security-guide" : undefined))
        : undefined;
  if (!lib) continue;
  const id = measureOf.get(lib) as string;
  const full = (a.measures ?? []).some((m) =>
    m.links.some((l) => l.item === item.id && l.coverage === "full"),
  );
  if (full) continue;
  designLinks.set(id, [...(designLinks.get(id) ?? []), item.id]);
}
for (const [measure, items] of designLinks)
  change(
    { type: "link-measure", measure, links: items.map((item) => ({ item, coverage: "full" as const })) },
    LEAD,
    "2026-10-01",
  );

// Links the assessor made propose more through the crosswalks: reviewed and accepted too.
acceptLinkProposals();

// Each measure verified once on firmware 4.2.0: these are the lab's verdicts on the design.
for (const m of a.measures ?? [])
  change(
    {
      type: "verify-measure",
      measure: m.id,
      verification: {
        verdict: "pass",
        method: m.kind === "process" ? "examine" : "test",
        notes: "Verified on firmware 4.2.0 as described in the evidence.",
      },
    },
    LEAD,
    "2026-10-02",
  );

// The risk register (CRA Article 13, Annex I Part I (1)): each risk treated by measures.
const risks: [
  string,
  string,
  "low" | "medium" | "high",
  "low" | "medium" | "high",
  string[],
  "low" | "medium" | "high",
][] = [
  [
    "Firmware image",
    "A malicious update installed over the network",
    "medium",
    "high",
    ["signed-firmware", "update-mechanism"],
    "low",
  ],
  [
    "Device credentials",
    "Cloned identity used to impersonate the thermostat",
    "low",
    "high",
    ["device-identity", "validated-crypto"],
    "low",
  ],
  [
    "Occupancy and schedule data",
    "Interception of personal data in transit",
    "medium",
    "medium",
    ["protected-communications"],
    "low",
  ],
  [
    "Management API",
    "Unauthorised configuration change of the heating",
    "medium",
    "high",
    ["authenticated-configuration", "interface-hardening"],
    "low",
  ],
  [
    "Product in the field",
    "Known vulnerability left unfixed",
    "medium",
    "high",
    ["vulnerability-disclosure", "security-advisories", "support-period"],
    "medium",
  ],
];
for (const [asset, threat, likelihood, impact, ms, residual] of risks)
  change(
    {
      type: "add-risk",
      risk: {
        asset,
        threat,
        likelihood,
        impact,
        residual,
        treatment: { decision: "mitigate", measures: ms.map((m) => measureOf.get(m) as string) },
        owner: "Product security office",
      },
    },
    LEAD,
    "2026-10-02",
  );

// What no measure settles: the lab's verdict on the item itself (the EN 303 645 provisions, tested
// one by one, and any item left open), with the few places it did not find the product compliant.
const derived = deriveVerdicts(a, profile);
for (const item of profile.items) {
  const ex = exceptions[item.id];
  if (!ex && derived.items.get(item.id)?.settled) continue;
  if (!ex && parents.has(item.id)) continue;
  const method: Method =
    item.catalog === "nist-ir-8259b" || /^nist-sp-800-213a:[A-D]/.test(item.id) ? "examine" : "test";
  change(
    {
      type: "record-finding",
      item: item.id,
      update: {
        verdict: ex?.verdict ?? "pass",
        method,
        statement: {
          support: ex?.support ?? "supported",
          detail: ex?.detail ?? "Implemented as described in the evidence.",
        },
        attach: ex && ex.support !== "supported" ? [] : evidenceFor(item.id),
      },
    },
    LEAD,
    "2026-10-02",
  );
  change({ type: "sign-off", item: item.id }, REVIEWER, "2026-10-05");
}
change(
  {
    type: "set-conformance",
    provision: "5.6-8",
    support: "not-supported",
    justification: "No MMU on the device's MCU; key isolation by the secure element.",
  },
  "Dana Ortiz",
  "2026-10-02",
);
a.supplierInformation = {
  "IXIT 1-AuthMech":
    "Per-device password on the label, changed at first use; administrator accounts; app pairing by QR code.",
  "IXIT 2-UserInfo": "User documentation published with the product and online.",
  declaredInterfaces: [
    { port: "443/tcp", protocol: "HTTPS (TLS 1.3)", purpose: "management API" },
    { port: "5684/udp", protocol: "CoAP over DTLS 1.2", purpose: "LwM2M device management" },
  ],
  updateMechanism: "MCUboot A/B with ECDSA P-256 signatures and anti-rollback",
};
change({ type: "set-status", status: "in-review" }, "Dana Ortiz", "2026-10-05");
writeAssessment(OUT, a);
const figures = deriveVerdicts(a, profile).figures;
console.log(
  `examples/smart-thermostat/assessment: ${figures.items} items, ${figures.settled} settled; ${figures.humanVerdicts} verdicts by a person (${figures.bySource.person} on items, ${figures.measures.verified} on measures), ${figures.derivedVerdicts} derived (${figures.bySource.measures} from measures, ${figures.bySource.rollUp} rolled up, ${figures.bySource.proposal} accepted proposals); ${a.evidence.length} evidence records`,
);
