/** Advisories as Cairn keeps them after `cairn feeds import`: OSV and NVD records in one shape. */

export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface AffectedRange {
  /** OSV: SEMVER, ECOSYSTEM, GIT. NVD cpeMatch bounds become an ECOSYSTEM-like range on a CPE. */
  type: string;
  repo?: string;
  events: RangeEvent[];
}

export interface Affected {
  /** OSV ecosystem as given (`Debian:12`), for package affected entries. */
  ecosystem?: string;
  name?: string;
  purl?: string;
  /** NVD: the CPE 2.3 criteria's vendor and product (lower case), and its fixed version part when not a wildcard. */
  cpe?: { vendor: string; product: string; version?: string; criteria: string };
  ranges: AffectedRange[];
  /** Explicitly listed affected versions. */
  versions: string[];
}

export interface Advisory {
  id: string;
  aliases: string[];
  source: "osv" | "nvd";
  summary?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  affected: Affected[];
}

export interface KevEntry {
  cve: string;
  dateAdded?: string;
  dueDate?: string;
  vendorProject?: string;
  product?: string;
  name?: string;
  ransomware?: string;
}

export interface FeedInfo {
  /** sha256 of the imported file: the import's id. */
  id: string;
  kind: "osv" | "nvd" | "kev";
  file: string;
  imported: string;
  records: number;
  rejected: number;
  /** The newest date the feed carries (OSV modified, NVD lastModified, KEV dateReleased). */
  feedDate?: string;
  oldestRecord?: string;
}

/** What the vulnerability collector matches against. */
export interface FeedSet {
  advisories: Advisory[];
  kev: Map<string, KevEntry>;
  feeds: FeedInfo[];
}
