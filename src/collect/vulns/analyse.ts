import type {
  CollectorCheck,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
  CollectorReport,
} from "../contract.js";
import { obj, parseJsonBytes } from "../json-access.js";
import { readSbom } from "../sbom/analyse.js";
import { indexAdvisories, matchComponents, type VulnMatch } from "./match.js";
import type { FeedSet } from "./model.js";
import { cycloneDxVex, type VexStatement } from "./vex.js";

export const TOOL = { name: "cairn-collect-vulns", version: "1" };
const FEED_MAX_AGE_DAYS = 30;

function days(from: string, to: string): number {
  return Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}

function list(matches: VulnMatch[], n = 5): string {
  const shown = matches.slice(0, n).map((m) => `${m.kev?.cve ?? m.advisory} in ${m.component.name}`);
  return `${shown.join(", ")}${matches.length > n ? `, and ${matches.length - n} more` : ""}`;
}

/**
 * Known exploited vulnerabilities fail CRA Annex I Part I (2)(a) and EN 18031-1 GEC-1 with the list;
 * the strength is "proves-only-when-failing": a match shows a listed vulnerability in a shipped
 * version, while no match cannot show that none exists (SBOM completeness, feed coverage).
 */
function proposals(
  kevOpen: VulnMatch[],
  open: VulnMatch[],
  unidentified: number,
  unchecked: number,
  components: number,
): CollectorProposal[] {
  const items = ["eu-cra:annex-i.part-i.2.a", "cen-en-18031-1:GEC-1"];
  if (kevOpen.length > 0)
    return items.map((item) => ({
      item,
      verdict: "fail",
      strength: "proves-only-when-failing",
      reason: `${kevOpen.length} known exploited vulnerabilities (CISA KEV) affect shipped components with no VEX not_affected or fixed: ${list(kevOpen)}.`,
      checks: ["vulns.kev"],
    }));
  const gaps = unidentified + unchecked;
  if (open.length === 0 && gaps === 0)
    return items.map((item) => ({
      item,
      verdict: "pass",
      strength: "supports",
      reason: `None of the ${components} components matches an imported advisory, or every match is resolved by VEX. This supports, but cannot prove, the absence of known exploitable vulnerabilities: it is as complete as the SBOM and the feeds.`,
      checks: ["vulns.kev", "vulns.known", "vulns.identified", "vulns.unchecked"],
    }));
  return items.map((item) => ({
    item,
    verdict: "inconclusive",
    strength: "supports",
    reason: `No KEV vulnerability matched, but ${open.length} known vulnerabilities are open (exploitability not established by VEX)${gaps > 0 ? ` and ${gaps} components could not be checked` : ""}.`,
    checks: ["vulns.kev", "vulns.known", "vulns.identified", "vulns.unchecked"],
  }));
}

