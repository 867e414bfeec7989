/**
 * A synthetic but realistic dossier input, for tests, benchmarks and demos: a profile built with
 * the real engine from a preset, findings with a spread of verdicts, evidence files, readiness and
 * pitfalls. Deterministic: the same options give the same input.
 */
import type { Assessment, EvidenceRecord, Finding, Verdict } from "../assessment/model.js";
import type { MarketReadiness, Pitfall, ReadinessItem } from "../assessment/report-types.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Result } from "../crosswalk/inference.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import { checkContext } from "../profile/context.js";
import { buildProfile } from "../profile/engine.js";
import { loadBundledRules, loadPresets } from "../profile/files.js";
import type { Profile } from "../profile/model.js";
import type { DossierInput } from "./model.js";
import { profileItemDigest } from "./report-model.js";
import { sha256Hex, utf8 } from "./util.js";

export interface SyntheticOptions {
  preset?: string;
  /** Keep at most this many profile items (the profile is cut to size). */
  items?: number;
  evidenceFiles?: number;
  /** Bytes per evidence file. */
  fileSize?: number;
  date?: string;
  draft?: boolean;
}

const CYCLE: Verdict[] = [
  "pass",
  "pass",
  "fail",
  "pass",
  "not-applicable",
  "inconclusive",
  "pass",
  "not-assessed",
];

export function syntheticProfile(
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  preset: string,
  created: string,
  items?: number,
): Profile {
  const rules = loadBundledRules(registry, crosswalks);
  const p = loadPresets().find((x) => x.id === preset);
  if (!p) throw new Error(`no preset ${preset}`);
  const { context, problems } = checkContext(p.context, rules);
  if (!context) throw new Error(JSON.stringify(problems));
  const profile = buildProfile(context, rules, registry, crosswalks, { id: preset, title: p.title, created });
  if (items === undefined || items >= profile.items.length) return profile;
  const kept = profile.items.slice(0, items);
  const catalogs = Object.fromEntries(
    Object.entries(profile.catalogs).filter(([id]) => kept.some((i) => i.catalog === id)),
  );
  return { ...profile, items: kept, catalogs };
}

export function syntheticInput(
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  options: SyntheticOptions = {},
): DossierInput {
  const date = options.date ?? "2026-11-27";
  const profile = syntheticProfile(
    registry,
    crosswalks,
    options.preset ?? "consumer-smart-plug-us-label",
    "2026-10-01",
    options.items,
  );
  const profileBytes = utf8(`${JSON.stringify(profile, null, 2)}\n`);
  const nFiles = options.evidenceFiles ?? 3;
  const size = options.fileSize ?? 256;
  const evidenceFiles = new Map<string, Uint8Array>();
  const evidence: EvidenceRecord[] = [];
  for (let i = 0; i < nFiles; i++) {
    const line = `Evidence file ${i + 1}: test report for the synthetic device.\n`;
    const bytes = utf8(line.repeat(Math.max(1, Math.ceil(size / line.length))).slice(0, Math.max(size, 1)));
    const sha = sha256Hex(bytes);
    const name = `report-${i + 1}.txt`;
    const path = `evidence/${sha}-${name}`;
    evidenceFiles.set(path, bytes);
    const id = `E-${String(i + 1).padStart(4, "0")}`;
    const r: EvidenceRecord = {
      id,
      kind: "file",
      title: `Test report ${i + 1}`,
      strength: i % 3 === 0 ? "proves" : i % 3 === 1 ? "supports" : "proves-only-when-failing",
      tags: i === 0 ? ["sbom"] : i === 1 ? ["vdp", "mitigation"] : [],
      file: { name, path, sha256: sha, size: bytes.length, mediaType: "text/plain" },
      effective: "2026-09-01",
      addedBy: "Ada Assessor",
      addedAt: "2026-09-02",
    };
    // One record has expired by the assessment's date.
    if (i === 2) r.expires = "2026-11-01";
    evidence.push(r);
  }
  const linkId = `E-${String(nFiles + 1).padStart(4, "0")}`;
  evidence.push({
    id: linkId,
    kind: "link",
    title: "Vulnerability disclosure policy",
    strength: "supports",
    tags: ["vdp"],
    url: "https://example.com/security/disclosure",
    effective: "2026-08-15",
    addedBy: "Ada Assessor",
    addedAt: "2026-09-02",
  });
  const attId = `E-${String(nFiles + 2).padStart(4, "0")}`;
  evidence.push({
    id: attId,
    kind: "attestation",
    title: "Support period declaration",
    strength: "supports",
    tags: ["support-period"],
    text: "The manufacturer declares security updates until 2031-12-31.",
    effective: "2026-09-10",
    addedBy: "Product Security Lead",
    addedAt: "2026-09-10",
  });

  const version = "2.4.1";
  const findings: Finding[] = profile.items.map((item, n) => {
    const verdict = CYCLE[n % CYCLE.length] as Verdict;
    const f: Finding = { item: item.id, verdict, evidence: [] };
    if (verdict === "not-assessed") return f;
    f.method = n % 3 === 0 ? "test" : n % 3 === 1 ? "examine" : "interview";
    f.statement =
      verdict === "not-applicable"
        ? { support: "not-applicable", detail: "The device has no such interface." }
        : {
            support: verdict === "fail" ? "not-supported" : "supported",
            detail: `Implemented as designed (${n}).`,
          };
    if (nFiles > 0) f.evidence.push(evidence[n % nFiles]?.id as string);
    if (n % 5 === 0) f.evidence.push(linkId);
    if (n % 7 === 0) f.evidence.push(attId);
    if (verdict === "fail") f.notes = "The default password is shared across units.";
    f.basis = { release: n === 1 ? "2.3.0" : version, profileItem: profileItemDigest(item) };
    f.updated = { by: "Ada Assessor", date: "2026-11-20" };
    if (verdict === "pass" && n % 2 === 0) f.signOff = { reviewer: "Rex Reviewer", date: "2026-11-25" };
    return f;
  });

  const assessment: Assessment = {
    format: "cairn-assessment/1",
    id: "A-2026-017",
    title: "SmartPlug X2 firmware 2.4.1 conformity assessment",
    kind: "third-party",
    status: "in-review",
    assessors: [
      { name: "Ada Assessor", organisation: "Example Test Lab", role: "lead assessor" },
      { name: "Rex Reviewer", organisation: "Example Test Lab", role: "reviewer" },
    ],
    product: {
      id: "smartplug-x2",
      manufacturer: "Example Devices Ltd",
      model: "SmartPlug X2",
      category: "smart plug",
    },
    release: { version, date: "2026-09-01", supportEnd: "2031-12-31", identity: { serial: "SPX2-000123" } },
    profile: { file: "profile.json", id: profile.id, sha256: sha256Hex(profileBytes) },
    created: "2026-09-01",
    updated: date,
    findings,
    evidence,
  };
  return {
    assessment,
    profile,
    registry,
    crosswalks,
    readiness: syntheticReadiness(profile, findings),
    pitfalls: syntheticPitfalls(),
    evidenceFiles,
    draft: options.draft ?? false,
    profileSha256: sha256Hex(profileBytes),
  };
}

