// Dossier hot path: building the whole dossier (HTML, PDF, XLSX, CSV, OSCAL, CycloneDX, evidence,
// manifest, zip) for an assessment of 300 findings and 100 evidence files, and verifying it.
// Run with `npm run bench`, or alone: `node dist/bench/dossier.js`.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintAssessment } from "../src/assessment/pitfalls.js";
import { computeReadiness } from "../src/assessment/readiness.js";
import { loadCatalogs } from "../src/catalog/files.js";
import { bundledPath } from "../src/core/paths.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import { buildDossier } from "../src/dossier/build.js";
import { verifyDossierAt } from "../src/dossier/files.js";
import { verifyDossier } from "../src/dossier/manifest.js";
import { readAssessmentFolder } from "../src/dossier/read-assessment.js";
import { signerFromPem } from "../src/dossier/signature.js";
import { syntheticInput } from "../src/dossier/synthetic.js";
import { report } from "./stats.js";

export async function benchDossier(): Promise<void> {
  console.log("\n== dossier ==");
  const { registry } = loadCatalogs();
  const { set } = loadCrosswalks(registry);
  const input = syntheticInput(registry, set, {
    preset: "medical-device-military-hospital",
    items: 300,
    evidenceFiles: 100,
    fileSize: 2048,
  });
  const findings = input.assessment.findings.length;
  const files = input.evidenceFiles.size;
  // The first build also loads pdfkit and exceljs: timed apart.
  let t = performance.now();
  let result = await buildDossier(input);
  const cold = performance.now() - t;
  if (!result.built)
    throw new Error(`synthetic assessment does not validate: ${JSON.stringify(result.problems)}`);
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    t = performance.now();
    result = await buildDossier(input);
    times.push(performance.now() - t);
  }
  report(`dossier build, first in process (${findings} findings, ${files} files)`, [cold], 3000);
  report(`dossier build (${findings} findings, ${files} evidence files, PDF)`, times, 3000);
  const verify: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    if (!verifyDossier(result.files).ok) throw new Error("the dossier does not verify");
    verify.push(performance.now() - t);
  }
  report(`dossier verify (${result.files.size} files)`, verify, 200);

  // Signing (RSA 2048, deterministic) and the CLI's path: the zip read strictly from disk, every
  // entry inflated and hashed as a stream, the signature checked.
  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-dossier-"));
  try {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const signer = signerFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const signing: number[] = [];
    let signed = result;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      signed = await buildDossier(input, { signer });
      signing.push(performance.now() - t);
    }
    report("dossier build, signed (RSA 2048)", signing, 3000);
    const zip = join(dir, "dossier.zip");
    writeFileSync(zip, signed.zip as Uint8Array);
    const fromZip: number[] = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      const r = await verifyDossierAt(zip);
      if (!r.ok || !r.signature?.valid) throw new Error("the signed dossier does not verify");
      fromZip.push(performance.now() - t);
    }
    report(
      `dossier verify of the zip, strict and streamed, signature checked (${((signed.zip?.length ?? 0) / 1024).toFixed(0)} KiB)`,
      fromZip,
      500,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The worked example: 495 items, most settled through 18 design measures and roll-ups, 5 risks;
  // derived verdicts, the design and risk sections, the Measures and Risks sheets.
  const folder = readAssessmentFolder(bundledPath("examples", "smart-thermostat", "assessment"));
  const asOf = folder.assessment.updated.slice(0, 10);
  const example = {
    assessment: folder.assessment,
    profile: folder.profile,
    registry,
    crosswalks: set,
    readiness: computeReadiness(folder.assessment, folder.profile, registry, set, undefined, { asOf }),
    pitfalls: lintAssessment(folder.assessment, folder.profile, asOf),
    evidenceFiles: folder.evidenceFiles,
    draft: false,
    profileSha256: folder.profileSha256,
  };
  const exampleTimes: number[] = [];
  let built = await buildDossier(example);
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    built = await buildDossier(example);
    exampleTimes.push(performance.now() - t);
  }
  if (!built.built || built.draft) throw new Error("the worked example's dossier is not final");
  report(
    `dossier build, worked example (${folder.profile.items.length} items, ${folder.assessment.measures?.length ?? 0} measures, ${folder.assessment.risks?.length ?? 0} risks)`,
    exampleTimes,
    5000,
  );
  console.log(
    `  worked example: report.pdf ${((built.files.get("report.pdf")?.length ?? 0) / 1024).toFixed(0)} KiB, report.html ${((built.files.get("report.html")?.length ?? 0) / 1024).toFixed(0)} KiB, zip ${((built.zip?.length ?? 0) / 1024).toFixed(0)} KiB`,
  );

  const size = (p: string) => `${((result.files.get(p)?.length ?? 0) / 1024).toFixed(0)} KiB`;
  console.log(
    `  sizes: report.pdf ${size("report.pdf")} (${
      (
        Buffer.from(result.files.get("report.pdf") ?? [])
          .toString("latin1")
          .match(/\/Type \/Page\b/g) ?? []
      ).length
    } pages), report.html ${size("report.html")}, matrix.xlsx ${size("matrix.xlsx")}, assessment-results ${size("oscal/assessment-results.json")}, attestation ${size("cyclonedx/attestation.cdx.json")}, zip ${((result.zip?.length ?? 0) / 1024).toFixed(0)} KiB`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDossier();