export function analyseVulns(input: CollectorInput, context: CollectorContext): CollectorReport {
  const feeds = context.options?.feeds as FeedSet | undefined;
  const externalVex = (context.options?.vexStatements as VexStatement[] | undefined) ?? [];
  const base = { kind: "vulns", input: input.info, tool: TOOL };
  context.progress?.("parsing");
  const parsed = parseJsonBytes(input.bytes);
  const read = parsed.ok
    ? readSbom(parsed.value)
    : { error: `the input is ${parsed.message}`, format: "unknown" };
  if ("error" in read)
    return {
      ...base,
      format: read.format,
      valid: false,
      checks: [{ id: "vulns.sbom", result: "fail", message: read.error }],
      proposals: [],
    };
  const { doc, format } = read;
  const checks: CollectorCheck[] = [
    { id: "vulns.sbom", result: "pass", message: `${format} with ${doc.components.length} components` },
  ];
  if (!feeds || feeds.feeds.length === 0) {
    checks.push({
      id: "vulns.feeds",
      result: "fail",
      message: "no feeds are imported: run cairn feeds import <file|folder> first (offline feeds only)",
    });
    return { ...base, format, valid: true, checks, proposals: [] };
  }
  const count = (k: string) => feeds.feeds.filter((f) => f.kind === k).reduce((n, f) => n + f.records, 0);
  checks.push({
    id: "vulns.feeds",
    result: "pass",
    message: `${feeds.advisories.length} advisories (OSV ${count("osv")}, NVD ${count("nvd")} records imported), ${feeds.kev.size} KEV entries, from ${feeds.feeds.length} imports`,
  });
  const stale = feeds.feeds.filter((f) => f.feedDate && days(f.feedDate, context.date) > FEED_MAX_AGE_DAYS);
  if (!feeds.feeds.some((f) => f.kind === "kev"))
    checks.push({
      id: "vulns.feed-age",
      result: "warn",
      message: "no CISA KEV catalog is imported: known exploited vulnerabilities cannot be told apart",
    });
  else if (stale.length > 0)
    checks.push({
      id: "vulns.feed-age",
      result: "warn",
      message: `${stale.length} feeds are more than ${FEED_MAX_AGE_DAYS} days older than ${context.date} (e.g. ${stale[0]?.file} of ${stale[0]?.feedDate?.slice(0, 10)})`,
    });
  else
    checks.push({
      id: "vulns.feed-age",
      result: "pass",
      message: `every feed is at most ${FEED_MAX_AGE_DAYS} days old on ${context.date}`,
    });

  context.progress?.("indexing");
  const index = indexAdvisories(feeds.advisories);
  const root = obj(parsed.ok ? parsed.value : undefined);
  const inSbom = doc.family === "cyclonedx" && root ? cycloneDxVex(root, "sbom") : [];
  const vex = [...inSbom, ...externalVex];
  const components = doc.primary ? [doc.primary, ...doc.components] : doc.components;
  const result = matchComponents(components, index, feeds.kev, vex, (done, total) =>
    context.progress?.("matching", done, total),
  );

  checks.push(
    result.unidentified.length === 0
      ? {
          id: "vulns.identified",
          result: "pass",
          message: `all ${components.length} components have a package URL or CPE`,
        }
      : {
          id: "vulns.identified",
          result: "warn",
          message: `${result.unidentified.length} components have neither package URL nor CPE and were matched by name only (e.g. ${result.unidentified
            .slice(0, 3)
            .map((u) => u.name)
            .join(", ")})`,
          location: result.unidentified[0]?.location,
        },
  );
  checks.push(
    result.unchecked.length === 0
      ? { id: "vulns.unchecked", result: "pass", message: "every component with an identifier was checked" }
      : {
          id: "vulns.unchecked",
          result: "warn",
          message: `${result.unchecked.length} components could not be checked (e.g. ${result.unchecked[0]?.name}: ${result.unchecked[0]?.reason})`,
          location: result.unchecked[0]?.location,
        },
  );
  const firm = result.matches.filter((m) => m.by !== "name");
  const open = firm.filter(
    (m) => m.status === "open" || m.status === "affected" || m.status === "under_investigation",
  );
  const kevOpen = open.filter((m) => m.kev !== undefined);
  const kevCandidates = result.matches.filter(
    (m) => m.by === "name" && m.kev !== undefined && m.status !== "not_affected" && m.status !== "fixed",
  );
  checks.push(
    open.length === 0
      ? {
          id: "vulns.known",
          result: "pass",
          message: `no open known vulnerability (${firm.length} matches, all resolved by VEX)`,
        }
      : {
          id: "vulns.known",
          result: "warn",
          message: `${open.length} known vulnerabilities affect components without VEX resolving them: ${list(open)}`,
        },
  );
  checks.push(
    kevOpen.length === 0
      ? {
          id: "vulns.kev",
          result: feeds.kev.size > 0 ? "pass" : "info",
          message:
            feeds.kev.size > 0
              ? "no known exploited vulnerability (CISA KEV) is open"
              : "no KEV catalog to check against",
        }
      : {
          id: "vulns.kev",
          result: "fail",
          message: `${kevOpen.length} known exploited vulnerabilities (CISA KEV) are open: ${list(kevOpen)}`,
        },
  );
  if (kevCandidates.length > 0)
    checks.push({
      id: "vulns.kev-candidates",
      result: "warn",
      message: `${kevCandidates.length} KEV vulnerabilities match components by name only: ${list(kevCandidates)}`,
    });
  const covered = result.matches.filter((m) => m.vex.length > 0).length;
  checks.push({
    id: "vulns.vex",
    result: "info",
    message: `${vex.length} VEX statements (${inSbom.length} in the SBOM, ${externalVex.length} from VEX files) cover ${covered} of ${result.matches.length} matches`,
  });

  return {
    ...base,
    format,
    valid: true,
    checks,
    proposals: proposals(
      kevOpen,
      open,
      result.unidentified.length,
      result.unchecked.length,
      components.length,
    ),
    tags: ["vulnerability-scan"],
    vulnerabilities: {
      feeds: feeds.feeds.map((f) => ({
        kind: f.kind,
        file: f.file,
        records: f.records,
        ...(f.feedDate ? { feedDate: f.feedDate } : {}),
      })),
      summary: {
        components: components.length,
        matches: result.matches.length,
        open: open.length,
        kevOpen: kevOpen.length,
        unidentified: result.unidentified.length,
        unchecked: result.unchecked.length,
        unmatched: result.unmatched.length,
      },
      matches: result.matches,
      unidentified: result.unidentified,
      unchecked: result.unchecked,
      unmatched: result.unmatched,
    },
  };
}
