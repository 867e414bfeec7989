import { matricesToXlsx, matrixToCsv } from "../crosswalk/matrix-render.js";
import { exportProfileToOscal } from "../oscal/profile-export.js";
import { attestationToCycloneDx } from "./cyclonedx.js";
import { renderHtml } from "./html.js";
import { buildManifest } from "./manifest.js";
import { designTables, matrixFacts } from "./matrix-facts.js";
import { DOSSIER_FILES, type DossierInput, type DossierResult, type Manifest } from "./model.js";
import { assessmentResultsToOscal } from "./oscal-results.js";
import { type PdfOptions, renderPdf } from "./pdf.js";
import { buildReportModel, profileMatrices } from "./report-model.js";
import type { ManifestSigner } from "./signature.js";
import { json, toDate, toDateTime, utf8 } from "./util.js";
import { validateDossierInput } from "./validate.js";
import { deterministicZip, normaliseZip, zipTime } from "./zip.js";

export interface BuildOptions {
  pdf?: PdfOptions;
  /** Told how far the build is (0 to 1) and what it is doing: for progress shown to a person. */
  onProgress?: (fraction: number, phase: string) => void;
  /**
   * Sign the manifest (manifest.json.p7s, detached CMS): who issued the dossier. The CLI builds it
   * from `--sign-key`/`--sign-cert` (`signerFromPem`); the server will from its organisation's key.
   */
  signer?: ManifestSigner;
}

/**
 * Builds the dossier of an assessment. Validates first: with problems and no `draft`, nothing is
 * built and the problems are returned. Pure apart from CPU: every byte follows from the input
 * (dates from `assessment.updated`, fixed zip times, PDF dates and /ID from the assessment), so
 * the same input gives byte-identical files. Async only because the XLSX and PDF writers are.
 */
export async function buildDossier(input: DossierInput, options: BuildOptions = {}): Promise<DossierResult> {
  const problems = validateDossierInput(input);
  if (problems.length > 0 && !input.draft) return { built: false, problems, files: new Map() };

  const a = input.assessment;
  const toolVersion = input.toolVersion ?? "0.1.0";
  const step = options.onProgress ?? (() => undefined);
  step(0, "report model");
  const model = buildReportModel(input, problems);
  // The exports say DRAFT as the report does, whether asked for or decided by what is open.
  const marked: DossierInput = { ...input, draft: model.draft };
  const files = new Map<string, Uint8Array>();
  const mtime = zipTime(a.updated);

  step(0.1, "HTML report");
  files.set(DOSSIER_FILES.html, utf8(renderHtml(model)));
  step(0.2, "PDF report");
  files.set(DOSSIER_FILES.pdf, await renderPdf(model, options.pdf));
  step(0.6, "matrix");
  if (model.matrix) {
    files.set(DOSSIER_FILES.csv, utf8(matrixToCsv(model.matrix, model.titles)));
    // A sheet per text of the profile, each row with its verdict and evidence.
    const xlsx = await matricesToXlsx(profileMatrices(input, model.matrix), model.titles, {
      facts: matrixFacts(model),
      tables: designTables(model),
    });
    // exceljs stamps zip entries with the current time and the workbook with 1970: both become the
    // assessment's date.
    const stamp = toDateTime(a.updated);
    files.set(
      DOSSIER_FILES.xlsx,
      normaliseZip(new Uint8Array(xlsx), mtime, (path, bytes) =>
        path === "docProps/core.xml"
          ? utf8(new TextDecoder().decode(bytes).replace(/1970-01-01T00:00:00(\.000)?Z/g, stamp))
          : bytes,
      ),
    );
  }
  step(0.8, "OSCAL and CycloneDX");
  files.set(DOSSIER_FILES.oscalResults, json(assessmentResultsToOscal(marked, model.derivation)));
  files.set(DOSSIER_FILES.oscalProfile, json(exportProfileToOscal(input.profile, input.registry)));
  files.set(DOSSIER_FILES.cyclonedx, json(attestationToCycloneDx(marked, toolVersion, model.derivation)));
  if (input.auditTrail && input.auditTrail.length > 0)
    files.set(DOSSIER_FILES.auditTrail, json(input.auditTrail));
  // Evidence files as they are, for the records that name them (a draft skips those it lacks).
  for (const e of a.evidence) {
    const path = e.file?.path;
    if (!path || files.has(path)) continue;
    const bytes = input.evidenceFiles.get(path);
    if (bytes && /^evidence\/[^/]/.test(path) && !path.includes("..")) files.set(path, bytes);
  }

  const { manifest, bytes } = buildManifest(files, {
    assessment: { id: a.id, title: a.title, updated: a.updated },
    product: { manufacturer: a.product.manufacturer, model: a.product.model, release: a.release.version },
    generated: toDateTime(a.updated),
    draft: model.draft,
    ...(model.final ? { final: model.final } : {}),
    tool: { name: "Cairn", version: toolVersion },
    ...auditAnchorOf(input.auditTrail),
  });
  files.set(DOSSIER_FILES.manifest, bytes);
  if (options.signer) {
    // Loaded only to sign: the ASN.1 modules are not needed otherwise.
    const { signManifest } = await import("./signature.js");
    files.set(DOSSIER_FILES.signature, signManifest(bytes, options.signer, toDate(a.updated)));
  }
  step(0.95, "zip");
  const sorted = new Map([...files].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return {
    built: true,
    problems,
    files: sorted,
    zip: deterministicZip(sorted, mtime),
    manifest,
    draft: model.draft,
    open: model.open,
    ...(model.final ? { final: model.final } : {}),
  };
}

/** The trail's last entry as an anchor, when its entries come from an audit chain (the server's). */
function auditAnchorOf(trail: unknown[] | undefined): { auditAnchor?: Manifest["auditAnchor"] } {
  const last = trail?.at(-1) as { chain?: unknown; seq?: unknown; hash?: unknown } | undefined;
  if (
    !last ||
    typeof last.chain !== "string" ||
    typeof last.seq !== "number" ||
    typeof last.hash !== "string"
  )
    return {};
  return { auditAnchor: { chain: last.chain, seq: last.seq, hash: last.hash } };
}
