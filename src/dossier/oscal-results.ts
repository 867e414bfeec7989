import type { EvidenceRecord, Finding, Method } from "../assessment/model.js";
import { CAIRN_NS, markupLine, oscalControlId } from "../oscal/ids.js";
import { uuidV5 } from "../oscal/uuid.js";
import type { DossierInput } from "./model.js";
import { DOSSIER_FILES } from "./model.js";
import { staleReason } from "./report-model.js";
import { toDateTime } from "./util.js";

/** Namespace of the UUIDs of a dossier's OSCAL and CycloneDX documents (fixed: same input, same ids). */
export const DOSSIER_UUID_NAMESPACE = "0d5f3a7e-9c41-5b8a-8e2f-6a1b7c9d3e40";

type Obj = Record<string, unknown>;

/** An OSCAL string: at least one character, no surrounding white space. */
function str(v: string): string {
  return v.trim() || "-";
}

function prop(name: string, value: string): Obj {
  return { name, ns: CAIRN_NS, value: str(value) };
}

const METHOD: Record<Method, string> = { examine: "EXAMINE", interview: "INTERVIEW", test: "TEST" };

/** Path of an evidence file as seen from the oscal/ folder of the dossier. */
function fromOscal(path: string): string {
  return `../${path}`;
}

function evidenceResource(e: EvidenceRecord, uuid: string): Obj {
  const props: Obj[] = [
    prop("evidence-id", e.id),
    prop("evidence-kind", e.kind),
    prop("evidence-strength", e.strength),
    prop("effective", e.effective),
    ...(e.expires ? [prop("expires", e.expires)] : []),
    ...e.tags.map((t) => prop("tag", t)),
    ...(e.supersedes ? [prop("supersedes", e.supersedes)] : []),
    prop("added-by", e.addedBy),
    prop("added-at", e.addedAt),
  ];
  if (e.tool) {
    props.push(prop("tool", `${e.tool.name} ${e.tool.version}`));
    if (e.tool.outputSha256) props.push(prop("tool-output-sha256", e.tool.outputSha256));
  }
  const r: Obj = { uuid, title: markupLine(`${e.id}: ${e.title}`), props };
  const rlinks: Obj[] = [];
  if (e.file)
    rlinks.push({
      href: fromOscal(e.file.path),
      "media-type": str(e.file.mediaType),
      hashes: [{ algorithm: "SHA-256", value: e.file.sha256 }],
    });
  if (e.url) rlinks.push({ href: e.url });
  if (rlinks.length > 0) r.rlinks = rlinks;
  const remarks = [e.text, e.tool?.command ? `Command: ${e.tool.command}` : undefined].filter(Boolean);
  if (remarks.length > 0) r.remarks = remarks.join("\n\n");
  return r;
}

function status(f: Finding): Obj {
  switch (f.verdict) {
    case "pass":
      return { state: "satisfied", reason: "pass" };
    case "not-applicable":
      return { state: "satisfied", reason: "other", remarks: "Not applicable to this device." };
    case "fail":
      return { state: "not-satisfied", reason: "fail" };
    case "inconclusive":
      return {
        state: "not-satisfied",
        reason: "other",
        remarks: "Inconclusive: the verdict could not be reached.",
      };
    default:
      return { state: "not-satisfied", reason: "other", remarks: "Not assessed." };
  }
}

/**
 * The assessment as OSCAL 1.2.1 assessment results: one result; per finding an observation (method,
 * date, relevant evidence pointing at back-matter resources) and a finding whose target is the
 * profile item's control with satisfied / not-satisfied status. Evidence records are back-matter
 * resources; files are linked by their path in the dossier with their SHA-256.
 */
