import type { Matrix, MatrixCell } from "./matrix.js";
import { RELATIONSHIP_MARK } from "./model.js";

/** A cell as text: "5.6-1 ∩, 5.4-1 ⊂"; derived cells end with "*". */
export function cellText(cells: readonly MatrixCell[] | undefined): string {
  return (cells ?? [])
    .map((c) => `${c.label} ${RELATIONSHIP_MARK[c.relationship]}${c.derived ? "*" : ""}`)
    .join(", ");
}

export const LEGEND =
  "Relationship of the row item to the cell item: = equal, ⊃ superset-of, ⊂ subset-of, ∩ intersects-with; * derived through other crosswalks.";

function header(m: Matrix, titles: Record<string, string>): string[] {
  return ["Item", "Title", ...m.columns.map((c) => titles[c] ?? c)];
}

function rowValues(m: Matrix, row: Matrix["rows"][number]): string[] {
  return [
    `${"  ".repeat(row.depth)}${row.label}`,
    row.title,
    ...m.columns.map((c) => cellText(row.cells[c])),
  ];
}

function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return safe !== v || /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV. Fields that a spreadsheet would run as formulas are quoted and prefixed with '. */
export function matrixToCsv(m: Matrix, titles: Record<string, string> = {}): string {
  const lines = [
    header(m, titles),
    ...m.rows.map((r) => rowValues(m, r).map((v, i) => (i === 0 ? v.trim() : v))),
  ];
  return `${lines.map((l) => l.map(csvField).join(",")).join("\r\n")}\r\n`;
}

