// Cheap format sniffing from the first bytes of an input (collector `detect`, and the vulnerability
// collector's guess of what it was given).

export type SbomFamily = "cyclonedx" | "spdx2" | "spdx3";

export function sniffSbom(head: Uint8Array): SbomFamily | undefined {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
  if (/"bomFormat"\s*:\s*"CycloneDX"/.test(text)) return "cyclonedx";
  if (/"spdxVersion"\s*:\s*"SPDX-2\.\d/.test(text)) return "spdx2";
  if (/"@context"\s*:\s*"https:\/\/spdx\.org\/rdf\/3\.\d/.test(text)) return "spdx3";
  return undefined;
}

export function isJsonName(name: string | undefined): boolean {
  return name !== undefined && /\.(json|jsonld|cdx|spdx)$/i.test(name);
}
