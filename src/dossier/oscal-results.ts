import { type Derivation, deriveVerdicts, type ItemVerdict, measureStale } from "../assessment/derive.js";
import type { Assessment, EvidenceRecord, Measure, Method, Risk } from "../assessment/model.js";
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

/** The finding's status from the item's effective verdict; a stale verdict satisfies nothing. */
function status(v: ItemVerdict["verdict"], stale: string | undefined): Obj {
  if (stale)
    return { state: "not-satisfied", reason: "other", remarks: `Stale (${v}, no longer holds): ${stale}.` };
  switch (v) {
    case "pass":
      return { state: "satisfied", reason: "pass" };
    case "not-applicable":
      return { state: "satisfied", reason: "other", remarks: "Not applicable to this device." };
    case "fail":
      return { state: "not-satisfied", reason: "fail" };
    case "partial":
      return {
        state: "not-satisfied",
        reason: "other",
        remarks:
          "Partly met: the measures implementing it cover only part of it, or only some children pass.",
      };
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
export function assessmentResultsToOscal(
  input: DossierInput,
  derivation: Derivation = deriveVerdicts(input.assessment, input.profile),
): { "assessment-results": Obj } {
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
  const relevantEvidence = (ids: string[]): Obj[] =>
    ids
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

  // Design measures: components of the device (local definitions), each verification an observation.
  const design = designParts(a, id, relevantEvidence);
  const observations: Obj[] = [...design.observations];
  const findings: Obj[] = [];
  const itemObservation = (item: string) => id(`observation ${item}`);
  const findingItems = new Set(a.findings.map((f) => f.item));
  for (const f of a.findings) {
    const iv = derivation.items.get(f.item);
    const entry = profileById.get(f.item);
    const item = input.registry.item(f.item);
    const catalogId = entry?.catalog ?? item?.catalogId ?? f.item.slice(0, Math.max(0, f.item.indexOf(":")));
    const ref = item?.ref ?? f.item.slice(f.item.indexOf(":") + 1);
    const controlId = oscalControlId(catalogId, ref);
    const label = entry?.label ?? item?.label ?? ref;
    const title = entry?.title ?? item?.title ?? f.item;
    const collected = toDateTime(f.updated?.date ?? a.updated);
    const obsUuid = itemObservation(f.item);
    const verdict = iv?.verdict ?? f.verdict;
    const source = iv?.source ?? (f.verdict === "not-assessed" ? "none" : "person");
    const derived = iv && source !== "person" && source !== "none" ? iv : undefined;
    const obs: Obj = {
      uuid: obsUuid,
      title: markupLine(`${label} ${title}`),
      description: str(
        [
          source === "person"
            ? `Verdict: ${f.verdict}, recorded by a person.`
            : derived
              ? `No verdict recorded on the item itself; derived: ${verdict} (${derived.source}: ${derived.rule ?? ""}).`
              : "Not assessed.",
          f.statement
            ? `Implementation: ${f.statement.support}${f.statement.detail ? `: ${f.statement.detail}` : ""}.`
            : "",
          f.notes ?? "",
        ]
          .filter(Boolean)
          .join("\n\n"),
      ),
      props: [prop("cairn-item", f.item), prop("verdict", verdict), prop("verdict-source", source)],
      methods: [f.method ? METHOD[f.method] : "UNKNOWN"],
      types: ["control-objective"],
      collected,
    };
    if (f.updated?.by) (obs.props as Obj[]).push(prop("updated-by", f.updated.by));
    const relevant = relevantEvidence(f.evidence);
    if (relevant.length > 0) obs["relevant-evidence"] = relevant;
    observations.push(obs);

    const target: Obj = {
      type: "objective-id",
      "target-id": controlId,
      props: [prop("cairn-item", f.item)],
      status: status(verdict, iv ? iv.stale : staleReason(f, a, entry)),
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
    const fprops: Obj[] = [
      prop("cairn-item", f.item),
      prop("verdict", verdict),
      prop("verdict-source", source),
    ];
    if (entry) {
      fprops.push(prop("obligation", entry.obligation), prop("stringency", entry.stringency));
    }
    const stale = iv ? iv.stale : staleReason(f, a, entry);
    if (stale) fprops.push(prop("stale", stale));
    if (f.signOff) fprops.push(prop("signed-off-by", f.signOff.reviewer), prop("signed-off", f.signOff.date));
    // Where a derived verdict came from: the measures' verifications, the children's findings, or
    // the accepted proposal's source items, each also a related observation.
    const related: Obj[] = [{ "observation-uuid": obsUuid }];
    if (derived) {
      fprops.push(prop("derivation-rule", derived.rule ?? derived.source));
      const p = derived.path ?? {};
      for (const m of p.measures ?? []) {
        fprops.push(prop("derived-from-measure", m));
        const o = design.verification.get(m);
        if (o) related.push({ "observation-uuid": o, remarks: `Verification of measure ${m}.` });
      }
      for (const c of p.children ?? []) {
        fprops.push(prop("derived-from-child", c));
        if (findingItems.has(c))
          related.push({ "observation-uuid": itemObservation(c), remarks: `Child ${c} (roll-up).` });
      }
      if (p.proposal) fprops.push(prop("accepted-proposal", p.proposal));
      for (const x of p.from ?? []) {
        fprops.push(prop("derived-from-item", x));
        if (findingItems.has(x))
          related.push({
            "observation-uuid": itemObservation(x),
            remarks: `Source item ${x} of the proposal.`,
          });
      }
      for (const r of p.rows ?? []) fprops.push(prop("mapping-row", r));
      if (p.collector)
        fprops.push(prop("collector", p.collector.name), prop("collector-evidence", p.collector.evidence));
    } else if (iv?.derived)
      fprops.push(
        prop(
          "design-would-give",
          `${iv.derived.verdict} (${iv.derived.source}${iv.derived.path?.measures ? `: ${iv.derived.path.measures.join(", ")}` : ""})`,
        ),
      );
    findings.push({
      uuid: id(`finding ${f.item}`),
      title: markupLine(`${label} ${title}`),
      description: str(
        `${label}: ${verdict}${derived ? `, derived (${derived.source}: ${derived.rule ?? ""})` : ""}${stale ? ` (stale: ${stale})` : ""}.`,
      ),
      props: fprops,
      target,
      "related-observations": related,
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
  if (design.components.length > 0) result["local-definitions"] = { components: design.components };
  if (observations.length > 0) result.observations = observations;
  const risks = risksOf(a, id, design, parties[0]?.uuid as string | undefined);
  if (risks.length > 0) result.risks = risks;
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

interface DesignParts {
  components: Obj[];
  observations: Obj[];
  /** Measure id to its component's UUID. */
  component: Map<string, string>;
  /** Measure id to its verification observation's UUID (verified measures only). */
  verification: Map<string, string>;
  measures: Map<string, Measure>;
}

/**
 * Each design measure as a component of the device (OSCAL's `local-definitions`: defined by the
 * assessment, since there is no system security plan to import), with the items it implements as
 * props; each verification an observation of type `mitigation` whose subject is the component.
 */
function designParts(
  a: Assessment,
  id: (what: string) => string,
  relevantEvidence: (ids: string[]) => Obj[],
): DesignParts {
  const out: DesignParts = {
    components: [],
    observations: [],
    component: new Map(),
    verification: new Map(),
    measures: new Map(),
  };
  for (const m of a.measures ?? []) {
    const uuid = id(`measure ${m.id}`);
    out.component.set(m.id, uuid);
    out.measures.set(m.id, m);
    const props: Obj[] = [prop("measure-id", m.id)];
    if (m.kind) props.push(prop("measure-kind", m.kind));
    if (m.owner) props.push(prop("owner", m.owner));
    if (m.library) props.push(prop("library-entry", `${m.library.id} v${m.library.version}`));
    for (const l of m.links)
      props.push({
        ...prop(l.removed ? "implemented-item-removed" : "implements", l.item),
        class: l.coverage,
      });
    for (const e of m.evidence) props.push(prop("evidence-id", e));
    const c: Obj = {
      uuid,
      // Most of a device's mechanisms are firmware; the measure's own kind is the measure-kind prop.
      type: m.kind === "process" ? "process-procedure" : "software",
      title: markupLine(`${m.id}: ${m.title}`),
      description: str(m.description ?? m.title),
      props,
      status: m.removed
        ? {
            state: "disposition",
            remarks: `Removed by ${m.removed.by} on ${m.removed.at}${m.removed.reason ? `: ${m.removed.reason}` : ""}.`,
          }
        : { state: "operational" },
    };
    out.components.push(c);
    const v = m.verification;
    if (!v) continue;
    const obsUuid = id(`measure verification ${m.id}`);
    out.verification.set(m.id, obsUuid);
    const stale = measureStale(m, a);
    const o: Obj = {
      uuid: obsUuid,
      title: markupLine(`Verification of ${m.id}: ${m.title}`),
      description: str(
        [
          `Verdict: ${v.verdict} on release ${v.basis.release}.`,
          v.notes ?? "",
          stale ? `Stale: ${stale}.` : "",
        ]
          .filter(Boolean)
          .join("\n\n"),
      ),
      props: [
        prop("measure-id", m.id),
        prop("verdict", v.verdict),
        prop("verified-release", v.basis.release),
        prop("verified-by", v.by),
        ...(stale ? [prop("stale", stale)] : []),
      ],
      methods: [METHOD[v.method] ?? "UNKNOWN"],
      types: ["mitigation"],
      subjects: [{ "subject-uuid": uuid, type: "component", title: markupLine(`${m.id}: ${m.title}`) }],
      collected: toDateTime(v.at),
    };
    const rel = relevantEvidence(m.evidence);
    if (rel.length > 0) o["relevant-evidence"] = rel;
    out.observations.push(o);
  }
  return out;
}

/**
 * A risk's OSCAL status: mitigated by measures that all pass their verification, avoided or
 * transferred: closed; accepted: deviation approved; mitigation still unverified: open.
 */
function riskStatus(r: Risk, design: DesignParts, a: Assessment): string {
  const d = r.treatment.decision;
  if (d === "accept") return "deviation-approved";
  if (d === "avoid" || d === "transfer") return "closed";
  const ms = r.treatment.measures.map((id) => design.measures.get(id));
  const done =
    ms.length > 0 &&
    ms.every((m) => m && !m.removed && m.verification?.verdict === "pass" && !measureStale(m, a));
  return done ? "closed" : "open";
}

/** The risk register as the result's risks: likelihood, impact and residual risk as facets, measures as mitigating factors. */
function risksOf(a: Assessment, id: (what: string) => string, design: DesignParts, assessor?: string): Obj[] {
  return (a.risks ?? [])
    .filter((r) => !r.removed)
    .map((r) => {
      const measures = r.treatment.measures.map(
        (m) => `${m}${design.measures.get(m) ? ` ${design.measures.get(m)?.title}` : " (not in the design)"}`,
      );
      const risk: Obj = {
        uuid: id(`risk ${r.id}`),
        title: markupLine(`${r.id}: ${r.threat}`),
        description: str(
          `Asset: ${r.asset}. Threat: ${r.threat}. Likelihood ${r.likelihood}, impact ${r.impact}; residual risk ${r.residual}.`,
        ),
        statement: str(
          `Treatment: ${r.treatment.decision}${measures.length > 0 ? ` by ${measures.join("; ")}` : ", no measure"}.${r.treatment.notes ? ` ${r.treatment.notes}` : ""}`,
        ),
        props: [
          prop("risk-id", r.id),
          prop("asset", r.asset),
          prop("likelihood", r.likelihood),
          prop("impact", r.impact),
          prop("residual-risk", r.residual),
          prop("treatment-decision", r.treatment.decision),
          ...r.treatment.measures.map((m) => prop("treated-by-measure", m)),
          ...(r.owner ? [prop("owner", r.owner)] : []),
        ],
        status: riskStatus(r, design, a),
      };
      if (assessor)
        risk.characterizations = [
          {
            origin: { actors: [{ type: "party", "actor-uuid": assessor }] },
            facets: [
              { name: "likelihood", system: CAIRN_NS, value: r.likelihood },
              { name: "impact", system: CAIRN_NS, value: r.impact },
              { name: "residual-risk", system: CAIRN_NS, value: r.residual },
            ],
          },
        ];
      const factors = r.treatment.measures.flatMap((m) => {
        const c = design.component.get(m);
        const measure = design.measures.get(m);
        if (!c || !measure) return [];
        return [
          {
            uuid: id(`risk ${r.id} factor ${m}`),
            description: str(`${m}: ${measure.title}${measure.removed ? " (removed)" : ""}`),
            subjects: [{ "subject-uuid": c, type: "component" }],
          },
        ];
      });
      if (factors.length > 0) risk["mitigating-factors"] = factors;
      const related = r.treatment.measures.flatMap((m) => {
        const o = design.verification.get(m);
        return o ? [{ "observation-uuid": o }] : [];
      });
      if (related.length > 0) risk["related-observations"] = related;
      return risk;
    });
}