const RESULT: Record<Verdict, Result> = {
  pass: "pass",
  fail: "fail",
  inconclusive: "unknown",
  "not-applicable": "not-applicable",
  "not-assessed": "unknown",
};

/** A readiness per market of the profile: direct results from the findings, one derived example. */
export function syntheticReadiness(profile: Profile, findings: Finding[]): MarketReadiness[] {
  const byItem = new Map(findings.map((f) => [f.item, f]));
  const markets: [string, string, string][] = [
    ["us-consumer-label", "US consumer label (NIST IR 8425)", "nist-ir-8425"],
    ["eu-cra", "EU Cyber Resilience Act", "eu-cra"],
    ["etsi-en-303-645", "ETSI EN 303 645", "etsi-en-303-645"],
    ["us-federal", "US federal (NISTIR 8259A/B, SP 800-213A)", "nist-ir-8259a"],
  ];
  const out: MarketReadiness[] = [];
  for (const [market, label, catalog] of markets) {
    const items = profile.items.filter((i) => i.catalog === catalog);
    if (items.length === 0) continue;
    const list: ReadinessItem[] = items.map((i, n) => {
      const f = byItem.get(i.id);
      const r: ReadinessItem = {
        item: i.id,
        label: i.label,
        title: i.title,
        result: RESULT[f?.verdict ?? "not-assessed"],
        source: "direct",
      };
      if (n === 1) {
        r.source = "derived";
        r.result = "partial";
        r.paths = [{ path: [items[0]?.id ?? i.id, i.id], rows: ["synthetic-crosswalk#1"] }];
      }
      return r;
    });
    const count = (r: Result) => list.filter((x) => x.result === r).length;
    out.push({
      market,
      label,
      catalog,
      items: list,
      counts: {
        met: count("pass"),
        partial: count("partial"),
        missing: count("fail"),
        notApplicable: count("not-applicable"),
        unknown: count("unknown"),
      },
    });
  }
  return out;
}

export function syntheticPitfalls(): Pitfall[] {
  return [
    {
      id: "no-sbom",
      severity: "warning",
      title: "No SBOM",
      message: "No evidence is tagged sbom for the current release.",
      refs: ["E-0001"],
    },
    {
      id: "default-password",
      severity: "error",
      title: "Universal default password",
      message: "A finding fails on a shared default password.",
    },
  ];
}