function mdEscape(v: string): string {
  return v.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function matrixToMarkdown(m: Matrix, titles: Record<string, string> = {}): string {
  const h = header(m, titles);
  const lines = [`| ${h.map(mdEscape).join(" | ")} |`, `|${h.map(() => "---").join("|")}|`];
  for (const r of m.rows) {
    const v = rowValues(m, r);
    v[0] = `${"&nbsp;&nbsp;".repeat(r.depth)}${r.label}`;
    lines.push(`| ${v.map(mdEscape).join(" | ")} |`);
  }
  return `${lines.join("\n")}\n\n${LEGEND}\n`;
}

export function escapeHtml(v: string): string {
  return v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A self-contained HTML page: one table, sticky header, nothing loaded from elsewhere. */
export function matrixToHtml(
  m: Matrix,
  titles: Record<string, string> = {},
  title = `Provisions matrix: ${m.anchor}`,
): string {
  const h = header(m, titles);
  const body = m.rows
    .map((r) => {
      const cells = m.columns
        .map((c) => {
          const list = (r.cells[c] ?? [])
            .map(
              (x) =>
                `<span class="rel rel-${x.relationship}${x.derived ? " derived" : ""}" title="${escapeHtml(`${x.id}: ${x.relationship}${x.derived ? ` (derived via ${(x.via ?? []).join(", ")})` : ""}`)}">${escapeHtml(x.label)} ${RELATIONSHIP_MARK[x.relationship]}${x.derived ? "*" : ""}</span>`,
            )
            .join(" ");
          return `<td>${list}</td>`;
        })
        .join("");
      return `<tr class="depth-${r.depth}"><th scope="row" style="padding-left:${0.5 + r.depth}em">${escapeHtml(r.label)}</th><td>${escapeHtml(r.title)}</td>${cells}</tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1rem}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
thead th{position:sticky;top:0;background:#f3f3f3}
.rel{white-space:nowrap;margin-right:.4em}.derived{font-style:italic;color:#555}
.depth-0 th,.depth-0 td{background:#fafafa;font-weight:600}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(LEGEND)}</p>
<table><thead><tr>${h.map((x) => `<th scope="col">${escapeHtml(x)}</th>`).join("")}</tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}

/** What an assessment says about a row's item, for the dossier's matrix: its verdict and evidence. */
export interface RowFacts {
  verdict: string;
  /** Who gave the verdict (person) or what it was derived from (measures, roll-up, proposal). */
  source?: string;
  /** One line per piece of evidence. */
  evidence: string[];
}

export interface XlsxOptions {
  /** The verdict and evidence of a row's item (undefined: a row for structure, left blank). */
  facts?: (item: string) => RowFacts | undefined;
  /** Further sheets after the matrices (the dossier's measures and risks): a header row and rows. */
  tables?: readonly XlsxTable[];
}

export interface XlsxTable {
  name: string;
  header: string[];
  rows: (string | number | null)[][];
  /** One line of explanation, added to the Legend sheet. */
  note?: string;
}

/** Characters a sheet name cannot hold, and its length limit (31), in Excel and the OOXML spec. */
function sheetName(wanted: string, used: Set<string>): string {
  const base =
    wanted
      .replace(/[\\/?*[\]:]/g, "-")
      .replace(/^'+|'+$/g, "")
      .trim()
      .slice(0, 31) || "Sheet";
  let name = base;
  // "History" is reserved by Excel; names compare case-insensitively.
  for (let n = 2; used.has(name.toLowerCase()) || name.toLowerCase() === "history"; n++)
    name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** A sheet's name: the text's short title, with its version when another sheet has the same text. */
function sheetTitle(m: Matrix, matrices: readonly Matrix[], titles: Record<string, string>): string {
  const id = m.anchor.replace(/@.*$/, "");
  const title = titles[m.anchor] ?? titles[id] ?? id;
  const twin = matrices.some((o) => o !== m && o.anchor.replace(/@.*$/, "") === id);
  const version = m.anchor.includes("@") ? m.anchor.slice(m.anchor.indexOf("@") + 1) : "";
  return twin && version ? `${title} ${version}` : title;
}

/**
 * XLSX with exceljs: one sheet per anchor, named after its text (short title), frozen header row
 * and first column, filters on the header, widths that fit the content within reason, wrapped
 * cells. With `facts` (the dossier), each row says its item's verdict and evidence.
 */
export async function matricesToXlsx(
  matrices: readonly Matrix[],
  titles: Record<string, string> = {},
  options: XlsxOptions = {},
): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Cairn";
  // Fixed dates keep the file byte-for-byte reproducible for the same input.
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const used = new Set<string>(["legend", ...(options.tables ?? []).map((t) => t.name.toLowerCase())]);
  const facts = options.facts;
  for (const m of matrices) {
    const ws = wb.addWorksheet(sheetName(sheetTitle(m, matrices, titles), used), {
      views: [{ state: "frozen", xSplit: 1, ySplit: 1 }],
    });
    const texts = m.columns.map((c) => titles[c] ?? c);
    const h = facts ? ["Item", "Title", "Verdict", "Source", "Evidence", ...texts] : header(m, titles);
    ws.addRow(h);
    for (const r of m.rows) {
      const f = facts?.(r.item);
      // Blank cells (not empty strings) where the row has no finding or no evidence.
      const own = facts
        ? [f?.verdict ?? null, f?.source || null, f && f.evidence.length > 0 ? f.evidence.join("\n") : null]
        : [];
      const row = ws.addRow([r.label, r.title, ...own, ...m.columns.map((c) => cellText(r.cells[c]))]);
      row.getCell(1).alignment = { indent: r.depth };
      if (r.depth === 0) row.font = { bold: true };
    }
    ws.getRow(1).font = { bold: true };
    fitColumns(ws, h);
  }
  for (const t of options.tables ?? []) {
    const ws = wb.addWorksheet(t.name, { views: [{ state: "frozen", xSplit: 1, ySplit: 1 }] });
    ws.addRow(t.header);
    for (const r of t.rows) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    fitColumns(ws, t.header);
  }
  const legend = wb.addWorksheet("Legend");
  legend.addRow([LEGEND]);
  if (facts)
    legend.addRow([
      "Verdict, Source and Evidence: the item's effective verdict (a person's, else derived from design measures, rolled up from its children, or an accepted crosswalk proposal; \"(stale)\" when it no longer holds), who or what gave it, and the evidence the finding cites (files under evidence/ in the dossier); blank rows are there for structure.",
    ]);
  for (const t of options.tables ?? []) if (t.note) legend.addRow([`${t.name}: ${t.note}`]);
  legend.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Filters on the header, widths that fit the content within reason, wrapped cells. */
function fitColumns(ws: import("exceljs").Worksheet, h: readonly string[]): void {
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: h.length } };
  h.forEach((title, i) => {
    const col = ws.getColumn(i + 1);
    let width = title.length;
    col.eachCell({ includeEmpty: false }, (cell) => {
      const longest = Math.max(
        ...String(cell.value ?? "")
          .split("\n")
          .map((l) => l.length),
      );
      width = Math.max(width, Math.min(longest, 60));
    });
    col.width = Math.min(Math.max(width + 2, 10), i === 1 ? 70 : 50);
    col.alignment = { wrapText: true, vertical: "top" };
  });
}
