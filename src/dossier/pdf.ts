import type { MarketReadinessDetail } from "../assessment/readiness.js";
import type { MarketReadiness } from "../assessment/report-types.js";
import { bundledPath } from "../core/paths.js";
import { formatProblem } from "../core/problem.js";
import { cellText, LEGEND } from "../crosswalk/matrix-render.js";
import { requirementsBasisText } from "./html.js";
import type { FindingView, ReportModel } from "./report-model.js";
import { evidenceDates, heading, VERDICT_LABEL } from "./report-model.js";
import { openSummary } from "./status.js";
import { auditRow, executiveSummary, percentMet, readinessAlt } from "./summary.js";
import { toDate } from "./util.js";

// The 14 standard PDF fonts need no embedding (no subset tags, no randomness) but only know
// WinAnsi: other characters are spelt out or replaced before they reach the page.
const WIN_ANSI_EXTRA = new Set([
  402, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226, 8230, 8364, 8240, 8249, 8250, 710,
  8482, 338, 339, 732, 352, 353, 376, 381, 382,
]);
const SPELT: Record<string, string> = {
  "→": "->",
  "←": "<-",
  "⊂": "<",
  "⊃": ">",
  "∩": "~",
  "∅": "0",
  "≤": "<=",
  "≥": ">=",
  "≠": "!=",
  "✓": "v",
  "✗": "x",
  "\u00a0": " ",
};

/** Text as the standard fonts can show it (kept for callers outside the report; the report embeds DejaVu). */
export function pdfText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    if (ch === "\n" || (code >= 32 && code < 127) || (code > 160 && code < 256) || WIN_ANSI_EXTRA.has(code))
      out += ch;
    else if (SPELT[ch] !== undefined) out += SPELT[ch];
    else if (ch === "\t") out += " ";
    else {
      const plain = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += /^[\x20-\x7e]+$/.test(plain) ? plain : "?";
    }
  }
  return out;
}

const COLOR = { fg: "#1b1f23", muted: "#57606a", pass: "#1a7f37", fail: "#cf222e", warn: "#9a6700" };
const VERDICT_COLOR: Record<string, string> = {
  pass: COLOR.pass,
  fail: COLOR.fail,
  inconclusive: COLOR.warn,
  "not-assessed": COLOR.warn,
  "no finding": COLOR.warn,
  partial: COLOR.warn,
  "not-applicable": COLOR.muted,
};

export interface PdfOptions {
  /** Write uncompressed content streams (for tests that read the page text). */
  compress?: boolean;
}

/** The fonts embedded in the report (DejaVu, Bitstream Vera licence: fonts/dejavu/LICENSE). */
export const PDF_FONTS = {
  regular: bundledPath("fonts", "dejavu", "DejaVuSans.ttf"),
  bold: bundledPath("fonts", "dejavu", "DejaVuSans-Bold.ttf"),
  mono: bundledPath("fonts", "dejavu", "DejaVuSansMono.ttf"),
};

/** The part of fontkit's font pdfkit keeps that tells which characters a font has. */
interface GlyphCoverage {
  hasGlyphForCodePoint(cp: number): boolean;
}

const READINESS_SEGMENTS = [
  { key: "met", label: "met", color: "#1a7f37" },
  { key: "partial", label: "partly met", color: "#9a6700" },
  { key: "missing", label: "missing", color: "#cf222e" },
  { key: "notApplicable", label: "not applicable", color: "#6e7781" },
  { key: "unknown", label: "unknown", color: "#d0d7de" },
] as const;

/**
 * The report in print form, tagged for accessibility (PDF/UA-1: a structure tree in reading order
 * with headings, paragraphs, lists, tables and a figure with its text alternative; page furniture
 * as artifacts; the document's language and title), in embedded DejaVu fonts that cover the text's
 * characters (a character they lack becomes U+FFFD). A4, page numbers on every page; a DRAFT
 * watermark and footer on every page of a draft, the override on every page of a dossier issued
 * final while something was open. Deterministic: the dates (and so /ID) come from the assessment,
 * the font subsets' tags from their ids.
 */
