import type { Profile } from "../profile/model.js";
import { notApplicableRefusal } from "../profile/obligation.js";
import { deriveVerdicts, measureStale } from "./derive.js";
import type { Assessment, EvidenceRecord } from "./model.js";
import { currentEvidence } from "./ops.js";
import type { Pitfall } from "./report-types.js";

function tagged(a: Assessment, ...tags: string[]): EvidenceRecord[] {
  return a.evidence.filter((e) => e.tags.some((t) => tags.includes(t)) && currentEvidence(a, e.id) === e);
}

function years(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / (365.25 * 24 * 3600 * 1000);
}

/**
 * The recurring errors of IoT baseline assessments (the guide's list) and a few more, checked
 * against an assessment and its profile. `asOf` is the date the check is made for (expiry).
 */
export function lintAssessment(a: Assessment, profile: Profile, asOf: string): Pitfall[] {
  const out: Pitfall[] = [];
  const add = (p: Pitfall) => out.push(p);
  const markets = new Set(profile.context?.markets ?? []);
  const catalogs = new Set(profile.items.map((i) => i.catalog));
  const { items } = deriveVerdicts(a, profile);
  const verdictOf = (id: string) => items.get(id)?.verdict ?? "not-assessed";

  if (
    !profile.context ||
    !profile.rules ||
    profile.items.length === 0 ||
    profile.items.every((i) => i.tailored)
  ) {
    add({
      id: "checklist-without-profile",
      step: 1,
      severity: "error",
      title: "A checklist with no profile context",
      message:
        "The items were not selected from the device's context (FIPS 199 impact, environment, connectivity, data, lifetime): 8259A is a baseline to profile, not a checklist to tick.",
    });
  }
  if (markets.has("us-federal")) {
    const b = profile.items.filter((i) => i.catalog === "nist-ir-8259b");
    const assessed = b.filter((i) => verdictOf(i.id) !== "not-assessed");
    if (b.length === 0 || assessed.length === 0) {
      add({
        id: "no-8259b",
        step: 3,
        severity: "error",
        title: "NISTIR 8259B not addressed",
        message:
          b.length === 0
            ? "The profile holds no 8259B item: documentation, query reception, dissemination and education are part of every federal profile."
            : `None of the ${b.length} 8259B items has a verdict: a product faultless on technical grounds with no disclosure policy or support information does not meet SP 800-213.`,
      });
    }
    if (catalogs.has("nist-ir-8425") && !catalogs.has("nist-ir-8259a")) {
      add({
        id: "8425-for-federal",
        step: 1,
        severity: "error",
        title: "NISTIR 8425 used for a federal target",
        message:
          "NISTIR 8425 is the consumer profile behind the Cyber Trust Mark; a federal supplier works with 8259A and SP 800-213.",
      });
    }
  }
  if (markets.has("us-consumer-label") && catalogs.has("nist-ir-8259a") && !catalogs.has("nist-ir-8425")) {
    add({
      id: "8259a-for-consumer-label",
      step: 1,
      severity: "error",
      title: "NISTIR 8259A used for the consumer label",
      message: "The US Cyber Trust Mark is assessed against NISTIR 8425, not 8259A.",
    });
  }
  if (profile.requirements.fips140_3 && tagged(a, "fips-140-3", "cmvp").length === 0) {
    add({
      id: "fips-140-3-without-evidence",
      step: 2,
      severity: "error",
      title: "FIPS 140-3 required but no validated-module evidence",
      message:
        "The profile requires FIPS 140-3 validated cryptographic modules: record the CMVP certificate(s) as evidence tagged fips-140-3.",
    });
  }
  if (tagged(a, "sbom").length === 0) {
    add({
      id: "no-sbom",
      step: 2,
      severity: "error",
      title: "No software bill of materials",
      message:
        "No evidence is tagged sbom: EO 14028 and the CRA (Annex I, Part II, point (1)) expect a machine-readable SBOM for each release.",
    });
  }
  if (tagged(a, "vdp", "security-txt").length === 0) {
    add({
      id: "no-vulnerability-disclosure",
      step: 3,
      severity: "error",
      title: "No vulnerability disclosure policy or security.txt",
      message:
        "No evidence is tagged vdp or security-txt: a published coordinated disclosure policy is expected (8259B, EN 303 645 5.2-1, CRA Annex I Part II (5)).",
    });
  }
  const need = profile.requirements.minSupportYears;
  if (!a.release.supportEnd) {
    add({
      id: "no-support-period",
      step: 3,
      severity: "error",
      title: "No declared support period",
      message: `The release declares no end of security support${need > 0 ? `; the profile asks for at least ${need} years` : ""}.`,
      refs: ["release.supportEnd"],
    });
  } else if (need > 0 && years(a.release.date, a.release.supportEnd) + 1e-9 < need) {
    add({
      id: "support-period-too-short",
      step: 3,
      severity: "error",
      title: "Support period shorter than the expected lifetime",
      message: `Support ends ${a.release.supportEnd}, ${years(a.release.date, a.release.supportEnd).toFixed(1)} years after the release; the profile asks for at least ${need}.`,
      refs: ["release.supportEnd"],
    });
  }
  const expired = a.evidence.filter((e) => e.expires && e.expires < asOf && currentEvidence(a, e.id) === e);
  if (expired.length > 0) {
    add({
      id: "expired-evidence",
      step: 4,
      severity: "error",
      title: "Expired evidence",
      message: `${expired.length} evidence record(s) expired before ${asOf}.`,
      refs: expired.map((e) => e.id),
    });
  }
  const used = new Set([
    ...a.findings.filter((f) => f.verdict !== "not-assessed").flatMap((f) => f.evidence),
    ...(a.measures ?? []).filter((m) => !m.removed && m.verification).flatMap((m) => m.evidence),
  ]);
  const old = a.evidence.filter(
    (e) => used.has(e.id) && e.strength !== "none" && e.effective < a.release.date,
  );
  if (old.length > 0) {
    add({
      id: "evidence-older-than-release",
      step: 4,
      severity: "warning",
      title: "Evidence older than the release it backs",
      message: `${old.length} evidence record(s) predate release ${a.release.version} (${a.release.date}): they may describe an earlier build.`,
      refs: old.map((e) => e.id),
    });
  }
  const stale = [...items.values()].filter((v) => v.stale);
  if (stale.length > 0) {
    const person = stale.filter((v) => v.source === "person").length;
    add({
      id: "stale-findings",
      step: 4,
      severity: "warning",
      title: "Stale findings",
      message: `${stale.length} verdict(s) no longer hold (${person} a person's, ${stale.length - person} derived): given on another release or profile version, or their measure or source changed. Assess them again.`,
      refs: stale.map((v) => v.item),
    });
  }
  const measures = (a.measures ?? []).filter((m) => !m.removed);
  if (measures.length === 0 && catalogs.has("nist-ir-8259a")) {
    add({
      id: "no-design-measures",
      step: 2,
      severity: "warning",
      title: "No design measures",
      message:
        "The mechanisms behind the capabilities (unique identity, secure configuration, protected data, access control, signed updates, state reporting) are not recorded: document them as measures, linked to the items they implement.",
    });
  }
  const unverified = measures.filter((m) => !m.verification || measureStale(m, a));
  if (unverified.length > 0) {
    add({
      id: "unverified-measures",
      step: 2,
      severity: "warning",
      title: "Measures not verified on this release",
      message: `${unverified.length} measure(s) have no verification on release ${a.release.version}: the items they implement stay open until they are verified.`,
      refs: unverified.map((m) => m.id),
    });
  }
  const risks = (a.risks ?? []).filter((r) => !r.removed);
  if (risks.length === 0 && markets.has("eu-cra")) {
    add({
      id: "no-risk-assessment",
      step: 2,
      severity: "error",
      title: "No cybersecurity risk assessment",
      message:
        "The risk register is empty: the CRA (Article 13(2) and (3), Annex I Part I (1)) asks for a documented cybersecurity risk assessment the design is based on.",
    });
  }
  const highAccepted = risks.filter((r) => r.residual === "high");
  if (highAccepted.length > 0) {
    add({
      id: "high-residual-risk",
      step: 2,
      severity: "warning",
      title: "High residual risk",
      message: `${highAccepted.length} risk(s) remain high after treatment.`,
      refs: highAccepted.map((r) => r.id),
    });
  }
  if (a.kind === "third-party") {
    const unsigned = a.findings.filter((f) => (f.verdict !== "not-assessed" || f.accepted) && !f.signOff);
    if (unsigned.length > 0) {
      add({
        id: "unsigned-findings",
        step: 4,
        severity: "warning",
        title: "Findings without reviewer sign-off",
        message: `${unsigned.length} verdict(s) of a third-party assessment are not signed off.`,
        refs: unsigned.map((f) => f.item),
      });
    }
  }
  marketPitfalls(a, profile, asOf, add);
  return out;
}

