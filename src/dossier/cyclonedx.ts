import type { EvidenceRecord, Finding } from "../assessment/model.js";
import { uuidV5 } from "../oscal/uuid.js";
import type { DossierInput } from "./model.js";
import { DOSSIER_UUID_NAMESPACE } from "./oscal-results.js";
import { profileCatalog, staleReason } from "./report-model.js";
import { dayOf, toDateTime } from "./util.js";

type Obj = Record<string, unknown>;

const CONFORMANCE: Record<Finding["verdict"], number> = {
  pass: 1,
  "not-applicable": 1,
  inconclusive: 0.5,
  fail: 0,
  "not-assessed": 0,
};

/**
 * Confidence in a verdict, from the evidence behind it (docs/dossier.md): the strongest current
 * record counts (proves 0.9, supports 0.5, proves-only-when-failing 0.9 for a failure and 0.3
 * otherwise, none 0.1; expired or superseded records count as none); a verdict without evidence
 * 0.2; not assessed 0; a stale verdict half of that.
 */
export function confidence(
  f: Finding,
  evidence: EvidenceRecord[],
  date: string,
  superseded: ReadonlySet<string>,
  stale: boolean,
): { score: number; rationale: string } {
  if (f.verdict === "not-assessed") return { score: 0, rationale: "Not assessed." };
  let best = 0;
  let why = "no evidence recorded; the assessor's statement only";
  if (evidence.length === 0) best = 0.2;
  for (const e of evidence) {
    const dead = (e.expires !== undefined && dayOf(e.expires) <= dayOf(date)) || superseded.has(e.id);
    const s = dead
      ? 0.1
      : e.strength === "proves"
        ? 0.9
        : e.strength === "supports"
          ? 0.5
          : e.strength === "proves-only-when-failing"
            ? f.verdict === "fail"
              ? 0.9
              : 0.3
            : 0.1;
    if (s > best) {
      best = s;
      why = `strongest evidence ${e.id} (${e.strength}${dead ? ", expired or superseded" : ""})`;
    }
  }
  if (stale) {
    best /= 2;
    why += "; halved: the verdict is stale";
  }
  return { score: Math.round(best * 100) / 100, rationale: `${why}.` };
}

/**
 * The assessment as a CycloneDX 1.6 attestation (`declarations`): the profile items are
 * requirements of standards (`definitions.standards`, one per catalog), each finding a claim about
 * the device with its evidence, mapped by one attestation with conformance and confidence.
 */
