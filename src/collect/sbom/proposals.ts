import type { CollectorCheck, CollectorProposal } from "../contract.js";
import type { CryptoSummary } from "./checks.js";
import type { SbomDocument } from "./model.js";

/**
 * Proposals for the catalog items an SBOM speaks to. Strength is "supports" throughout: a valid,
 * complete SBOM shows the component inventory exists in a machine-readable format, not that the
 * manufacturer's process behind it (CRA Annex I Part II (1) also asks to identify vulnerabilities;
 * 8259B 1.3.d and SP 800-213A A.3.c ask to document practices) is in place.
 */
export function sbomProposals(
  doc: SbomDocument | undefined,
  valid: boolean,
  checks: CollectorCheck[],
  crypto: CryptoSummary | undefined,
): CollectorProposal[] {
  const by = (prefix: string) => checks.filter((c) => c.id.startsWith(prefix));
  const failing = (list: CollectorCheck[]) => list.filter((c) => c.result === "fail").map((c) => c.id);
  const ntia = by("ntia.");
  const integrity = by("ref.");
  const product = checks.filter((c) => c.id === "sbom.product" || c.id === "sbom.primary");
  const used = [...ntia, ...integrity, ...product].map((c) => c.id);
  const proposals: CollectorProposal[] = [];

  const cra = "eu-cra:annex-i.part-ii.1";
  if (!doc || !valid || doc.components.length === 0) {
    const why = !doc
      ? "the input is not a readable SBOM"
      : !valid
        ? "the SBOM is not valid against its format's schema"
        : "the SBOM lists no components";
    proposals.push({
      item: cra,
      verdict: "fail",
      strength: "supports",
      reason: `This SBOM does not document the product's components: ${why}.`,
      checks: ["sbom.schema", "sbom.components"],
    });
    return proposals;
  }
  const gaps = [...failing(ntia), ...failing(integrity), ...failing(product)];
  const label = `${doc.family === "cyclonedx" ? "CycloneDX" : "SPDX"} ${doc.specVersion}`;
  proposals.push(
    gaps.length === 0
      ? {
          item: cra,
          verdict: "pass",
          strength: "supports",
          reason: `A valid ${label} SBOM of ${doc.components.length} components with the NTIA minimum elements and resolving references${product.some((c) => c.id === "sbom.product" && c.result === "pass") ? ", for the release assessed" : ""}. It does not show that vulnerabilities are identified and documented.`,
          checks: ["sbom.schema", ...used],
        }
      : {
          item: cra,
          verdict: "inconclusive",
          strength: "supports",
          reason: `A valid ${label} SBOM, but incomplete or inconsistent: ${gaps.join(", ")} failed.`,
          checks: ["sbom.schema", ...gaps],
        },
  );
  const complete = gaps.length === 0;
  for (const item of ["nist-ir-8259b:1.3.d", "nist-sp-800-213a:A.3.c"])
    proposals.push({
      item,
      verdict: "inconclusive",
      strength: "supports",
      reason: `${complete ? "A complete" : "An incomplete"} SBOM documents the supply chain's components; the item asks for the development and supply chain practices themselves, which a person judges.`,
      checks: ["sbom.schema", ...(complete ? used : gaps)],
    });
  proposals.push({
    item: "nist-sp-800-213a:T1.2.3",
    verdict: "inconclusive",
    strength: "supports",
    reason:
      "The SBOM lists the software the release ships; the item asks the device itself to identify its loaded software, which a test of the device shows.",
    checks: ["sbom.schema"],
  });
  const ids = by("ntia.identifiers")[0];
  proposals.push(
    complete && ids?.result === "pass"
      ? {
          item: "nist-ir-8425:P1.2",
          verdict: "pass",
          strength: "supports",
          reason:
            "Every component of the product's inventory has a unique identifier (purl, CPE or SWID) in a complete, valid SBOM.",
          checks: ["sbom.schema", "ntia.identifiers", ...used],
        }
      : {
          item: "nist-ir-8425:P1.2",
          verdict: "inconclusive",
          strength: "supports",
          reason:
            "The SBOM is an inventory, but not every component is uniquely identified or the SBOM is incomplete.",
          checks: ["ntia.identifiers", ...gaps],
        },
  );
  if (
    crypto &&
    crypto.fips140_3Claims.length > 0 &&
    crypto.fips140_3WithCertificate.length === crypto.fips140_3Claims.length
  )
    proposals.push({
      item: "nist-ir-8259a:3.1",
      verdict: "pass",
      strength: "supports",
      reason: `The CBOM claims FIPS 140-3 validation for ${crypto.fips140_3Claims.length} cryptographic assets, each naming its CMVP certificate; check the certificates cover the module versions shipped.`,
      checks: ["cbom.fips140-3"],
    });
  return proposals;
}
