import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Collector, CollectorContext, CollectorReport } from "../../src/collect/contract.js";
import { sha256Hex } from "../../src/collect/support/report.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export function fixture(kind: string, name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, kind, name)));
}

export function inputOf(bytes: Uint8Array, name?: string) {
  return {
    bytes,
    info: { sha256: sha256Hex(bytes), bytes: bytes.byteLength, ...(name ? { name: basename(name) } : {}) },
  };
}

export async function run(
  collector: Collector,
  bytes: Uint8Array,
  context: Partial<CollectorContext> = {},
  name?: string,
): Promise<CollectorReport> {
  return collector.collect(inputOf(bytes, name), { date: "2026-12-01", ...context });
}

export function results(report: CollectorReport, id: string): string[] {
  return report.checks.filter((c) => c.id === id).map((c) => c.result);
}

export function proposal(report: CollectorReport, item: string) {
  return report.proposals.find((p) => p.item === item);
}
