import type { MarketReadinessDetail } from "../assessment/readiness.js";
import type { MarketReadiness } from "../assessment/report-types.js";
import { formatProblem } from "../core/problem.js";
import { cellText, escapeHtml as esc, LEGEND } from "../crosswalk/matrix-render.js";
import type { DesignView, MeasureView } from "./design.js";
import type { EvidenceView, FindingView, ReportModel } from "./report-model.js";
import { evidenceDates, heading, VERDICT_LABEL } from "./report-model.js";
import { openSummary } from "./status.js";
import { auditRow, executiveSummary, percentMet, readinessAlt } from "./summary.js";
import { EVIDENCE_PATH } from "./validate.js";

const CSS = `
:root{--fg:#1b1f23;--muted:#57606a;--line:#d0d7de;--bg2:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:1rem 1.5rem 3rem}
h1{font-size:1.7rem;margin:.2rem 0 .4rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border:1px solid var(--line);padding:.25rem .45rem;vertical-align:top;text-align:left}
thead th{background:var(--bg2)}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.muted{color:var(--muted)}.small{font-size:.85em}
.v{font-weight:600;white-space:nowrap}.v-pass{color:var(--pass)}.v-fail{color:var(--fail)}
.v-inconclusive,.v-not-assessed,.v-no-finding,.v-partial{color:var(--warn)}
.src{font-weight:400;font-size:.8em;color:var(--muted);white-space:nowrap}
tr.flagged th,tr.flagged td{background:#fff8c5}.flag{color:var(--fail);font-weight:600}.v-not-applicable{color:var(--muted)}
.r-pass{color:var(--pass)}.r-fail{color:var(--fail)}.r-partial{color:var(--warn)}
.sev-error{color:var(--fail);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}
.derived{font-style:italic}
.stale{color:var(--warn)}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
.draft-banner{border:3px solid var(--fail);color:var(--fail);font-weight:700;padding:.5rem 1rem;margin:.5rem 0 1rem}
.final-banner{border:3px solid var(--pass);color:var(--pass);font-weight:700;padding:.5rem 1rem;margin:.5rem 0 1rem}
.override-banner{border:3px solid var(--warn);color:var(--warn);font-weight:700;padding:.5rem 1rem;margin:.5rem 0 1rem}
.standing ul{font-weight:400;color:var(--fg)}
.override-foot{display:none}
@media print{.override-foot{display:block;position:fixed;bottom:0;left:0;right:0;font-size:9px;color:var(--warn);font-weight:700;background:#fff}}
figure{margin:.5rem 0 1rem}figcaption{font-weight:600;margin-bottom:.3rem}
.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}.chart .group{font-weight:700;fill:var(--muted)}
.draft-mark{position:fixed;top:40%;left:0;right:0;overflow:hidden;text-align:center;font-size:min(9rem,24vw);font-weight:800;color:rgba(207,34,46,.12);transform:rotate(-30deg);pointer-events:none;z-index:10}
.draft-mark::after{content:attr(data-mark)}
nav ol{columns:2;margin:.3rem 0}nav li{margin:.15rem 0}nav a{display:inline-block;min-height:24px;padding:.1rem 0}
.table-wrap{overflow-x:auto;max-width:100%;margin:.4rem 0 1rem}.table-wrap>table{margin:0}
@media (max-width:600px){body{padding:.75rem .75rem 2rem}nav ol{columns:1}dl.kv{grid-template-columns:1fr}dl.kv dd{margin-bottom:.3rem}th,td{overflow-wrap:anywhere}}
pre{background:var(--bg2);padding:.5rem;overflow:auto;font-size:.8em}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}tr{break-inside:avoid}nav{display:none}}
`;

