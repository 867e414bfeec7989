/**
 * OSCAL profile resolution: turns a profile plus the catalogs and profiles it imports into one
 * resolved catalog, following NIST's "OSCAL Profile Resolution" specification. The phases are the
 * spec's, one module each under `resolve/`: import and select (`import.ts`), merge (`merge.ts`),
 * modify (`modify.ts`), then back-matter, metadata and pruning (`finish.ts`). Pure: documents are
 * obtained through the caller's `loadImport`, nothing is read from disk or network here.
 *
 * Sharing: a control that the profile does not modify is copied shallowly (a new object for the
 * control, so that its child controls can differ) but its params, props, links and parts are the
 * imported catalog's own objects. Modified controls get their own copies (copy-on-write for
 * set-parameters, `structuredClone` of the content for alters), so the imported documents are
 * never changed. Callers that want to mutate the result should `structuredClone` it first.
 *
 * Untrusted input: every document is checked for the JSON types the resolver reads
 * (`resolve/shape.ts`) before use; imports are bounded in depth and number, selections in size,
 * additions in volume, and the whole resolution in time (`ResolveOptions.limits`). A limit that is
 * reached is an "error" problem, never an exception.
 *
 * See docs/oscal-profile-resolution.md for what is supported and the deviations from the spec.
 */
import type { OscalProfile, OscalProfileDoc, ResolvedCatalog } from "./profile-types.js";
import { emptyCatalog, finish } from "./resolve/finish.js";
import { acquire, type Frame, select } from "./resolve/import.js";
import { merge } from "./resolve/merge.js";
import { modify } from "./resolve/modify.js";
import { profileShapeProblems } from "./resolve/shape.js";
import {
  DEFAULT_LIMITS,
  type ImportLoader,
  type Report,
  ResolutionStopped,
  type ResolveOptions,
  type ResolveResult,
  type Run,
  type Selection,
} from "./resolve/types.js";
import { checkKeys, IMPORT_KEYS, isObject, isPlain, PROFILE_KEYS } from "./resolve/util.js";

export { resolveHref } from "./resolve/import.js";
export {
  DEFAULT_LIMITS,
  type FlatNesting,
  type ImportedDocument,
  type ImportLoader,
  LoadedDocument,
  OSCAL_NS,
  RESOLUTION_TOOL,
  RESOLVED_UUID_NAMESPACE,
  type ResolveLimits,
  type ResolveOptions,
  type ResolveProblem,
  type ResolveResult,
  type Severity,
  TOOL_OSCAL_VERSION,
} from "./resolve/types.js";
export { uuidV5 } from "./uuid.js";

/**
 * Resolves an OSCAL profile into a catalog. Problems are reported, never thrown: an "error"
 * problem (import not found, circular import, several structuring directives, OSCAL major version
 * clash, a malformed document, a limit reached) means the spec requires the resolution to stop,
 * and the returned catalog then holds only what could be resolved.
 */
export function resolveProfile(
  profile: OscalProfile | OscalProfileDoc,
  loadImport: ImportLoader,
  options: ResolveOptions = {},
): ResolveResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const run: Run = {
    loader: loadImport,
    options,
    lastModified: options.lastModified ?? new Date().toISOString(),
    problems: [],
    indexes: new Map(),
    globs: new Map(),
    limits,
    deadline: Date.now() + limits.timeMs,
    imports: 0,
    controls: 0,
    ticks: 0,
  };
  const source = options.source ?? options.href ?? "profile";
  const inner: unknown =
    isObject(profile) && "profile" in profile && profile.profile !== undefined ? profile.profile : profile;
  const uuid = isObject(inner) && typeof inner.uuid === "string" ? inner.uuid : "unknown";
  const href = options.href ?? `urn:uuid:${uuid}`;
  const fail = (message: string): ResolveResult => {
    run.problems.push({ source, location: "", message, severity: "error" });
    const catalog = emptyCatalog(run, inner);
    return { catalog, document: { catalog }, problems: run.problems };
  };
  const shape = profileShapeProblems(inner, source);
  if (shape.length) {
    for (const p of shape) run.problems.push({ ...p, severity: "error" });
    const catalog = emptyCatalog(run, inner);
    return { catalog, document: { catalog }, problems: run.problems };
  }
  try {
    const catalog = resolveOne(run, inner as OscalProfile, options.href, source, [
      { location: options.location ?? href, href },
    ]);
    return { catalog, document: { catalog }, problems: run.problems };
  } catch (e) {
    if (e instanceof ResolutionStopped) return fail(e.message);
    // Hostile nesting deeper than the stack (inside keys the shape check does not visit).
    if (e instanceof RangeError)
      return fail(`the profile or an import is nested too deeply or too large (${e.message})`);
    throw e;
  }
}

function resolveOne(
  run: Run,
  profile: OscalProfile,
  href: string | undefined,
  source: string,
  stack: Frame[],
): ResolvedCatalog {
  const report: Report = (location, message, severity = "warning") => {
    run.problems.push({ source, location, message, severity });
  };
  if (!isPlain(profile) || !Array.isArray(profile.imports)) {
    report("", "not an OSCAL profile (no imports array)", "error");
    return emptyCatalog(run, profile);
  }
  checkKeys(profile, PROFILE_KEYS, "", report);

  const selections: Selection[] = [];
  const imported: ResolvedCatalog[] = [];
  if (profile.imports.length === 0) report("imports", "the profile imports nothing", "error");
  profile.imports.forEach((imp, i) => {
    const loc = `imports[${i}]`;
    checkKeys(imp, IMPORT_KEYS, loc, report);
    const cat = acquire(run, profile, imp, href, stack, loc, report, (nested, nestedHref, nestedStack) =>
      resolveOne(run, nested, nestedHref, nestedHref, nestedStack),
    );
    if (!cat) return;
    imported.push(cat);
    selections.push(select(run, cat, imp, loc, report, `in ${imp.href}`));
  });

  const setParamIds = new Set<string>();
  const body = merge(run, profile.merge, selections, report);
  if (profile.modify !== undefined) modify(run, profile.modify, body, setParamIds, report);
  return finish(run, profile, href, body, imported, setParamIds, report);
}
