import { UsageError } from "../core/problem.js";
import type { Collector } from "./contract.js";

/**
 * Every collector kind, loaded only when used. One line per kind: a new collector adds its line
 * here and a folder src/collect/<kind>/ whose collector module stays light to import (detect and
 * the check list; parsing and checks are imported inside `collect`).
 */
const COLLECTORS: Record<string, () => Promise<Collector>> = {
  sbom: async () => (await import("./sbom/collector.js")).sbomCollector,
  vulns: async () => (await import("./vulns/collector.js")).vulnsCollector,
  "security-txt": async () => (await import("./security-txt/index.js")).securityTxtCollector,
  csaf: async () => (await import("./csaf/index.js")).csafCollector,
  mud: async () => (await import("./mud/index.js")).mudCollector,
  x509: async () => (await import("./x509/collector.js")).x509Collector,
  firmware: async () => (await import("./firmware/index.js")).firmwareCollector,
  scan: async () => (await import("./scan/index.js")).scanCollector,
  "osv-scanner": async () => (await import("./osv-scanner/index.js")).osvScannerCollector,
};

export function collectorKinds(): string[] {
  return Object.keys(COLLECTORS);
}

export async function loadCollector(kind: string): Promise<Collector> {
  const load = COLLECTORS[kind];
  if (load === undefined)
    throw new UsageError(`unknown collector kind "${kind}" (kinds: ${collectorKinds().join(", ")})`);
  return load();
}

export async function loadCollectors(): Promise<Collector[]> {
  return Promise.all(collectorKinds().map((k) => loadCollector(k)));
}

export interface Detection {
  kind: string;
  confidence: number;
}

/** How much of the input `detect` looks at: collectors must decide from the start of a file. */
export const DETECT_BYTES = 64 * 1024;

/**
 * Asks every collector how sure it is that the input is its kind, best first; ties go to the
 * kind listed first in COLLECTORS. Only confidences above zero are returned.
 */
export async function detectKinds(bytes: Uint8Array, name: string | undefined): Promise<Detection[]> {
  const head = bytes.subarray(0, DETECT_BYTES);
  const found: Detection[] = [];
  for (const c of await loadCollectors()) {
    const confidence = c.detect(head, name);
    if (confidence > 0) found.push({ kind: c.kind, confidence });
  }
  return found.sort((a, b) => b.confidence - a.confidence);
}