export async function renderPdf(m: ReportModel, options: PdfOptions = {}): Promise<Uint8Array> {
  const { default: PDFDocument } = await import("pdfkit");
  const date = toDate(m.date);
  const a = m.assessment;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 56, bottom: 60, left: 50, right: 50 },
    bufferPages: true,
    compress: options.compress ?? true,
    pdfVersion: "1.7",
    // The types know only the PDF/A subsets; pdfkit 0.17 also writes PDF/UA's identification.
    subset: "PDF/UA" as unknown as "PDF/A-1",
    tagged: true,
    lang: "en",
    displayTitle: true,
    info: {
      Title: `${m.draft ? "DRAFT - " : ""}${m.title}`,
      Author: a.assessors.map((x) => x.name).join(", ") || "Cairn",
      Subject: `Assessment ${a.id}: ${a.product.manufacturer} ${a.product.model} ${a.release.version}`,
      Creator: "Cairn",
      Producer: "Cairn (PDFKit)",
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
  doc.registerFont("Body", PDF_FONTS.regular);
  doc.registerFont("Bold", PDF_FONTS.bold);
  doc.registerFont("Mono", PDF_FONTS.mono);
  const coverage = new Map<string, GlyphCoverage>();
  for (const f of ["Body", "Bold", "Mono"]) {
    doc.font(f);
    coverage.set(f, (doc as unknown as { _font: { font: GlyphCoverage } })._font.font);
  }
  /** The text with every character the font lacks replaced, so nothing prints as an empty box. */
  const cover = (t: string, font: string) => {
    const c = coverage.get(font) as GlyphCoverage;
    let out = "";
    for (const ch of t.replace(/\t/g, " ")) {
      const cp = ch.codePointAt(0) ?? 0xfffd;
      out += cp === 10 || c.hasGlyphForCodePoint(cp) ? ch : "\ufffd";
    }
    return out;
  };

  const root = doc.struct("Document");
  doc.addStructure(root);
  /** Page furniture: drawn, not read. */
  const artifact = (draw: () => void) => {
    doc.markContent("Artifact");
    draw();
    doc.endMarkedContent();
  };

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const ensure = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  type TextOptions = {
    size?: number;
    bold?: boolean;
    mono?: boolean;
    color?: string;
    indent?: number;
    gap?: number;
    tag?: string;
  };
  const write = (t: string, o: TextOptions = {}) => {
    const font = o.mono ? "Mono" : o.bold ? "Bold" : "Body";
    doc
      .font(font)
      .fontSize(o.size ?? 9.5)
      .fillColor(o.color ?? COLOR.fg);
    doc.text(cover(t, font), left + (o.indent ?? 0), doc.y, { width: width - (o.indent ?? 0) });
  };
  /** A paragraph (or heading, list item...) of the structure tree, in reading order. */
  const text = (t: string, o: TextOptions = {}, parent = root) => {
    parent.add(doc.struct(o.tag ?? "P", {}, () => write(t, o)));
    if (o.gap) doc.moveDown(o.gap);
  };
  const h1 = (t: string) => text(t, { size: 18, bold: true, gap: 0.3, tag: "H1" });
  const h2 = (t: string) => {
    ensure(60);
    doc.moveDown(0.6);
    text(t, { size: 14, bold: true, tag: "H2" });
    const y = doc.y + 2;
    artifact(() => {
      doc
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(0.8)
        .strokeColor("#d0d7de")
        .stroke();
    });
    doc.y = y + 6;
  };
  const h3 = (t: string) => {
    ensure(40);
    doc.moveDown(0.4);
    text(t, { size: 11, bold: true, gap: 0.15, tag: "H3" });
  };
  /** A bulleted list: L > LI > LBody. */
  const list = (items: string[], o: TextOptions = {}) => {
    if (items.length === 0) return;
    const l = doc.struct("L");
    root.add(l);
    for (const it of items) {
      ensure(14);
      const li = doc.struct("LI");
      l.add(li);
      li.add(doc.struct("LBody", {}, () => write(`• ${it}`, { size: 8.5, indent: 10, ...o })));
    }
    l.end();
  };
  /** A table with a header row: Table > TR > TH | TD, each row kept on one page. */
  const table = (headers: string[], rows: string[][], widths: number[], size = 7.5) => {
    const t = doc.struct("Table");
    root.add(t);
    const xs: number[] = [];
    let x = left;
    for (const w of widths) {
      xs.push(x);
      x += w * width;
    }
    const row = (cells: string[], header: boolean) => {
      const font = header ? "Bold" : "Body";
      doc.font(font).fontSize(size);
      const heights = cells.map((c, i) =>
        doc.heightOfString(cover(c, font), { width: (widths[i] ?? 0.1) * width - 4 }),
      );
      const h = Math.max(...heights, size) + 4;
      ensure(h);
      const y = doc.y;
      const tr = doc.struct("TR");
      t.add(tr);
      cells.forEach((c, i) => {
        tr.add(
          doc.struct(header ? "TH" : "TD", {}, () => {
            doc
              .font(font)
              .fontSize(size)
              .fillColor(header ? COLOR.fg : COLOR.fg);
            doc.text(cover(c, font), (xs[i] ?? left) + 2, y + 2, { width: (widths[i] ?? 0.1) * width - 4 });
          }),
        );
      });
      tr.end();
      artifact(() => {
        doc
          .moveTo(left, y + h)
          .lineTo(left + width, y + h)
          .lineWidth(0.4)
          .strokeColor("#d0d7de")
          .stroke();
      });
      doc.y = y + h;
      doc.x = left;
    };
    row(headers, true);
    for (const r of rows) row(r, false);
    t.end();
    doc.moveDown(0.4);
  };
  const kv = (pairs: [string, string][]) => {
    for (const [k, v] of pairs) {
      ensure(14);
      const y = doc.y;
      let after = y;
      root.add(
        doc.struct("P", {}, () => {
          doc.font("Bold").fontSize(9.5).fillColor(COLOR.muted);
          doc.text(cover(k, "Bold"), left, y, { width: 120 });
          after = doc.y;
          doc
            .font("Body")
            .fillColor(COLOR.fg)
            .text(cover(v, "Body"), left + 125, y, { width: width - 125 });
        }),
      );
      doc.y = Math.max(doc.y, after);
    }
    doc.moveDown(0.3);
  };

  const ex = executiveSummary(m);
  const s = m.summary;
  const p = m.profile;

  // First page: the standing of the dossier, then the executive summary.
  text(ex.standing, {
    bold: true,
    color: m.draft ? COLOR.fail : m.final ? COLOR.warn : COLOR.pass,
    gap: 0.2,
  });
  if (ex.open.length > 0) {
    text("Open:", { bold: true, size: 9 });
    list(ex.more > 0 ? [...ex.open, `and ${ex.more} more, listed under Gaps`] : ex.open);
    doc.moveDown(0.3);
  }
  h1(m.title);
  text(
    `Assessment dossier of ${a.product.manufacturer} ${a.product.model}, release ${a.release.version}; assessment ${a.id} as of ${m.date}.`,
    { color: COLOR.muted, gap: 0.3 },
  );
  h2("Executive summary");
  text(ex.verdicts, { gap: 0.2 });
  text(ex.figures, { gap: 0.2 });
  text(ex.support, { color: ex.supportMeets === false ? COLOR.fail : COLOR.fg, gap: 0.3 });
  if (m.readiness.length > 0) readinessFigure(ex);
  if (ex.fails.length > 0) {
    text(`Does not meet (${ex.fails.length}):`, { bold: true, size: 9 });
    list(ex.fails.slice(0, 10).concat(ex.fails.length > 10 ? [`and ${ex.fails.length - 10} more`] : []));
  }

  function readinessFigure(e: ReturnType<typeof executiveSummary>) {
    const rows: { r: MarketReadiness | undefined; heading?: string }[] = [];
    if (e.targeted.length > 0) rows.push({ r: undefined, heading: "Markets the profile targets" });
    for (const r of e.targeted) rows.push({ r });
    if (e.others.length > 0)
      rows.push({ r: undefined, heading: "Not targeted by the profile (for reference only)" });
    for (const r of e.others) rows.push({ r });
    const labelW = 150;
    const pctW = 60;
    const barW = width - labelW - pctW;
    const rowH = 18;
    const height = rows.length * rowH + 22;
    ensure(height + 10);
    const top = doc.y + 4;
    root.add(
      doc.struct("Figure", { alt: readinessAlt(e.targeted, e.others) }, () => {
        rows.forEach((row, i) => {
          const y = top + i * rowH;
          if (!row.r) {
            doc
              .font("Bold")
              .fontSize(8.5)
              .fillColor(COLOR.muted)
              .text(row.heading ?? "", left, y + 5, { width, lineBreak: false });
            return;
          }
          const r = row.r;
          const total =
            r.counts.met + r.counts.partial + r.counts.missing + r.counts.notApplicable + r.counts.unknown;
          doc
            .font("Body")
            .fontSize(8.5)
            .fillColor(COLOR.fg)
            .text(cover(r.label, "Body"), left, y + 4, {
              width: labelW - 8,
              height: rowH,
              ellipsis: true,
              lineBreak: false,
            });
          let x = left + labelW;
          for (const seg of READINESS_SEGMENTS) {
            const n = r.counts[seg.key];
            const w = total === 0 ? 0 : (n / total) * barW;
            if (w > 0) doc.rect(x, y + 2, w, rowH - 6).fill(seg.color);
            x += w;
          }
          doc
            .font("Bold")
            .fontSize(8.5)
            .fillColor(COLOR.fg)
            .text(`${percentMet(r)}% met`, left + labelW + barW + 6, y + 4, {
              width: pctW - 6,
              lineBreak: false,
            });
        });
        let lx = left + labelW;
        const ly = top + rows.length * rowH + 4;
        for (const seg of READINESS_SEGMENTS) {
          doc.rect(lx, ly, 8, 8).fill(seg.color);
          doc
            .font("Body")
            .fontSize(7.5)
            .fillColor(COLOR.fg)
            .text(seg.label, lx + 11, ly, { lineBreak: false });
          lx += 11 + doc.widthOfString(seg.label) + 14;
        }
      }),
    );
    doc.x = left;
    doc.y = top + height;
  }

  // Assessment details
  h2("Assessment details");
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
        .map((x) => `${x.name}${x.organisation ? ` (${x.organisation})` : ""}${x.role ? `, ${x.role}` : ""}`)
        .join("; ") || "none recorded",
    ],
    ["Profile", `${p.title} (${p.id}), ${s.items} items`],
    [
      "Verdicts",
      `${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.partial} partly met, ${s.verdicts.inconclusive} inconclusive, ${s.verdicts["not-applicable"]} not applicable, ${s.verdicts["not-assessed"]} not assessed (effective verdicts: a person's, else derived)`,
    ],
    ["Gaps", `${s.gaps} (${s.stale} stale)`],
    ["Evidence", `${s.evidence} records, ${s.evidenceFiles} files`],
    ["Pitfalls", `${s.pitfalls.error} errors, ${s.pitfalls.warning} warnings`],
    ...m.readiness.map((r): [string, string] => [
      r.label,
      `${r.counts.met} met, ${r.counts.partial} partly met, ${r.counts.missing} missing, ${r.counts.notApplicable} not applicable, ${r.counts.unknown} unknown`,
    ]),
  ]);

  // Context and profile
  h2("Context and profile");
  const c = p.context;
  kv([
    ["Device", c.name ?? p.title],
    [
      "Impact (C / I / A)",
      `${c.impact.confidentiality} / ${c.impact.integrity} / ${c.impact.availability}; high-water mark ${p.highWaterMark}, SP 800-53B ${p.baseline}`,
    ],
    ["Environment", c.environment],
    ["Connectivity", c.connectivity],
    ["Data", c.data.join(", ")],
    ["Expected lifetime", `${c.lifetimeYears} years`],
    ["Markets", c.markets.join(", ")],
    ...(c.features ? [["Device features", c.features.join(", ") || "none"] as [string, string]] : []),
    [
      "Requirements",
      `FIPS 140-3: ${p.requirements.fips140_3 ? "yes" : "no"}; independent assessment: ${p.requirements.independentAssessment ? "yes" : "no"}; minimum support: ${p.requirements.minSupportYears} years${requirementsBasisText(p)}`,
    ],
    ["Rules", `${p.rules.id} ${p.rules.version}; profile created ${p.created}`],
    ...m.catalogs.map((x): [string, string] => [x.shortTitle, `${x.key}: ${x.items} items`]),
  ]);
  for (const t of p.tailoring)
    text(`Tailoring: ${t.action} ${t.item}: ${t.rationale} (${t.author}, ${t.at})`, { size: 8.5 });
  for (const w of p.warnings) text(`Warning: ${w}`, { size: 8.5, color: COLOR.warn });
  for (const n of p.notices ?? []) text(`Note: ${n}`, { size: 8.5 });

  // The design file and the risk analysis (the guide's step 2).
  h2("Design measures");
  const d = m.design;
  const active = d.measures.filter((x) => !x.removed);
  const removed = d.measures.filter((x) => x.removed);
  if (d.measures.length === 0)
    text("No design measure is recorded: every verdict is a person's or rolled up from its children.");
  else
    text(
      `The mechanisms and processes of the product (the guide's step 2) and the items each implements, full or partial; an item implemented by verified measures takes its verdict from them. ${active.length} active, ${removed.length} removed.`,
      { size: 8, color: COLOR.muted, gap: 0.3 },
    );
  for (const x of active) {
    h3(`${x.id} ${x.title}`);
    if (x.description) text(x.description, { size: 8.5, gap: 0.15 });
    const v = x.verification;
    kv([
      [
        "Kind, owner",
        `${x.kind ?? "kind not given"}; ${x.owner ?? "owner not given"}${x.library ? `; from the library ${x.library}` : ""}`,
      ],
      [
        "Verification",
        v
          ? `${v.verdict} (${v.method}) on release ${v.basis.release}, by ${v.by} on ${v.at}${v.notes ? `: ${v.notes}` : ""}${v.stale ? `. STALE (open): ${v.stale}` : ""}`
          : "not verified yet: the items it implements wait for it",
      ],
      [
        "Settles",
        `${x.settles} item${x.settles === 1 ? "" : "s"}${x.risks.length > 0 ? `; treats ${x.risks.join(", ")}` : ""}`,
      ],
    ]);
    for (const e of x.evidence)
      text(
        `Evidence ${e.record.id} ${e.record.title} (${e.record.kind}, ${e.record.strength}; ${evidenceDates(e)})`,
        {
          size: 8,
          indent: 10,
        },
      );
    if (x.unknownEvidence.length > 0)
      text(`Unknown evidence: ${x.unknownEvidence.join(", ")}`, { size: 8, indent: 10, color: COLOR.warn });
    table(
      ["Implements", "Title", "Coverage", "Link"],
      x.links.map((l) => [
        l.name,
        l.title,
        l.coverage,
        [l.origin, l.removed ?? "", l.stale ? `stale: ${l.stale}` : ""].filter(Boolean).join("; "),
      ]),
      [0.2, 0.38, 0.1, 0.32],
      7,
    );
  }
  if (removed.length > 0) {
    h3("Removed measures");
    table(
      ["Id", "Title", "Removed", "Reason", "Settled then"],
      removed.map((x) => [
        x.id,
        x.title,
        `by ${x.removed?.by ?? ""} on ${x.removed?.at ?? ""}`,
        x.removed?.reason ?? "not given",
        (x.removed?.settled ?? []).join(", ") || "-",
      ]),
      [0.1, 0.3, 0.2, 0.2, 0.2],
      7,
    );
  }

  h2("Risk analysis");
  if (d.risks.length === 0 && d.removedRisks.length === 0)
    text(
      "No risk analysis is recorded (CRA Article 13(2) and Annex I Part I (1) expect a documented cybersecurity risk assessment).",
      { color: COLOR.fail },
    );
  else {
    text(
      `The risk register (CRA Article 13(2)-(3), Annex I Part I (1)): ${d.risks.length} risk${d.risks.length === 1 ? "" : "s"}, ${d.risks.filter((r) => r.flags.length > 0).length} flagged.`,
      { size: 8, color: COLOR.muted, gap: 0.3 },
    );
    table(
      ["Id", "Asset", "Threat", "Likelihood / impact", "Treatment", "Residual", "Owner", "Flags"],
      d.risks.map((r) => [
        r.id,
        r.asset,
        r.threat,
        `${r.likelihood} / ${r.impact}`,
        `${r.decision}${r.measures.length > 0 ? `: ${r.measures.map((x) => (x.state === "active" ? `${x.id} ${x.title ?? ""}` : `${x.id} (${x.state})`)).join("; ")}` : ""}${r.notes ? `. ${r.notes}` : ""}`,
        r.residual,
        r.owner ?? "",
        r.flags.length > 0 ? `FLAGGED: ${r.flags.join("; ")}` : "",
      ]),
      [0.06, 0.12, 0.17, 0.1, 0.25, 0.08, 0.1, 0.12],
      7,
    );
    for (const r of d.removedRisks)
      text(`Removed: ${r.id} (${r.threat} on ${r.asset}; by ${r.by} on ${r.at})`, {
        size: 8,
        color: COLOR.muted,
      });
  }

  // Findings
  h2("Findings per capability");
  const finding = (f: FindingView) => {
    ensure(36);
    const v = f.effective;
    const y = doc.y;
    root.add(
      doc.struct("P", {}, () => {
        doc
          .font("Bold")
          .fontSize(9.5)
          .fillColor(COLOR.fg)
          .text(cover(heading(f.label, f.title, "  "), "Bold"), left, y, { width: width - 90 });
        const after = doc.y;
        doc
          .font("Bold")
          .fillColor(VERDICT_COLOR[v] ?? COLOR.fg)
          .text(`${VERDICT_LABEL[v]}${f.stale ? " (stale)" : ""}`, left + width - 80, y, {
            width: 80,
            align: "right",
          });
        doc.y = Math.max(after, doc.y);
        doc.x = left;
      }),
    );
    const meta = [
      f.profile ? `${f.profile.obligation}, ${f.profile.stringency}, ${f.profile.method}` : "not in profile",
      f.source === "person" ? "verdict by a person" : f.source === "none" ? "" : `derived: ${f.source}`,
      f.method ? `method ${f.method}` : "",
      f.updated ? `by ${f.updated.by} on ${f.updated.date}` : "",
      f.signOff ? `signed off by ${f.signOff.reviewer} on ${f.signOff.date}` : "",
    ].filter(Boolean);
    text(meta.join("; "), { size: 8, color: COLOR.muted, indent: 10 });
    if (f.statement)
      text(`Implementation: ${f.statement.support}${f.statement.detail ? `: ${f.statement.detail}` : ""}`, {
        size: 8.5,
        indent: 10,
      });
    if (f.notes) text(`Notes: ${f.notes}`, { size: 8.5, indent: 10 });
    for (const e of f.evidence) {
      const r = e.record;
      text(
        `${r.id} ${r.title} (${r.kind}, ${r.strength}; ${evidenceDates(e)}${e.supersededBy ? `; superseded by ${e.supersededBy}` : ""})`,
        { size: 8, indent: 10 },
      );
      if (r.file) text(`${r.file.name}  sha256:${r.file.sha256}`, { size: 6.5, mono: true, indent: 20 });
      if (r.url) text(r.url, { size: 7, mono: true, indent: 20 });
    }
    if (f.unknownEvidence.length > 0)
      text(`Unknown evidence: ${f.unknownEvidence.join(", ")}`, { size: 8, indent: 10, color: COLOR.warn });
    if (f.derivation) text(`Derived: ${f.derivation}`, { size: 8, indent: 10 });
    if (f.wouldDerive)
      text(`Recorded by a person; the design would give: ${f.wouldDerive}`, {
        size: 8,
        indent: 10,
        color: COLOR.muted,
      });
    if (f.waiting)
      text(`Waiting for the verification of ${f.waiting.join(", ")}`, {
        size: 8,
        indent: 10,
        color: COLOR.warn,
      });
    if (f.stale) text(`Stale (open): ${f.stale}`, { size: 8, indent: 10, color: COLOR.warn });
    doc.moveDown(0.35);
  };
  for (const g of m.groups) {
    h3(`${m.titles[g.catalog] ?? g.catalog} ${heading(g.label, g.title, ": ")}`);
    for (const f of g.findings) finding(f);
  }

  // Gaps
  h2("Gaps");
  if (m.gaps.length === 0)
    text("No gaps: every profile item has a current, passing or not-applicable verdict.");
  for (const g of m.gaps) {
    ensure(20);
    text(`${m.titles[g.catalog] ?? g.catalog} ${heading(g.label, g.title, "  ")}`, { bold: true, size: 9 });
    text(
      `${VERDICT_LABEL[g.verdict]}${g.source !== "person" && g.source !== "none" ? ` (derived: ${g.source})` : ""}${g.reasons.length > 0 ? `: ${g.reasons.join("; ")}` : ""}`,
      {
        size: 8.5,
        indent: 10,
        color: VERDICT_COLOR[g.verdict] ?? COLOR.fg,
        gap: 0.2,
      },
    );
  }
  for (const r of m.retired) text(`Retired: ${r.item}: ${r.verdict} (retired ${r.retired})`, { size: 8.5 });

  // Pitfalls
  h2("Pitfalls");
  if (m.pitfalls.length === 0) text("No pitfall was found (or none was checked).");
  for (const x of m.pitfalls) {
    ensure(24);
    text(`${x.severity.toUpperCase()}  ${x.title} (${x.id})`, {
      bold: true,
      size: 9,
      color: x.severity === "error" ? COLOR.fail : COLOR.warn,
    });
    text(x.message, { size: 8.5, indent: 10 });
    if (x.refs && x.refs.length > 0)
      text(`About: ${x.refs.join(", ")}`, { size: 8, indent: 10, color: COLOR.muted });
    doc.moveDown(0.2);
  }

  // Readiness
  h2("Readiness per market");
  if (m.readiness.length === 0) text("No readiness was computed for this dossier.");
  text(
    "Direct results come from a finding on the item itself; derived results are inferred through crosswalks (proposals, not verdicts) and show the path of items and mapping rows.",
    { size: 8, color: COLOR.muted, gap: 0.3 },
  );
  for (const r of [...ex.targeted, ...ex.others]) {
    const targeted = ex.targeted.includes(r) ? "" : " (not targeted by the profile)";
    if (r.items.length === 0) {
      h3(`${r.label}${targeted}`);
      text("No item of this market is in the profile or derived from it.", { size: 8.5, color: COLOR.muted });
      continue;
    }
    h3(
      `${r.label}${targeted} (${r.catalog}): ${r.counts.met} met, ${r.counts.partial} partly, ${r.counts.missing} missing, ${r.counts.notApplicable} n/a, ${r.counts.unknown} unknown`,
    );
    const detail = r as MarketReadinessDetail;
    if (detail.asOf && detail.applicability)
      text(
        `On ${detail.asOf}: ${detail.applicability.applies} item(s) apply, ${detail.applicability.notYet} not yet, ${detail.applicability.ended} no longer.`,
        { size: 8, color: COLOR.muted },
      );
    for (const e of detail.timeline ?? [])
      text(`From ${e.date}: ${e.what} (${e.source}).`, { size: 8, color: COLOR.muted });
    for (const g of detail.incomplete ?? []) text(`Incomplete: ${g}`, { size: 8, color: COLOR.fail });
    for (const i of r.items) {
      ensure(14);
      text(`${heading(i.label, i.title, "  ")}: ${i.result} (${i.source})`, {
        size: 8.5,
        color: i.result === "fail" ? COLOR.fail : i.result === "pass" ? COLOR.pass : COLOR.fg,
      });
      for (const x of i.paths ?? [])
        text(`${x.path.join(" → ")}  [${x.rows.join(", ")}]`, { size: 7, indent: 12, color: COLOR.muted });
    }
  }

  // Matrix
  h2("Consolidated matrix");
  const mx = m.matrix;
  if (!mx) text("No matrix: the profile holds no items.");
  else {
    text(
      `Rows: the profile's items of ${mx.anchor} and their parents; columns: ${mx.columns.map((x) => m.titles[x] ?? x).join(", ") || "none"}. ${LEGEND}`,
      { size: 8, color: COLOR.muted, gap: 0.3 },
    );
    for (const r of mx.rows) {
      ensure(14);
      text(heading(r.label, r.title, "  "), {
        size: 8.5,
        bold: r.depth === 0,
        indent: Math.min(r.depth, 4) * 8,
      });
      for (const col of mx.columns) {
        const cells = cellText(r.cells[col]);
        if (cells)
          text(`${m.titles[col] ?? col}: ${cells}`, { size: 7.5, indent: Math.min(r.depth, 4) * 8 + 12 });
      }
    }
  }

  // Evidence register
  h2("Evidence register");
  if (m.evidence.length === 0) text("No evidence recorded.");
  for (const e of m.evidence) {
    ensure(26);
    const r = e.record;
    text(`${r.id}  ${r.title}`, { bold: true, size: 9 });
    text(
      `${r.kind}, ${r.strength}; ${evidenceDates(e)}; added by ${r.addedBy} on ${r.addedAt}${r.tags.length > 0 ? `; tags ${r.tags.join(", ")}` : ""}${r.supersedes ? `; supersedes ${r.supersedes}` : ""}${e.supersededBy ? `; superseded by ${e.supersededBy}` : ""}`,
      { size: 8, indent: 10, color: COLOR.muted },
    );
    if (r.text) text(r.text, { size: 8, indent: 10 });
    if (r.tool)
      text(`tool ${r.tool.name} ${r.tool.version}${r.tool.command ? `: ${r.tool.command}` : ""}`, {
        size: 8,
        indent: 10,
      });
    if (r.file) {
      text(`${r.file.name} (${r.file.size} bytes, ${r.file.mediaType}) at ${r.file.path}`, {
        size: 8,
        indent: 10,
      });
      text(`sha256:${r.file.sha256}`, { size: 7, mono: true, indent: 10 });
    }
    if (r.url) text(r.url, { size: 7.5, mono: true, indent: 10 });
    doc.moveDown(0.25);
  }

  if (m.problems.length > 0) {
    h2("Validation problems");
    text("These problems stop a final dossier; this one was built as a draft.", { gap: 0.2 });
    list(m.problems.map(formatProblem));
  }
  if (m.auditTrail) {
    h2("Audit trail");
    text(
      `${m.auditTrail.length} entries, oldest first, as the server's hash-chained audit trail records them (audit-trail.json holds them in full).`,
      {
        size: 8,
        color: COLOR.muted,
        gap: 0.2,
      },
    );
    table(
      ["When", "Who", "Action", "What", "Detail"],
      m.auditTrail.map((e) => {
        const r = auditRow(e);
        return [r.at, r.who, r.action, r.what, r.detail];
      }),
      [0.17, 0.18, 0.14, 0.21, 0.3],
      7,
    );
  }
  root.end();

  // Every page: footer with page numbers; for a draft, a watermark and DRAFT in the footer; for a
  // dossier issued final over open matters, the override. All of it page furniture (artifacts).
  const range = doc.bufferedPageRange();
  const footer = m.final
    ? `FINAL BY OVERRIDE (${m.final.by}: ${m.final.reason}) despite ${openSummary(m.open)}`
    : undefined;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(() => {
      if (m.draft) {
        const cx = doc.page.width / 2;
        const cy = doc.page.height / 2;
        doc.save();
        doc.rotate(-35, { origin: [cx, cy] });
        doc.font("Bold").fontSize(120).fillColor(COLOR.fail).fillOpacity(0.15);
        doc.text("DRAFT", cx - 210, cy - 60, { width: 420, align: "center", lineBreak: false });
        doc.restore();
      }
      doc.font("Body").fontSize(7.5).fillColor(COLOR.muted).fillOpacity(1);
      const y = doc.page.height - 38;
      const label = `${m.draft ? "DRAFT - " : ""}${a.id}: ${a.product.model} ${a.release.version} (${m.date})`;
      doc.text(cover(label, "Body"), left, y, { width: width - 90, lineBreak: false });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width - 90, y, {
        width: 90,
        align: "right",
        lineBreak: false,
      });
      if (footer)
        doc
          .font("Bold")
          .fillColor(COLOR.warn)
          .text(cover(footer, "Bold"), left, y + 10, { width, height: 10, ellipsis: true, lineBreak: false });
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
