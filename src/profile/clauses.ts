import type { CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { escapeHtml } from "../crosswalk/matrix-render.js";
import type { Profile, ProfileItem } from "./model.js";

export interface ClauseGroup {
  /** The capability, clause or part the requirement is about. */
  anchor: { id: string; label: string; title: string; catalog: string };
  items: ProfileItem[];
  stringency: string;
  evidence: string[];
}

export interface AcquisitionClauses {
  title: string;
  general: string[];
  groups: ClauseGroup[];
}

const GROUP_KINDS = new Set(["capability", "clause", "part", "annex"]);

function groupAnchor(registry: CatalogRegistry, id: string): CatalogItem | undefined {
  const item = registry.item(id);
  if (!item) return undefined;
  if (GROUP_KINDS.has(item.kind) && item.depth <= 1) return item;
  const ancestors = registry.ancestors(item);
  // The deepest capability-like ancestor, so SP 800-213A groups by capability, not by part.
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i] as CatalogItem;
    if (a.kind === "capability" || a.kind === "clause") return a;
  }
  return ancestors[ancestors.length - 1] ?? item;
}

const LEVEL_WORDS: Record<string, string> = {
  low: "at a basic level",
  moderate: "at a level suited to a moderate-impact system",
  high: "at the most demanding level, with no reliance on compensating measures outside the device",
};

/**
 * Turns a profile into acquisition requirements in contract language (Cairn's own words): general
 * clauses from the profile's requirements, then one requirement per capability with how delivery
 * is verified and the evidence expected.
 */
export function acquisitionClauses(profile: Profile, registry: CatalogRegistry): AcquisitionClauses {
  const general: string[] = [];
  const who = profile.context.name ? `the ${profile.context.name}` : "the device";
  general.push(
    `Scope. These requirements apply to ${who} and to the services, software and documentation the supplier provides with it. They were derived with Cairn rules ${profile.rules.id} ${profile.rules.version} from the context below (FIPS 199 high-water mark ${profile.highWaterMark}, SP 800-53B ${profile.baseline} baseline).`,
  );
  general.push(
    profile.requirements.independentAssessment
      ? "Verification. Delivery is accepted on the report of an independent assessor acceptable to the agency, covering every requirement below, with the evidence examined and a verdict per item. Self-declarations are not sufficient."
      : "Verification. The supplier shall deliver a signed declaration of conformity covering every requirement below, with the evidence listed for each. The agency may test a delivered unit before acceptance.",
  );
  if (profile.requirements.fips140_3) {
    general.push(
      "Cryptography. Every cryptographic function that protects data, identities or software integrity shall be performed by a module validated under FIPS 140-3, named with its CMVP certificate number, and operated in its approved mode.",
    );
  }
  if (profile.requirements.minSupportYears > 0) {
    general.push(
      `Support period. The supplier shall provide security updates for at least ${profile.requirements.minSupportYears} years from delivery, shall publish the end date of that support period, and shall notify the agency before support ends.`,
    );
  }
  general.push(
    "Software bill of materials. The supplier shall deliver a machine-readable SBOM (CycloneDX or SPDX) for each software release and keep it current with every update.",
  );

  const groups = new Map<string, ClauseGroup>();
  for (const item of profile.items) {
    const anchor = groupAnchor(registry, item.id);
    const key = anchor?.id ?? item.id;
    let g = groups.get(key);
    if (!g) {
      g = {
        anchor: {
          id: key,
          label: anchor?.label ?? item.label,
          title: anchor?.title ?? item.title,
          catalog: anchor?.catalogId ?? item.catalog,
        },
        items: [],
        stringency: "low",
        evidence: [],
      };
      groups.set(key, g);
    }
    g.items.push(item);
    if (
      ["low", "moderate", "high"].indexOf(item.stringency) > ["low", "moderate", "high"].indexOf(g.stringency)
    ) {
      g.stringency = item.stringency;
    }
    for (const e of item.evidence) if (!g.evidence.includes(e)) g.evidence.push(e);
  }
  return { title: `Acquisition requirements: ${profile.title}`, general, groups: [...groups.values()] };
}