/** A link only to an evidence file of the dossier or to an http(s) URL; anything else is shown as text. */
function link(href: string, text: string): string {
  const safe = EVIDENCE_PATH.test(href) || /^https?:\/\/[^\s"<>]+$/.test(href);
  return safe ? `<a href="${esc(href)}" rel="noreferrer">${esc(text)}</a>` : esc(text);
}

function verdict(v: FindingView["effective"] | undefined): string {
  const key = v ?? "no finding";
  return `<span class="v v-${key.replace(/ /g, "-")}">${esc(VERDICT_LABEL[key])}</span>`;
}

function evidenceLine(e: EvidenceView): string {
  const r = e.record;
  const file = r.file
    ? ` ${link(r.file.path, r.file.name)} <span class="hash">sha256:${esc(r.file.sha256)}</span>`
    : "";
  const url = r.url ? ` ${link(r.url, r.url)}` : "";
  const flags = [
    e.expired ? '<span class="stale">expired</span>' : "",
    e.supersededBy ? `<span class="stale">superseded by ${esc(e.supersededBy)}</span>` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return `<li><b>${esc(r.id)}</b> ${esc(r.title)} <span class="muted">(${esc(r.kind)}, ${esc(r.strength)}; ${esc(evidenceDates(e))})</span>${file}${url} ${flags}</li>`;
}

function findingRow(f: FindingView): string {
  const p = f.profile;
  const details: string[] = [];
  if (f.statement)
    details.push(
      `<div><span class="muted">Implementation:</span> ${esc(f.statement.support)}${f.statement.detail ? `: ${esc(f.statement.detail)}` : ""}</div>`,
    );
  if (f.notes) details.push(`<div><span class="muted">Notes:</span> ${esc(f.notes)}</div>`);
  if (f.evidence.length > 0) details.push(`<ul class="small">${f.evidence.map(evidenceLine).join("")}</ul>`);
  if (f.unknownEvidence.length > 0)
    details.push(`<div class="stale">Unknown evidence: ${esc(f.unknownEvidence.join(", "))}</div>`);
  if (f.derivation) details.push(`<div class="derived small">Derived: ${esc(f.derivation)}</div>`);
  if (f.wouldDerive)
    details.push(
      `<div class="muted small">Recorded by a person; the design would give: ${esc(f.wouldDerive)}</div>`,
    );
  if (f.waiting)
    details.push(
      `<div class="stale small">Waiting for the verification of ${esc(f.waiting.join(", "))}</div>`,
    );
  if (f.stale) details.push(`<div class="stale">Stale (open): ${esc(f.stale)}</div>`);
  const who = [
    f.updated ? `by ${esc(f.updated.by)} on ${esc(f.updated.date)}` : "",
    f.signOff ? `signed off by ${esc(f.signOff.reviewer)} on ${esc(f.signOff.date)}` : "",
  ].filter(Boolean);
  if (who.length > 0) details.push(`<div class="muted small">${who.join("; ")}</div>`);
  return `<tr id="item-${esc(f.item)}"><th scope="row">${esc(f.label)}</th><td>${f.title !== f.label ? esc(f.title) : ""}${details.join("")}</td><td>${p ? `${esc(p.obligation)}<br><span class="muted small">${esc(p.stringency)}, ${esc(p.method)}</span>` : '<span class="stale">not in profile</span>'}</td><td>${verdict(f.effective)}${f.stale ? ' <span class="stale small">stale</span>' : ""}${f.source !== "none" ? `<br><span class="src${f.source !== "person" ? " derived" : ""}">${f.source === "person" ? "by a person" : `derived: ${esc(f.source)}`}</span>` : ""}${f.method ? `<br><span class="muted small">${esc(f.method)}</span>` : ""}</td></tr>`;
}

function kv(pairs: [string, string][]): string {
  return `<dl class="kv">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

const SEGMENTS = [
  { key: "met", label: "met", color: "#1a7f37" },
  { key: "partial", label: "partly met", color: "#9a6700" },
  { key: "missing", label: "missing", color: "#cf222e" },
  { key: "notApplicable", label: "not applicable", color: "#6e7781" },
  { key: "unknown", label: "unknown", color: "#d0d7de" },
] as const;

/** Readiness per market as stacked bars: the profile's markets first, the others apart and labelled. */
function readinessChart(targeted: MarketReadiness[], others: MarketReadiness[]): string {
  const rows: (MarketReadiness | string)[] = [];
  if (targeted.length > 0) rows.push("Markets the profile targets", ...targeted);
  if (others.length > 0) rows.push("Not targeted by the profile (for reference only)", ...others);
  const W = 760;
  const labelW = 250;
  const pctW = 80;
  const barW = W - labelW - pctW;
  const rowH = 26;
  const H = rows.length * rowH + 30;
  const body = rows
    .map((r, i) => {
      const y = i * rowH;
      if (typeof r === "string") return `<text class="group" x="0" y="${y + 18}">${esc(r)}</text>`;
      const total =
        r.counts.met + r.counts.partial + r.counts.missing + r.counts.notApplicable + r.counts.unknown;
      let x = labelW;
      const segs = SEGMENTS.map((s) => {
        const n = r.counts[s.key];
        const w = total === 0 ? 0 : (n / total) * barW;
        const out =
          w > 0
            ? `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${s.color}"><title>${esc(`${r.label}: ${n} ${s.label}`)}</title></rect>`
            : "";
        x += w;
        return out;
      }).join("");
      return `<text x="0" y="${y + 17}">${esc(r.label)}</text>${segs}<text x="${labelW + barW + 8}" y="${y + 17}" font-weight="700">${percentMet(r)}% met</text>`;
    })
    .join("");
  let lx = labelW;
  const legend = SEGMENTS.map((s) => {
    const g = `<rect x="${lx}" y="${rows.length * rowH + 8}" width="12" height="12" fill="${s.color}"/><text x="${lx + 16}" y="${rows.length * rowH + 19}">${esc(s.label)}</text>`;
    lx += 16 + s.label.length * 7 + 16;
    return g;
  }).join("");
  const alt = readinessAlt(targeted, others);
  return `<figure class="chart"><figcaption>Readiness per market</figcaption><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(alt)}"><title>${esc(alt)}</title>${body}${legend}</svg></figure>`;
}