export function assessmentResultsToOscal(input: DossierInput): { "assessment-results": Obj } {
  const { assessment: a, profile } = input;
  const ns = DOSSIER_UUID_NAMESPACE;
  const id = (what: string) => uuidV5(`${a.id} ${a.updated} ${what}`, ns);
  const profileById = new Map(profile.items.map((i) => [i.id, i]));

  const parties = a.assessors.map((x, i) => {
    const p: Obj = { uuid: id(`party ${i} ${x.name}`), type: "person", name: str(x.name) };
    if (x.role) p.props = [prop("role", x.role)];
    if (x.organisation) p.remarks = `Organisation: ${x.organisation}`;
    return p;
  });
  const resources: Obj[] = [];
  const profileResource = id("profile");
  resources.push({
    uuid: profileResource,
    title: markupLine(`Profile ${profile.title}`),
    props: [prop("profile-id", profile.id)],
    rlinks: [{ href: "profile.json", "media-type": "application/oscal.profile+json" }],
    remarks:
      "Cairn records no separate assessment plan: the assessment covers one finding per item of this profile.",
  });
  const evidenceUuid = new Map<string, string>();
  for (const e of a.evidence) {
    const u = id(`evidence ${e.id}`);
    evidenceUuid.set(e.id, u);
    resources.push(evidenceResource(e, u));
  }
  const records = new Map(a.evidence.map((e) => [e.id, e]));

  const observations: Obj[] = [];
  const findings: Obj[] = [];
  for (const f of a.findings) {
    const entry = profileById.get(f.item);
    const item = input.registry.item(f.item);
    const catalogId = entry?.catalog ?? item?.catalogId ?? f.item.slice(0, Math.max(0, f.item.indexOf(":")));
    const ref = item?.ref ?? f.item.slice(f.item.indexOf(":") + 1);
    const controlId = oscalControlId(catalogId, ref);
    const label = entry?.label ?? item?.label ?? ref;
    const title = entry?.title ?? item?.title ?? f.item;
    const collected = toDateTime(f.updated?.date ?? a.updated);
    const obsUuid = id(`observation ${f.item}`);
    const obs: Obj = {
      uuid: obsUuid,
      title: markupLine(`${label} ${title}`),
      description: str(
        [
          `Verdict: ${f.verdict}.`,
          f.statement
            ? `Implementation: ${f.statement.support}${f.statement.detail ? `: ${f.statement.detail}` : ""}.`
            : "",
          f.notes ?? "",
        ]
          .filter(Boolean)
          .join("\n\n"),
      ),
      props: [prop("cairn-item", f.item), prop("verdict", f.verdict)],
      methods: [f.method ? METHOD[f.method] : "UNKNOWN"],
      types: ["control-objective"],
      collected,
    };
    if (f.updated?.by) (obs.props as Obj[]).push(prop("updated-by", f.updated.by));
    const relevant = f.evidence
      .map((e) => records.get(e))
      .filter((e): e is EvidenceRecord => e !== undefined)
      .map((e) => {
        const ev: Obj = {
          href: `#${evidenceUuid.get(e.id)}`,
          description: str(`${e.id}: ${e.title} (${e.strength})`),
          props: [prop("evidence-strength", e.strength)],
        };
        if (e.file) (ev.props as Obj[]).push(prop("sha256", e.file.sha256));
        return ev;
      });
    if (relevant.length > 0) obs["relevant-evidence"] = relevant;
    observations.push(obs);

    const target: Obj = {
      type: "objective-id",
      "target-id": controlId,
      props: [prop("cairn-item", f.item)],
      status: status(f),
    };
    if (f.statement) {
      const state =
        f.statement.support === "supported"
          ? "implemented"
          : f.statement.support === "not-applicable"
            ? "not-applicable"
            : undefined;
      if (state) target["implementation-status"] = { state };
      else target.remarks = `Not supported${f.statement.detail ? `: ${f.statement.detail}` : ""}`;
    }
    const fprops: Obj[] = [prop("cairn-item", f.item), prop("verdict", f.verdict)];
    if (entry) {
      fprops.push(prop("obligation", entry.obligation), prop("stringency", entry.stringency));
    }
    const stale = staleReason(f, a, entry);
    if (stale) fprops.push(prop("stale", stale));
    if (f.signOff) fprops.push(prop("signed-off-by", f.signOff.reviewer), prop("signed-off", f.signOff.date));
    findings.push({
      uuid: id(`finding ${f.item}`),
      title: markupLine(`${label} ${title}`),
      description: str(`${label}: ${f.verdict}${stale ? ` (stale: ${stale})` : ""}.`),
      props: fprops,
      target,
      "related-observations": [{ "observation-uuid": obsUuid }],
    });
  }

  const controlIds: string[] = [];
  for (const i of profile.items) {
    const c = oscalControlId(i.catalog, i.id.slice(i.id.indexOf(":") + 1));
    if (!controlIds.includes(c)) controlIds.push(c);
  }
  const result: Obj = {
    uuid: id("result"),
    title: markupLine(`Assessment of ${a.product.manufacturer} ${a.product.model} ${a.release.version}`),
    description: str(
      `${a.kind} assessment ${a.id} (${a.status}) of release ${a.release.version} against profile ${profile.id}.${input.draft ? " DRAFT: not a conformity statement." : ""}`,
    ),
    start: toDateTime(a.created),
    end: toDateTime(a.updated),
    props: [
      prop("assessment-id", a.id),
      prop("assessment-kind", a.kind),
      prop("assessment-status", a.status),
      prop("draft", String(input.draft)),
    ],
    "reviewed-controls": {
      "control-selections":
        controlIds.length > 0
          ? [{ "include-controls": controlIds.map((c) => ({ "control-id": c })) }]
          : [{ description: "The profile holds no items." }],
    },
  };
  if (observations.length > 0) result.observations = observations;
  if (findings.length > 0) result.findings = findings;

  const metadata: Obj = {
    title: markupLine(`${input.draft ? "DRAFT " : ""}${a.title}`),
    "last-modified": toDateTime(a.updated),
    version: str(a.updated),
    "oscal-version": "1.2.1",
    props: [
      prop("product", `${a.product.manufacturer} ${a.product.model}`),
      prop("product-id", a.product.id),
      prop("release", a.release.version),
      prop("profile-id", profile.id),
      prop("profile-sha256", a.profile.sha256),
    ],
  };
  if (parties.length > 0) {
    metadata.roles = [{ id: "assessor", title: "Assessor" }];
    metadata.parties = parties;
    metadata["responsible-parties"] = [
      { "role-id": "assessor", "party-uuids": parties.map((p) => p.uuid as string) },
    ];
  }
  return {
    "assessment-results": {
      uuid: id("assessment-results"),
      metadata,
      "import-ap": {
        href: `#${profileResource}`,
        remarks: `No OSCAL assessment plan: the plan is the profile (${DOSSIER_FILES.oscalProfile} in this dossier).`,
      },
      results: [result],
      "back-matter": { resources },
    },
  };
}
