import type { Profile } from "../profile/model.js";
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
  return out;
}