function shortTitle(registry: CatalogRegistry, catalog: string): string {
  return registry.get(catalog)?.meta.shortTitle ?? catalog;
}

function requirementText(registry: CatalogRegistry, g: ClauseGroup): string {
  const text = `${shortTitle(registry, g.anchor.catalog)} ${g.anchor.label === g.anchor.title ? "" : `${g.anchor.label} `}${g.anchor.title}`;
  return `The supplier shall deliver a device that provides ${text}, ${LEVEL_WORDS[g.stringency] ?? ""}, covering each of the items listed.`;
}

const MARK: Record<string, string> = {
  required: "",
  recommended: " (recommended)",
  conditional: " (where its condition applies)",
};

export function clausesToMarkdown(
  c: AcquisitionClauses,
  profile: Profile,
  registry: CatalogRegistry,
): string {
  const out = [`# ${c.title}`, ""];
  out.push(
    `Context: C/I/A ${profile.context.impact.confidentiality}/${profile.context.impact.integrity}/${profile.context.impact.availability}, environment ${profile.context.environment}, connectivity ${profile.context.connectivity}, data ${profile.context.data.join(", ")}, lifetime ${profile.context.lifetimeYears} years, markets ${profile.context.markets.join(", ")}.`,
    "",
    "## General requirements",
    "",
  );
  c.general.forEach((g, i) => {
    out.push(`${i + 1}. ${g}`);
  });
  out.push("", "## Capability requirements", "");
  c.groups.forEach((g, n) => {
    out.push(
      `### R${n + 1}. ${shortTitle(registry, g.anchor.catalog)} ${g.anchor.label === g.anchor.title ? g.anchor.title : `${g.anchor.label} ${g.anchor.title}`}`,
      "",
    );
    out.push(`**Requirement.** ${requirementText(registry, g)}`, "");
    for (const i of g.items)
      out.push(`- \`${i.id}\` ${i.title.replace(/\s+/g, " ")}${MARK[i.obligation] ?? ""}`);
    out.push(
      "",
      `**Verified by.** ${g.items[0]?.method === "independent-assessment" ? "independent assessment" : "supplier self-attestation"}.`,
      "",
    );
    if (g.evidence.length > 0) {
      out.push("**Evidence expected.**", "");
      for (const e of g.evidence) out.push(`- ${e}`);
      out.push("");
    }
  });
  return `${out.join("\n")}\n`;
}

export function clausesToHtml(c: AcquisitionClauses, profile: Profile, registry: CatalogRegistry): string {
  const e = escapeHtml;
  const groups = c.groups
    .map(
      (g, n) => `<section>
<h3>R${n + 1}. ${e(shortTitle(registry, g.anchor.catalog))} ${e(g.anchor.label === g.anchor.title ? g.anchor.title : `${g.anchor.label} ${g.anchor.title}`)}</h3>
<p><strong>Requirement.</strong> ${e(requirementText(registry, g))}</p>
<ul>${g.items.map((i) => `<li><code>${e(i.id)}</code> ${e(i.title)}${e(MARK[i.obligation] ?? "")}</li>`).join("")}</ul>
<p><strong>Verified by.</strong> ${g.items[0]?.method === "independent-assessment" ? "independent assessment" : "supplier self-attestation"}.</p>
${g.evidence.length > 0 ? `<p><strong>Evidence expected.</strong></p><ul>${g.evidence.map((x) => `<li>${e(x)}</li>`).join("")}</ul>` : ""}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(c.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{font-size:90%}section{border-top:1px solid #ddd}</style>
</head><body>
<h1>${e(c.title)}</h1>
<p>Context: C/I/A ${e(`${profile.context.impact.confidentiality}/${profile.context.impact.integrity}/${profile.context.impact.availability}`)}, environment ${e(profile.context.environment)}, connectivity ${e(profile.context.connectivity)}, data ${e(profile.context.data.join(", "))}, lifetime ${profile.context.lifetimeYears} years, markets ${e(profile.context.markets.join(", "))}.</p>
<h2>General requirements</h2>
<ol>${c.general.map((g) => `<li>${e(g)}</li>`).join("")}</ol>
<h2>Capability requirements</h2>
${groups}
</body></html>
`;
}