// Dates of the law the market pitfalls turn on (sources in each message).
const CRA_REPORTING = "2026-09-11";
const CRA_GENERAL = "2027-12-11";
const RED_REPEAL = "2027-12-11";

function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / (24 * 3600 * 1000);
}

/**
 * Pitfalls of the EU, UK and Asian markets and of the texts behind them, where the law or the
 * guide gives one: the CRA's dates and support period, EN 303 645's standing under the CRA, the
 * RED's repeal and EN 18031's OJ restrictions, PSTI's statement of compliance, CLS laboratory
 * levels, the partial NIST IR 8425 catalog, and "not applicable" on unconditional EN 303 645
 * provisions.
 */
function marketPitfalls(a: Assessment, profile: Profile, asOf: string, add: (p: Pitfall) => void): void {
  const markets = new Set(profile.context?.markets ?? []);
  const catalogs = new Set(profile.items.map((i) => i.catalog));
  const byId = new Map(profile.items.map((i) => [i.id, i]));
  const assessed = (catalog: string, prefix = "") =>
    a.findings.filter(
      (f) => f.item.startsWith(`${catalog}:${prefix}`) && f.verdict !== "not-assessed" && byId.has(f.item),
    );

  // EN 303 645 allows "not applicable" only for conditional provisions (Table B.1).
  const refusal = (id: string) => {
    const item = byId.get(id);
    return item ? notApplicableRefusal(item) : undefined;
  };
  const refused = a.findings
    .filter((f) => f.verdict === "not-applicable" && refusal(f.item) !== undefined)
    .map((f) => f.item);
  const statement = Object.entries(a.conformanceStatement?.provisions ?? {})
    .filter(([ref, v]) => v.support === "not-applicable" && refusal(`etsi-en-303-645:${ref}`) !== undefined)
    .map(([ref]) => `etsi-en-303-645:${ref}`);
  if (refused.length > 0 || statement.length > 0) {
    add({
      id: "not-applicable-on-unconditional-provision",
      severity: "error",
      title: "Not applicable declared for an unconditional EN 303 645 provision",
      message: `EN 303 645 allows "not applicable" only for conditional provisions (Table B.1 status M C or R C). ${[
        ...new Set([...refused, ...statement]),
      ]
        .slice(0, 3)
        .map((id) => refusal(id))
        .join("; ")}${new Set([...refused, ...statement]).size > 3 ? "; ..." : ""}.`,
      refs: [...new Set([...refused, ...statement])],
    });
  }

  if (markets.has("eu-cra")) {
    if (
      catalogs.has("etsi-en-303-645") &&
      assessed("etsi-en-303-645").length > 0 &&
      assessed("eu-cra").length === 0
    ) {
      add({
        id: "en-303-645-not-harmonised-under-cra",
        severity: "warning",
        title: "CRA conformity shown through EN 303 645 alone",
        message:
          "EN 303 645 findings are recorded but no CRA item is assessed directly. EN 303 645 is not a harmonised standard under the CRA: meeting it gives no presumption of conformity with Annex I (Regulation (EU) 2024/2847, Article 27); crosswalked results are at most partial.",
      });
    }
    const reportingEvidence = tagged(a, "cra-reporting", "psirt", "incident-response");
    const reportingPassed = assessed("eu-cra", "art-14").some((f) => f.verdict === "pass");
    if (!reportingPassed && reportingEvidence.length === 0 && daysBetween(asOf, CRA_REPORTING) <= 180) {
      const applies = asOf >= CRA_REPORTING;
      add({
        id: "cra-reporting-not-ready",
        severity: applies ? "error" : "warning",
        title: applies
          ? "CRA reporting obligations apply, and no reporting process is shown"
          : "CRA reporting obligations apply soon",
        message: `Article 14 of Regulation (EU) 2024/2847 applies from ${CRA_REPORTING} (Article 71(2)), also to products placed on the market before ${CRA_GENERAL} (Article 69(3)): an actively exploited vulnerability or a severe incident needs an early warning within 24 hours, a notification within 72 hours and a final report. No Article 14 item passes and no evidence is tagged cra-reporting, psirt or incident-response.`,
        refs: ["eu-cra:art-14"],
      });
    }
    const lifetime = profile.context?.lifetimeYears ?? 0;
    if (a.release.supportEnd && lifetime >= 5 && years(a.release.date, a.release.supportEnd) + 1e-9 < 5) {
      add({
        id: "cra-support-period-under-five-years",
        severity: "error",
        title: "CRA support period shorter than five years",
        message: `Support ends ${a.release.supportEnd}, ${years(a.release.date, a.release.supportEnd).toFixed(1)} years after the release; Article 13(8) of Regulation (EU) 2024/2847 asks for at least five years unless the product is expected to be in use for less (the profile expects ${lifetime} years).`,
        refs: ["release.supportEnd", "eu-cra:art-13.8"],
      });
    }
  }

  if (markets.has("eu-red")) {
    if (asOf >= RED_REPEAL) {
      add({
        id: "red-delegated-regulation-repealed",
        severity: "warning",
        title: "RED cybersecurity requirements repealed",
        message: `Delegated Regulation (EU) 2022/30 is repealed with effect from ${RED_REPEAL} (Delegated Regulation (EU) 2026/339): radio equipment placed on the market from that date is assessed against the CRA, whose Annex I includes all elements of RED Article 3(3)(d)-(f); the RED readiness covers only units placed on the market before it.`,
      });
    }
    const en18031 = [...catalogs].filter((c) => c.startsWith("cen-en-18031-"));
    if (en18031.length > 0 && tagged(a, "en-18031-restrictions").length === 0) {
      add({
        id: "red-en18031-restrictions",
        severity: "warning",
        title: "EN 18031 restrictions published with its OJ citation not addressed",
        message: `The profile uses ${en18031.join(", ")}. Implementing Decision (EU) 2025/138 cites EN 18031 with restrictions: no presumption of conformity where the user may choose not to set or not to use a password (all parts); for toys and childcare equipment without parental or guardian access control (EN 18031-2); for the secure update assessment criteria as regards Article 3(3)(f) (EN 18031-3). Where a restriction applies, a notified body is needed for the requirement concerned. Record how each was checked as evidence tagged en-18031-restrictions.`,
      });
    }
  }

  if (markets.has("uk-psti") && tagged(a, "statement-of-compliance").length === 0) {
    add({
      id: "psti-no-statement-of-compliance",
      severity: "error",
      title: "No PSTI statement of compliance",
      message:
        "Relevant connectable products made available to UK consumers must be accompanied by a statement of compliance with the security requirements (PSTI Act 2022, Part 1; SI 2023/1007, Schedule 4). Record it as evidence tagged statement-of-compliance.",
    });
  }

  const clsLab = ["sg-cls-3", "sg-cls-4"].filter((m) => markets.has(m));
  if (clsLab.length > 0 && tagged(a, "cls-lab-report").length === 0) {
    add({
      id: "cls-no-laboratory-report",
      severity: "warning",
      title: "CLS level 3 or 4 without an approved laboratory's report",
      message: `${clsLab.join(", ")}: CSA requires a binary analysis (level 3) and a penetration test (level 4) by an approved third-party test laboratory, whose report accompanies the application. Record it as evidence tagged cls-lab-report.`,
    });
  }

  if (markets.has("us-consumer-label") && catalogs.has("nist-ir-8425")) {
    add({
      id: "consumer-profile-incomplete",
      severity: "warning",
      title: "The NIST IR 8425 catalog is partial",
      message:
        "Cairn's NIST IR 8425 catalog lacks the sub-outcomes of Interface Access Control (beyond the start of the first), Software Update and Cybersecurity State Awareness, the outcome statements of the non-technical capabilities, and the 8425 wording of their sub-outcomes (see cairn catalog list). US consumer label readiness covers only what is catalogued: assess the missing outcomes from the publication.",
    });
  }
}
