import { existsSync, readFileSync, statSync } from "node:fs";
import { CairnError } from "../../core/problem.js";
import { parseJsonBytes } from "../json-access.js";
import { feedsDir, loadFeedSet } from "./feed-store.js";
import { type VexStatement, vexStatements } from "./vex.js";

/** The edge of the vulnerability collector: reads the feeds folder and the VEX files its options name. */
export async function prepareVulns(options: Record<string, unknown>): Promise<Record<string, unknown>> {
  const dir = feedsDir(typeof options.feeds === "string" ? options.feeds : undefined);
  if (!existsSync(dir))
    throw new CairnError(
      `no feeds folder at ${dir}: import feeds first (cairn feeds import <file|folder>) or name one with --feeds`,
    );
  const feeds = loadFeedSet(dir);
  const vexFiles = Array.isArray(options.vex)
    ? (options.vex as string[])
    : typeof options.vex === "string"
      ? [options.vex]
      : [];
  const vex: VexStatement[] = [];
  for (const file of vexFiles) {
    if (!existsSync(file) || !statSync(file).isFile())
      throw new CairnError(`VEX file ${file} does not exist`);
    const parsed = parseJsonBytes(readFileSync(file));
    if (!parsed.ok) throw new CairnError(`VEX file ${file}: the input is ${parsed.message}`);
    const statements = vexStatements(parsed.value, file);
    if (statements === undefined)
      throw new CairnError(
        `${file} is not a VEX document Cairn reads (CSAF VEX, OpenVEX, CycloneDX with vulnerabilities)`,
      );
    vex.push(...statements);
  }
  return { ...options, feeds, vexStatements: vex };
}