export function attestationToCycloneDx(input: DossierInput, toolVersion: string): Obj {
  const { assessment: a, profile, registry } = input;
  const profileById = new Map(profile.items.map((i) => [i.id, i]));
  const records = new Map(a.evidence.map((e) => [e.id, e]));
  const superseded = new Set(a.evidence.flatMap((e) => (e.supersedes ? [e.supersedes] : [])));
  const reqRef = (item: string) => `requirement:${item}`;
  const evRef = (id: string) => `evidence:${id}`;

  const standards = Object.entries(profile.catalogs).flatMap(([catalogId, version]) => {
    const items = profile.items.filter((i) => i.catalog === catalogId);
    if (items.length === 0) return [];
    const catalog = profileCatalog(registry, profile, catalogId);
    const inProfile = new Set(items.map((i) => i.id));
    const requirements = items.map((i) => {
      const r: Obj = { "bom-ref": reqRef(i.id), identifier: i.label, text: i.title };
      const item = registry.item(i.id);
      if (item?.text) r.descriptions = [item.text];
      const parent = item
        ? [...registry.ancestors(item)].reverse().find((p) => inProfile.has(p.id))
        : undefined;
      if (parent) r.parent = reqRef(parent.id);
      r.properties = [
        { name: "cairn:item", value: i.id },
        { name: "cairn:obligation", value: i.obligation },
        { name: "cairn:stringency", value: i.stringency },
        { name: "cairn:assessment-method", value: i.method },
      ];
      return r;
    });
    return [
      {
        "bom-ref": `standard:${catalogId}@${version}`,
        name: catalog?.meta.title ?? catalogId,
        version,
        owner: catalog?.meta.publisher ?? "unknown",
        requirements,
      },
    ];
  });

  const assessors = a.assessors.map((x, i) => ({
    "bom-ref": `assessor:${i + 1}`,
    thirdParty: a.kind === "third-party",
    organization: {
      name: x.organisation ?? x.name,
      contact: [{ name: x.name }],
    },
  }));

  const evidence = a.evidence.map((e) => {
    const ev: Obj = {
      "bom-ref": evRef(e.id),
      description: `${e.id}: ${e.title} (${e.kind}, strength ${e.strength}${e.tags.length > 0 ? `; tags ${e.tags.join(", ")}` : ""}${e.file ? `; sha256 ${e.file.sha256}` : ""}${e.supersedes ? `; supersedes ${e.supersedes}` : ""})`,
      created: toDateTime(e.effective),
      author: { name: e.addedBy },
    };
    if (e.expires) ev.expires = toDateTime(e.expires);
    const data: Obj[] = [];
    if (e.file) data.push({ name: e.file.name, contents: { url: e.file.path } });
    if (e.url) data.push({ name: e.title, contents: { url: e.url } });
    if (e.text)
      data.push({ name: "text", contents: { attachment: { contentType: "text/plain", content: e.text } } });
    if (e.tool)
      data.push({
        name: `tool ${e.tool.name} ${e.tool.version}`,
        contents: {
          attachment: {
            contentType: "text/plain",
            content: [e.tool.command ?? "", e.tool.outputSha256 ? `output sha256 ${e.tool.outputSha256}` : ""]
              .filter(Boolean)
              .join("\n"),
          },
        },
      });
    if (data.length > 0) ev.data = data;
    return ev;
  });

  const claims: Obj[] = [];
  const map: Obj[] = [];
  for (const f of a.findings) {
    const entry = profileById.get(f.item);
    const label = entry ? `${entry.label} ${entry.title}` : f.item;
    const attached = f.evidence
      .map((e) => records.get(e))
      .filter((e): e is EvidenceRecord => e !== undefined);
    const stale = staleReason(f, a, entry);
    const claim: Obj = {
      "bom-ref": `claim:${f.item}`,
      target: "device",
      predicate: `${a.product.model} ${a.release.version} meets ${f.item} (${label}): verdict ${f.verdict}.`,
      evidence: attached.map((e) => evRef(e.id)),
    };
    const reasoning = [
      f.statement
        ? `Implementation ${f.statement.support}${f.statement.detail ? `: ${f.statement.detail}` : ""}.`
        : "",
      f.method ? `Method: ${f.method}.` : "",
      f.notes ?? "",
      stale ? `Stale: ${stale}.` : "",
    ].filter(Boolean);
    if (reasoning.length > 0) claim.reasoning = reasoning.join(" ");
    const files = attached.filter((e) => e.file);
    if (files.length > 0)
      claim.externalReferences = files.map((e) => ({
        type: "evidence",
        url: e.file?.path,
        comment: `${e.id}: ${e.title}`,
        hashes: [{ alg: "SHA-256", content: e.file?.sha256 }],
      }));
    claims.push(claim);
    if (!entry) continue;
    map.push({
      requirement: reqRef(f.item),
      claims: [`claim:${f.item}`],
      conformance: {
        score: CONFORMANCE[f.verdict] ?? 0,
        rationale: `Verdict ${f.verdict}${f.signOff ? `, signed off by ${f.signOff.reviewer} on ${f.signOff.date}` : ""}.`,
        mitigationStrategies: attached.filter((e) => e.tags.includes("mitigation")).map((e) => evRef(e.id)),
      },
      confidence: confidence(f, attached, a.updated, superseded, stale !== undefined),
    });
  }

  const attestation: Obj = {
    summary: `${a.kind} assessment ${a.id} of ${a.product.manufacturer} ${a.product.model} ${a.release.version} against profile ${profile.id}${input.draft ? " (DRAFT: not a conformity statement)" : ""}.`,
    map,
  };
  if (assessors.length > 0) attestation.assessor = assessors[0]?.["bom-ref"];

  const declarations: Obj = { attestations: [attestation], claims, evidence };
  if (assessors.length > 0) declarations.assessors = assessors;

  const device: Obj = {
    type: "device",
    "bom-ref": "device",
    name: a.product.model,
    version: a.release.version,
    manufacturer: { name: a.product.manufacturer },
    description: `${a.product.category}; release ${a.release.version} of ${a.release.date}`,
    properties: [
      { name: "cairn:product-id", value: a.product.id },
      ...(a.release.hardwareVersion
        ? [{ name: "cairn:hardware-version", value: a.release.hardwareVersion }]
        : []),
      ...(a.release.supportEnd ? [{ name: "cairn:support-end", value: a.release.supportEnd }] : []),
      ...Object.entries(a.release.identity ?? {}).map(([k, v]) => ({
        name: `cairn:identity:${k}`,
        value: v,
      })),
    ],
  };
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${uuidV5(`${a.id} ${a.updated} cyclonedx`, DOSSIER_UUID_NAMESPACE)}`,
    version: 1,
    metadata: {
      timestamp: toDateTime(a.updated),
      tools: { components: [{ type: "application", name: "Cairn", version: toolVersion }] },
      component: device,
      properties: [
        { name: "cairn:assessment-id", value: a.id },
        { name: "cairn:profile-id", value: profile.id },
        { name: "cairn:profile-sha256", value: a.profile.sha256 },
        { name: "cairn:draft", value: String(input.draft) },
      ],
    },
    declarations,
    definitions: { standards },
  };
}
