import { STRENGTHS, VERDICTS } from "../assessment/model.js";
import type { Problem } from "../core/problem.js";
import type { DossierInput } from "./model.js";
import { dayOf, isIsoDate, sha256Hex } from "./util.js";

const SOURCE = "assessment.json";
/** Where evidence files live: `evidence/<sha256>` with an optional `-name` (the store's layout). */
export const EVIDENCE_PATH = /^evidence\/[0-9a-f]{64}(-[A-Za-z0-9._-]+)?$/;

/**
 * Everything that must hold before a dossier is built: findings match the profile one to one,
 * evidence exists and its files are the bytes the records name, dates are dates. Each problem names
 * its place (`findings[3] (nist-ir-8259a:2)`, `evidence[1] (E-0002).file`).
 */
export function validateDossierInput(input: DossierInput): Problem[] {
  const { assessment: a, profile } = input;
  const problems: Problem[] = [];
  const at = (location: string, message: string) => problems.push({ source: SOURCE, location, message });

  if (a.profile.id !== profile.id)
    at("profile.id", `names profile ${a.profile.id} but the profile file holds ${profile.id}`);
  if (input.profileSha256 !== undefined && input.profileSha256 !== a.profile.sha256)
    at(
      "profile.sha256",
      `${a.profile.file} has SHA-256 ${input.profileSha256}, the assessment recorded ${a.profile.sha256}`,
    );

  const date = (location: string, value: string | undefined, required: boolean) => {
    if (value === undefined) {
      if (required) at(location, "missing date");
    } else if (!isIsoDate(value)) at(location, `bad date ${JSON.stringify(value)}`);
  };
  date("created", a.created, true);
  date("updated", a.updated, true);
  date("release.date", a.release.date, true);
  date("release.supportEnd", a.release.supportEnd, false);
  if (isIsoDate(a.created) && isIsoDate(a.updated) && dayOf(a.updated) < dayOf(a.created))
    at("updated", `${a.updated} is before created ${a.created}`);

  const records = new Map<string, number>();
  a.evidence.forEach((e, i) => {
    const where = `evidence[${i}] (${e.id})`;
    if (records.has(e.id)) at(where, `duplicate evidence id ${e.id}`);
    records.set(e.id, i);
    if (!(STRENGTHS as readonly string[]).includes(e.strength)) at(`${where}.strength`, "unknown strength");
    date(`${where}.effective`, e.effective, true);
    date(`${where}.expires`, e.expires, false);
    date(`${where}.addedAt`, e.addedAt, true);
    if (e.expires && isIsoDate(e.expires) && isIsoDate(e.effective) && dayOf(e.expires) < dayOf(e.effective))
      at(`${where}.expires`, `${e.expires} is before effective ${e.effective}`);
    if (e.supersedes !== undefined && !a.evidence.some((x) => x.id === e.supersedes))
      at(`${where}.supersedes`, `evidence ${e.supersedes} is not recorded`);
    if (e.kind === "file" && !e.file) at(where, "a file record has no file");
    if (!e.file) return;
    const f = e.file;
    if (!EVIDENCE_PATH.test(f.path)) {
      at(
        `${where}.file.path`,
        `${JSON.stringify(f.path)} is not a path under evidence/ named by its SHA-256`,
      );
      return;
    }
    const bytes = input.evidenceFiles.get(f.path);
    if (!bytes) {
      at(`${where}.file`, `evidence file ${f.path} is missing`);
      return;
    }
    const actual = sha256Hex(bytes);
    if (actual !== f.sha256)
      at(`${where}.file`, `${f.path}: SHA-256 is ${actual}, the record says ${f.sha256}`);
    if (bytes.length !== f.size)
      at(`${where}.file`, `${f.path}: ${bytes.length} bytes, the record says ${f.size}`);
  });

  const inProfile = new Set(profile.items.map((i) => i.id));
  const seen = new Set<string>();
  a.findings.forEach((f, i) => {
    const where = `findings[${i}] (${f.item})`;
    if (!inProfile.has(f.item)) at(where, `item is not in profile ${profile.id}`);
    else if (!input.registry.item(f.item)) at(where, "item is not in the loaded catalogs");
    if (seen.has(f.item)) at(where, "second finding for the same item");
    seen.add(f.item);
    if (!(VERDICTS as readonly string[]).includes(f.verdict))
      at(`${where}.verdict`, `unknown verdict ${JSON.stringify(f.verdict)}`);
    for (const id of f.evidence)
      if (!records.has(id)) at(`${where}.evidence`, `evidence ${id} is not recorded`);
    date(`${where}.signOff.date`, f.signOff?.date, false);
    date(`${where}.updated.date`, f.updated?.date, false);
  });
  for (const item of profile.items)
    if (!seen.has(item.id)) at("findings", `required item ${item.id} has no finding`);
  // The design file and the risk register: what they name must exist.
  const measureIds = new Set<string>();
  (a.measures ?? []).forEach((m, i) => {
    const where = `measures[${i}] (${m.id})`;
    if (measureIds.has(m.id)) at(where, `duplicate measure id ${m.id}`);
    measureIds.add(m.id);
    for (const id of m.evidence)
      if (!records.has(id)) at(`${where}.evidence`, `evidence ${id} is not recorded`);
    if (m.verification) date(`${where}.verification.at`, m.verification.at, false);
  });
  (a.risks ?? []).forEach((r, i) => {
    if (r.removed) return;
    for (const id of r.treatment.measures)
      if (!measureIds.has(id))
        at(`risks[${i}] (${r.id}).treatment.measures`, `measure ${id} is not in the design`);
  });
  return problems;
}