/** The dossier's report as one self-contained HTML page: inline CSS, no scripts, nothing loaded. */
export function renderHtml(m: ReportModel): string {
  const a = m.assessment;
  const p = m.profile;
  const s = m.summary;
  const out: string[] = [];
  const section = (id: string, title: string) => out.push(`<h2 id="${id}">${esc(title)}</h2>`);

  out.push(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${m.draft ? "DRAFT - " : ""}${esc(m.title)}</title><style>${CSS}</style></head><body>`,
  );
  const ex = executiveSummary(m);
  // The watermark's word is drawn by the style sheet: decoration, not text (the banner says DRAFT).
  if (m.draft) out.push('<div class="draft-mark" data-mark="DRAFT" aria-hidden="true"></div>');
  if (m.final)
    out.push(
      `<div class="override-foot">Issued as final by override (${esc(m.final.by)}: ${esc(m.final.reason)}) despite ${esc(openSummary(m.open))}</div>`,
    );
  const standingClass = m.draft ? "draft-banner" : m.final ? "override-banner" : "final-banner";
  out.push(
    `<div class="standing ${standingClass}" role="note"><p>${esc(ex.standing)}</p>${
      ex.open.length > 0
        ? `<ul>${ex.open.map((x) => `<li>${esc(x)}</li>`).join("")}${ex.more > 0 ? `<li>and ${ex.more} more, listed under <a href="#gaps">Gaps</a></li>` : ""}</ul>`
        : ""
    }</div>`,
  );
  out.push(
    `<h1>${esc(m.title)}</h1>`,
    `<p class="muted">Assessment dossier of ${esc(a.product.manufacturer)} ${esc(a.product.model)}, release ${esc(a.release.version)}; assessment ${esc(a.id)} as of ${esc(m.date)}.</p>`,
  );
  out.push(
    '<h2 id="executive-summary">Executive summary</h2>',
    `<p>${esc(ex.verdicts)}</p>`,
    `<p id="figures">${esc(ex.figures)}</p>`,
  );
  out.push(`<p${ex.supportMeets === false ? ' class="sev-error"' : ""}>${esc(ex.support)}</p>`);
  if (m.readiness.length > 0) out.push(readinessChart(ex.targeted, ex.others));
  if (ex.fails.length > 0)
    out.push(
      `<p><b>Does not meet (${ex.fails.length}):</b></p><ul>${ex.fails.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>`,
    );
  out.push(
    '<nav><ol><li><a href="#executive-summary">Executive summary</a></li><li><a href="#summary">Assessment details</a></li><li><a href="#context">Context and profile</a></li><li><a href="#measures">Design measures</a></li><li><a href="#risks">Risk analysis</a></li><li><a href="#findings">Findings</a></li><li><a href="#gaps">Gaps</a></li><li><a href="#pitfalls">Pitfalls</a></li><li><a href="#readiness">Readiness per market</a></li><li><a href="#matrix">Consolidated matrix</a></li><li><a href="#evidence">Evidence register</a></li>',
  );
  if (m.problems.length > 0) out.push('<li><a href="#problems">Validation problems</a></li>');
  if (m.auditTrail) out.push('<li><a href="#audit">Audit trail</a></li>');
  out.push("</ol></nav>");

  // Details
  section("summary", "Assessment details");
  out.push(
    kv([
      ["Product", `${a.product.manufacturer} ${a.product.model} (${a.product.category}, id ${a.product.id})`],
      [
        "Release",
        `${a.release.version}${a.release.hardwareVersion ? `, hardware ${a.release.hardwareVersion}` : ""}, ${a.release.date}${a.release.supportEnd ? `; security updates until ${a.release.supportEnd}` : ""}`,
      ],
      ["Assessment", `${a.id}: ${a.kind}, ${a.status}; created ${a.created}, updated ${a.updated}`],
      [
        "Assessors",
        a.assessors
          .map(
            (x) => `${x.name}${x.organisation ? ` (${x.organisation})` : ""}${x.role ? `, ${x.role}` : ""}`,
          )
          .join("; ") || "none recorded",
      ],
      ["Profile", `${p.title} (${p.id}), ${s.items} items`],
    ]),
  );
  out.push(
    `<table><thead><tr><th>Pass</th><th>Fail</th><th>Partly met</th><th>Inconclusive</th><th>Not applicable</th><th>Not assessed</th><th>Gaps</th><th>Stale</th><th>Evidence (files)</th><th>Pitfalls (errors / warnings)</th></tr></thead><tbody><tr><td>${s.verdicts.pass}</td><td>${s.verdicts.fail}</td><td>${s.verdicts.partial}</td><td>${s.verdicts.inconclusive}</td><td>${s.verdicts["not-applicable"]}</td><td>${s.verdicts["not-assessed"]}</td><td>${s.gaps}</td><td>${s.stale}</td><td>${s.evidence} (${s.evidenceFiles})</td><td>${s.pitfalls.error} / ${s.pitfalls.warning}</td></tr></tbody></table>`,
  );
  if (m.readiness.length > 0) {
    out.push(
      `<table><thead><tr><th>Market</th><th>Met</th><th>Partly met</th><th>Missing</th><th>Not applicable</th><th>Unknown</th></tr></thead><tbody>${m.readiness
        .map(
          (r) =>
            `<tr><th scope="row"><a href="#market-${esc(r.market)}">${esc(r.label)}</a></th><td>${r.counts.met}</td><td>${r.counts.partial}</td><td>${r.counts.missing}</td><td>${r.counts.notApplicable}</td><td>${r.counts.unknown}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }

  // Context and profile
  section("context", "Context and profile");
  const c = p.context;
  out.push(
    kv([
      ["Device", c.name ?? p.title],
      [
        "Impact (C / I / A)",
        `${c.impact.confidentiality} / ${c.impact.integrity} / ${c.impact.availability}; high-water mark ${p.highWaterMark}, SP 800-53B ${p.baseline} baseline`,
      ],
      ["Environment", c.environment],
      ["Connectivity", c.connectivity],
      ["Data", c.data.join(", ")],
      ["Expected lifetime", `${c.lifetimeYears} years`],
      ["Markets", c.markets.join(", ")],
      ...(c.features ? [["Device features", c.features.join(", ") || "none"] as [string, string]] : []),
      [
        "Requirements",
        `FIPS 140-3 validated modules: ${p.requirements.fips140_3 ? "yes" : "no"}; independent assessment: ${p.requirements.independentAssessment ? "yes" : "no"}; minimum support period: ${p.requirements.minSupportYears} years${requirementsBasisText(p)}`,
      ],
      ["Rules", `${p.rules.id} ${p.rules.version}`],
      ["Profile created", p.created],
    ]),
  );
  out.push(
    `<table><thead><tr><th>Catalog</th><th>Version</th><th>Items in profile</th></tr></thead><tbody>${m.catalogs
      .map((x) => `<tr><td>${esc(x.title)}</td><td>${esc(x.key)}</td><td>${x.items}</td></tr>`)
      .join("")}</tbody></table>`,
  );
  if (p.tailoring.length > 0) {
    out.push(
      `<h3>Tailoring</h3><table><thead><tr><th>Action</th><th>Item</th><th>Rationale</th><th>By</th></tr></thead><tbody>${p.tailoring
        .map(
          (t) =>
            `<tr><td>${esc(t.action)}</td><td>${esc(t.item)}</td><td>${esc(t.rationale)}</td><td>${esc(t.author)}, ${esc(t.at)}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }
  if (p.warnings.length > 0)
    out.push(`<h3>Profile warnings</h3><ul>${p.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>`);
  if ((p.notices ?? []).length > 0)
    out.push(
      `<h3>Notes on the markets</h3><ul>${(p.notices ?? []).map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`,
    );

  section("measures", "Design measures");
  out.push(measuresHtml(m.design));
  section("risks", "Risk analysis");
  out.push(risksHtml(m.design));

  // Findings
  section("findings", "Findings per capability");
  for (const g of m.groups) {
    out.push(
      `<h3 id="group-${esc(g.id)}">${esc(m.titles[g.catalog] ?? g.catalog)} ${esc(heading(g.label, g.title, ": "))}</h3>`,
      `<table><thead><tr><th style="width:8%">Item</th><th>Requirement, implementation and evidence</th><th style="width:13%">Obligation</th><th style="width:10%">Verdict</th></tr></thead><tbody>${g.findings.map(findingRow).join("")}</tbody></table>`,
    );
  }

  // Gaps
  section("gaps", "Gaps");
  if (m.gaps.length === 0)
    out.push("<p>No gaps: every profile item has a current, passing or not-applicable verdict.</p>");
  else
    out.push(
      `<table><thead><tr><th>Item</th><th>Title</th><th>Verdict</th><th>Why it is a gap</th></tr></thead><tbody>${m.gaps
        .map(
          (g) =>
            `<tr><th scope="row"><a href="#item-${esc(g.item)}">${esc(m.titles[g.catalog] ?? g.catalog)} ${esc(g.label)}</a></th><td>${esc(g.title)}</td><td>${verdict(g.verdict)}${g.source !== "person" && g.source !== "none" ? `<br><span class="src derived">derived: ${esc(g.source)}</span>` : ""}</td><td>${esc(g.reasons.join("; ") || "-")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  if (m.retired.length > 0)
    out.push(
      `<h3>Retired findings</h3><p class="muted">Findings of items an earlier profile required, kept for the record.</p><ul>${m.retired.map((r) => `<li>${esc(r.item)}: ${esc(r.verdict)} (retired ${esc(r.retired)})</li>`).join("")}</ul>`,
    );

  // Pitfalls
  section("pitfalls", "Pitfalls");
  if (m.pitfalls.length === 0) out.push("<p>No pitfall was found (or none was checked).</p>");
  else
    out.push(
      `<table><thead><tr><th>Severity</th><th>Pitfall</th><th>What was found</th><th>About</th></tr></thead><tbody>${m.pitfalls
        .map(
          (x) =>
            `<tr><td class="sev-${esc(x.severity)}">${esc(x.severity)}</td><td><b>${esc(x.title)}</b><br><span class="muted small">${esc(x.id)}</span></td><td>${esc(x.message)}</td><td class="small">${esc((x.refs ?? []).join(", "))}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );

  // Readiness
  section("readiness", "Readiness per market");
  if (m.readiness.length === 0) out.push("<p>No readiness was computed for this dossier.</p>");
  out.push(
    '<p class="muted small">Direct results come from a finding on the item itself. Derived results are inferred through crosswalks: proposals, never verdicts; each shows the path of items and the mapping rows that produced it.</p>',
  );
  for (const r of [...ex.targeted, ...ex.others]) {
    const apart = ex.targeted.includes(r) ? "" : " (not targeted by the profile)";
    if (r.items.length === 0) {
      out.push(
        `<h3 id="market-${esc(r.market)}">${esc(r.label)}${apart}</h3><p class="muted">No item of this market is in the profile or derived from it.</p>`,
      );
      continue;
    }
    out.push(
      `<h3 id="market-${esc(r.market)}">${esc(r.label)}${apart} <span class="muted small">(${esc(r.catalog)}: ${r.counts.met} met, ${r.counts.partial} partly, ${r.counts.missing} missing, ${r.counts.notApplicable} n/a, ${r.counts.unknown} unknown)</span></h3>`,
      marketNotesHtml(r as MarketReadinessDetail),
      `<table><thead><tr><th style="width:9%">Item</th><th>Title</th><th style="width:9%">Result</th><th style="width:9%">Source</th><th>Paths</th></tr></thead><tbody>${r.items
        .map(
          (i) =>
            `<tr><th scope="row">${esc(i.label)}</th><td>${esc(i.title)}</td><td class="r-${esc(i.result)}">${esc(i.result)}</td><td class="${i.source === "derived" ? "derived" : ""}">${esc(i.source)}</td><td class="small">${(
              i.paths ?? []
            )
              .map((x) => `${esc(x.path.join(" → "))} <span class="muted">[${esc(x.rows.join(", "))}]</span>`)
              .join("<br>")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }

  // Matrix
  section("matrix", "Consolidated matrix");
  const mx = m.matrix;
  if (!mx) out.push("<p>No matrix: the profile holds no items.</p>");
  else {
    out.push(
      `<p class="muted small">Rows: the profile's items of ${esc(m.titles[mx.anchor.slice(0, mx.anchor.indexOf("@"))] ?? mx.anchor)} (${esc(mx.anchor)}) and their parents; columns: the profile's other catalogs. ${esc(LEGEND)}</p>`,
      `<table><thead><tr><th>Item</th><th>Title</th>${mx.columns.map((col) => `<th>${esc(m.titles[col] ?? col)}</th>`).join("")}</tr></thead><tbody>${mx.rows
        .map(
          (r) =>
            `<tr><th scope="row" style="padding-left:${0.45 + r.depth}em">${esc(r.label)}</th><td>${esc(r.title)}</td>${mx.columns.map((col) => `<td class="small">${esc(cellText(r.cells[col]))}</td>`).join("")}</tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }

  // Evidence register
  section("evidence", "Evidence register");
  if (m.evidence.length === 0) out.push("<p>No evidence recorded.</p>");
  else
    out.push(
      `<table><thead><tr><th>Id</th><th>Evidence</th><th>Strength</th><th>Dates</th><th>File and SHA-256</th></tr></thead><tbody>${m.evidence
        .map((e) => {
          const r = e.record;
          return `<tr id="evidence-${esc(r.id)}"><th scope="row">${esc(r.id)}</th><td>${esc(r.title)}<br><span class="muted small">${esc(r.kind)}${r.tags.length > 0 ? `; tags ${esc(r.tags.join(", "))}` : ""}; added by ${esc(r.addedBy)} on ${esc(r.addedAt)}${r.supersedes ? `; supersedes ${esc(r.supersedes)}` : ""}${e.supersededBy ? `; superseded by ${esc(e.supersededBy)}` : ""}</span>${r.text ? `<br>${esc(r.text)}` : ""}${r.tool ? `<br><span class="small">tool ${esc(r.tool.name)} ${esc(r.tool.version)}${r.tool.command ? `: <code>${esc(r.tool.command)}</code>` : ""}${r.tool.outputSha256 ? ` output <span class="hash">sha256:${esc(r.tool.outputSha256)}</span>` : ""}</span>` : ""}</td><td>${esc(r.strength)}</td><td class="small">${esc(evidenceDates(e))}</td><td class="small">${r.file ? `${link(r.file.path, r.file.name)} (${r.file.size} bytes, ${esc(r.file.mediaType)})<br><span class="hash">${esc(r.file.sha256)}</span>` : r.url ? link(r.url, r.url) : ""}</td></tr>`;
        })
        .join("")}</tbody></table>`,
    );

  if (m.problems.length > 0) {
    section("problems", "Validation problems");
    out.push(
      `<p>These problems stop a final dossier; this one was built as a draft.</p><ul>${m.problems.map((x) => `<li>${esc(formatProblem(x))}</li>`).join("")}</ul>`,
    );
  }
  if (m.auditTrail) {
    section("audit", "Audit trail");
    out.push(
      `<p class="muted small">${m.auditTrail.length} entries, oldest first (audit-trail.json holds them in full, with their hashes).</p>`,
      `<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead><tbody>${m.auditTrail
        .map((e) => {
          const r = auditRow(e);
          return `<tr><td class="small">${esc(r.at)}</td><td>${esc(r.who)}</td><td>${esc(r.action)}</td><td class="small"><code>${esc(r.what)}</code></td><td class="small">${esc(r.detail)}</td></tr>`;
        })
        .join("")}</tbody></table>`,
    );
  }
  out.push(
    `<hr><p class="muted small">Generated by Cairn from assessment ${esc(a.id)} (updated ${esc(a.updated)}). The files of this dossier and their SHA-256 are listed in manifest.json.</p>`,
    "</body></html>\n",
  );
  return wrapTables(out.join("\n"));
}

/**
 * Every table in a box of its own that scrolls sideways when the table is wider than the screen,
 * so the page itself never does (a phone, 390 px). A table of five columns or more may need to
 * scroll: its box takes the keyboard focus, so it can be scrolled without a mouse.
 */
function wrapTables(html: string): string {
  return html.replace(/<table>([\s\S]*?)<\/table>/g, (table, inner: string) => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(inner)?.[1] ?? "";
    const wide = (head.match(/<th[\s>]/g) ?? []).length >= 5;
    return `<div class="table-wrap"${wide ? ' tabindex="0"' : ""}>${table}</div>`;
  });
}

function measureHtml(x: MeasureView): string {
  const v = x.verification;
  const verification = v
    ? `${v.verdict} (${v.method}) on release ${v.basis.release}, by ${v.by} on ${v.at}${v.notes ? `: ${v.notes}` : ""}`
    : "not verified yet: the items it implements wait for it";
  const pairs: [string, string][] = [
    ["Kind", x.kind ?? "not given"],
    ["Owner", x.owner ?? "not given"],
    ...(x.library ? [["From the library", x.library] as [string, string]] : []),
    ["Verification", verification],
    ["Settles", `${x.settles} item${x.settles === 1 ? "" : "s"} (effective verdicts derived from it)`],
    ...(x.risks.length > 0 ? [["Treats risks", x.risks.join(", ")] as [string, string]] : []),
  ];
  const links = x.links
    .map(
      (l) =>
        `<tr${l.removed || l.stale ? ' class="flagged"' : ""}><th scope="row"><a href="#item-${esc(l.item)}">${esc(l.name)}</a></th><td>${esc(l.title)}</td><td>${esc(l.coverage)}</td><td class="small">${esc(l.origin)}${l.removed ? `<br><span class="stale">${esc(l.removed)}</span>` : ""}${l.stale ? `<br><span class="stale">stale: ${esc(l.stale)}</span>` : ""}</td></tr>`,
    )
    .join("");
  return [
    `<h3 id="measure-${esc(x.id)}">${esc(x.id)} ${esc(x.title)}</h3>`,
    x.description ? `<p>${esc(x.description)}</p>` : "",
    kv(pairs),
    v?.stale ? `<p class="stale">Verification stale (open): ${esc(v.stale)}</p>` : "",
    x.evidence.length > 0 ? `<ul class="small">${x.evidence.map(evidenceLine).join("")}</ul>` : "",
    x.unknownEvidence.length > 0
      ? `<p class="stale">Unknown evidence: ${esc(x.unknownEvidence.join(", "))}</p>`
      : "",
    `<table><thead><tr><th style="width:16%">Implements</th><th>Title</th><th style="width:8%">Coverage</th><th style="width:34%">Link</th></tr></thead><tbody>${links}</tbody></table>`,
  ].join("");
}

/** The design file: each measure with the items it implements, its evidence and its verification. */
function measuresHtml(d: DesignView): string {
  const active = d.measures.filter((x) => !x.removed);
  const removed = d.measures.filter((x) => x.removed);
  if (d.measures.length === 0)
    return "<p>No design measure is recorded: every verdict is a person's or rolled up from its children.</p>";
  const out = [
    `<p class="muted small">The mechanisms and processes of the product (the guide's step 2) and the items each implements, full or partial; an item implemented by verified measures takes its verdict from them (docs/decisions/0003-roll-up-and-measures.md). ${active.length} active, ${removed.length} removed.</p>`,
    ...active.map(measureHtml),
  ];
  if (removed.length > 0)
    out.push(
      `<h3>Removed measures</h3><p class="muted small">Ids are never reused; the items they settled show as stale.</p><table><thead><tr><th>Id</th><th>Title</th><th>Removed</th><th>Reason</th><th>Settled then</th></tr></thead><tbody>${removed
        .map(
          (x) =>
            `<tr><th scope="row">${esc(x.id)}</th><td>${esc(x.title)}</td><td>by ${esc(x.removed?.by ?? "")} on ${esc(x.removed?.at ?? "")}</td><td>${esc(x.removed?.reason ?? "not given")}</td><td class="small">${esc((x.removed?.settled ?? []).join(", ") || "-")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  return out.join("\n");
}

/** The risk register as one table; risks without a treating measure or with high residual risk flagged. */
function risksHtml(d: DesignView): string {
  if (d.risks.length === 0 && d.removedRisks.length === 0)
    return '<p class="flag">No risk analysis is recorded (CRA Article 13(2) and Annex I Part I (1) expect a documented cybersecurity risk assessment).</p>';
  const flagged = d.risks.filter((r) => r.flags.length > 0).length;
  const out = [
    `<p class="muted small">The risk register (CRA Article 13(2)-(3), Annex I Part I (1)): ${d.risks.length} risk${d.risks.length === 1 ? "" : "s"}, ${flagged} flagged.</p>`,
    `<table><thead><tr><th>Id</th><th>Asset</th><th>Threat</th><th>Likelihood</th><th>Impact</th><th>Treatment</th><th>Residual</th><th>Owner</th><th>Flags</th></tr></thead><tbody>${d.risks
      .map(
        (r) =>
          `<tr id="risk-${esc(r.id)}"${r.flags.length > 0 ? ' class="flagged"' : ""}><th scope="row">${esc(r.id)}</th><td>${esc(r.asset)}</td><td>${esc(r.threat)}</td><td>${esc(r.likelihood)}</td><td>${esc(r.impact)}</td><td>${esc(r.decision)}${r.measures.length > 0 ? `: ${r.measures.map((x) => (x.state === "active" ? `<a href="#measure-${esc(x.id)}">${esc(x.id)}</a> ${esc(x.title ?? "")}` : `${esc(x.id)} (${esc(x.state)})`)).join("; ")}` : ""}${r.notes ? `<br><span class="muted small">${esc(r.notes)}</span>` : ""}</td><td${r.residual === "high" ? ' class="flag"' : ""}>${esc(r.residual)}</td><td>${esc(r.owner ?? "")}</td><td class="flag small">${esc(r.flags.join("; "))}</td></tr>`,
      )
      .join("")}</tbody></table>`,
  ];
  if (d.removedRisks.length > 0)
    out.push(
      `<p class="muted small">Removed: ${d.removedRisks.map((r) => `${esc(r.id)} (${esc(r.threat)} on ${esc(r.asset)}; by ${esc(r.by)} on ${esc(r.at)})`).join("; ")}.</p>`,
    );
  return out.join("\n");
}

/** A market's dates and gaps: which items apply on the dossier's date, the law's timeline, partial texts. */
function marketNotesHtml(r: MarketReadinessDetail): string {
  const lines: string[] = [];
  if (r.asOf && r.applicability)
    lines.push(
      `On ${esc(r.asOf)}: ${r.applicability.applies} item(s) apply, ${r.applicability.notYet} not yet, ${r.applicability.ended} no longer.`,
    );
  for (const e of r.timeline ?? [])
    lines.push(`From ${esc(e.date)}: ${esc(e.what)} <span class="muted">(${esc(e.source)})</span>.`);
  for (const g of r.incomplete ?? []) lines.push(`<strong>Incomplete:</strong> ${esc(g)}`);
  return lines.length > 0 ? `<p class="small">${lines.join("<br>")}</p>` : "";
}

/** Which requirement is SP 800-213's or the law's, and which is Cairn's policy. */
export function requirementsBasisText(p: {
  requirementsBasis?: { requirement: string; rule: string; basis: string }[];
}): string {
  const b = p.requirementsBasis ?? [];
  if (b.length === 0) return "";
  return ` (${b.map((x) => `${x.requirement}: ${x.rule}, ${x.basis === "policy" ? "Cairn policy" : "required by the texts"}`).join("; ")})`;
}
