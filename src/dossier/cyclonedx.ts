import {
  type Derivation,
  deriveVerdicts,
  type EffectiveVerdict,
  measureStale,
} from "../assessment/derive.js";
import type { EvidenceRecord } from "../assessment/model.js";
import { uuidV5 } from "../oscal/uuid.js";
import type { DossierInput } from "./model.js";
import { DOSSIER_UUID_NAMESPACE } from "./oscal-results.js";
import { profileCatalog, staleReason } from "./report-model.js";
import { dayOf, toDateTime } from "./util.js";

type Obj = Record<string, unknown>;

const CONFORMANCE: Record<EffectiveVerdict, number> = {
  pass: 1,
  "not-applicable": 1,
  partial: 0.5,
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
  f: { verdict: EffectiveVerdict },
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
export function attestationToCycloneDx(
  input: DossierInput,
  toolVersion: string,
  derivation: Derivation = deriveVerdicts(input.assessment, input.profile),
): Obj {
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

  // Each design measure is evidence of the mechanism or process behind the claims it settles (its
  // description, the items it implements, its verification), and their mitigation strategy.
  const measures = new Map((a.measures ?? []).map((m) => [m.id, m]));
  const measureRef = (id: string) => `measure:${id}`;
  for (const m of a.measures ?? []) {
    const v = m.verification;
    const stale = measureStale(m, a);
    const ev: Obj = {
      "bom-ref": measureRef(m.id),
      description: [
        `Design measure ${m.id}: ${m.title}${m.kind ? ` (${m.kind}${m.owner ? `, ${m.owner}` : ""})` : m.owner ? ` (${m.owner})` : ""}.`,
        m.description ?? "",
        `Implements: ${
          m.links
            .filter((l) => !l.removed)
            .map((l) => `${l.item} (${l.coverage})`)
            .join(", ") || "nothing"
        }.`,
        v
          ? `Verification: ${v.verdict} (${v.method}) on release ${v.basis.release} by ${v.by} on ${v.at}${v.notes ? `: ${v.notes}` : ""}.`
          : "Not verified yet.",
        stale ? `Stale: ${stale}.` : "",
        m.evidence.length > 0 ? `Evidence: ${m.evidence.join(", ")}.` : "",
        m.removed
          ? `Removed by ${m.removed.by} on ${m.removed.at}${m.removed.reason ? `: ${m.removed.reason}` : ""}.`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
      created: toDateTime(v?.at ?? m.updated?.date ?? a.updated),
    };
    if (v) ev.author = { name: v.by };
    else if (m.owner) ev.author = { name: m.owner };
    evidence.push(ev);
  }

  // Confidence per item: a person's verdict from its evidence; measures' from their evidence; a
  // roll-up as weak as its weakest child; an accepted proposal half its weakest source's.
  const findingByItem = new Map(a.findings.map((f) => [f.item, f]));
  const confidenceMemo = new Map<string, { score: number; rationale: string }>();
  const itemConfidence = (item: string, depth = 0): { score: number; rationale: string } => {
    const known = confidenceMemo.get(item);
    if (known) return known;
    const iv = derivation.items.get(item);
    const f = findingByItem.get(item);
    let out: { score: number; rationale: string };
    if (!iv || iv.source === "person" || iv.source === "none") {
      const attached = (f?.evidence ?? [])
        .map((e) => records.get(e))
        .filter((e): e is EvidenceRecord => e !== undefined);
      out = confidence(
        { verdict: iv?.verdict ?? f?.verdict ?? "not-assessed" },
        attached,
        a.updated,
        superseded,
        (iv ? iv.stale : f ? staleReason(f, a, profileById.get(item)) : undefined) !== undefined,
      );
    } else if (iv.source === "measures") {
      const ids = iv.path?.measures ?? [];
      const attached = ids
        .flatMap((m) => measures.get(m)?.evidence ?? [])
        .map((e) => records.get(e))
        .filter((e): e is EvidenceRecord => e !== undefined);
      const c = confidence({ verdict: iv.verdict }, attached, a.updated, superseded, iv.stale !== undefined);
      out = { score: c.score, rationale: `From the evidence of measures ${ids.join(", ")}: ${c.rationale}` };
    } else {
      const from = iv.source === "roll-up" ? (iv.path?.children ?? []) : (iv.path?.from ?? []);
      if (depth > derivation.items.size || from.length === 0)
        out = { score: 0.2, rationale: "No source to weigh." };
      else {
        let weakest = { item: from[0] as string, score: 1 };
        for (const x of from) {
          const c = itemConfidence(x, depth + 1);
          if (c.score < weakest.score) weakest = { item: x, score: c.score };
        }
        const carried = iv.source === "roll-up" ? weakest.score : weakest.score / 2;
        const score = Math.round((iv.stale ? carried / 2 : carried) * 100) / 100;
        out = {
          score,
          rationale:
            iv.source === "roll-up"
              ? `Rolled up: as strong as its weakest child, ${weakest.item}${iv.stale ? "; halved: stale" : ""}.`
              : `Accepted proposal: half its weakest source, ${weakest.item}${iv.stale ? "; halved again: stale" : ""}.`,
        };
      }
    }
    confidenceMemo.set(item, out);
    return out;
  };

  const claims: Obj[] = [];
  const map: Obj[] = [];
  for (const f of a.findings) {
    const entry = profileById.get(f.item);
    const label = entry ? `${entry.label} ${entry.title}` : f.item;
    const attached = f.evidence
      .map((e) => records.get(e))
      .filter((e): e is EvidenceRecord => e !== undefined);
    const iv = derivation.items.get(f.item);
    const verdict: EffectiveVerdict = iv?.verdict ?? f.verdict;
    const derived = iv && iv.source !== "person" && iv.source !== "none" ? iv : undefined;
    const stale = iv ? iv.stale : staleReason(f, a, entry);
    const backing = derived?.source === "measures" ? (derived.path?.measures ?? []) : [];
    const derivedWords = derived
      ? derived.source === "measures"
        ? `derived from measures ${backing.join(", ")} (${derived.rule ?? ""})`
        : derived.source === "roll-up"
          ? `rolled up from ${(derived.path?.children ?? []).join(", ")} (${derived.rule ?? ""})`
          : `from accepted proposal ${derived.path?.proposal ?? ""}${derived.path?.from ? ` from ${derived.path.from.join(", ")}` : ""}${derived.path?.rows ? ` through ${derived.path.rows.join(", ")}` : ""} (${derived.rule ?? ""})`
      : undefined;
    const claim: Obj = {
      "bom-ref": `claim:${f.item}`,
      target: "device",
      predicate: `${a.product.model} ${a.release.version} meets ${f.item} (${label}): verdict ${verdict}${derivedWords ? `, ${derivedWords}` : ""}.`,
      evidence: [
        ...attached.map((e) => evRef(e.id)),
        ...backing.flatMap((m) => [
          measureRef(m),
          ...(measures.get(m)?.evidence ?? []).filter((e) => records.has(e)).map(evRef),
        ]),
      ].filter((x, i, all) => all.indexOf(x) === i),
    };
    if (backing.length > 0) claim.mitigationStrategies = backing.map(measureRef);
    const reasoning = [
      f.statement
        ? `Implementation ${f.statement.support}${f.statement.detail ? `: ${f.statement.detail}` : ""}.`
        : "",
      f.method ? `Method: ${f.method}.` : "",
      f.notes ?? "",
      derivedWords ? `No verdict recorded on the item itself; ${derivedWords}.` : "",
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
        score: CONFORMANCE[verdict] ?? 0,
        rationale: `Verdict ${verdict}${derivedWords ? `, ${derivedWords}` : " by a person"}${stale ? ` (stale: ${stale})` : ""}${f.signOff ? `, signed off by ${f.signOff.reviewer} on ${f.signOff.date}` : ""}.`,
        mitigationStrategies: [
          ...backing.map(measureRef),
          ...attached.filter((e) => e.tags.includes("mitigation")).map((e) => evRef(e.id)),
        ],
      },
      confidence: itemConfidence(f.item),
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
