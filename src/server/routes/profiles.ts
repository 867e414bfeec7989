import type { FastifyInstance } from "fastify";
import { CairnError } from "../../core/problem.js";
import { exportProfileToOscal } from "../../oscal/profile-export.js";
import { acquisitionClauses, clausesToHtml, clausesToMarkdown } from "../../profile/clauses.js";
import { checkContext } from "../../profile/context.js";
import { diffProfiles } from "../../profile/diff.js";
import { buildProfile } from "../../profile/engine.js";
import { explainItems } from "../../profile/explain.js";
import type { Profile } from "../../profile/model.js";
import { applyPresetTailoring } from "../../profile/presets.js";
import { tailor } from "../../profile/tailor.js";
import { ID_PATTERN, newId, now } from "../../store/ids.js";
import { actorOf, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import {
  errors,
  idParams,
  itemId,
  list,
  obj,
  out,
  profileSummaryResponse,
  text,
  version,
} from "../schemas.js";

const term = out({ id: { type: "string" }, label: { type: "string" } });

/** `profile` or `preset:<id>`: what a stored profile can be compared with. */
const against = {
  type: "string",
  minLength: 1,
  maxLength: 120,
  pattern: `^(preset:[a-z0-9-]+|${ID_PATTERN.slice(1, -1)})$`,
} as const;

function download(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
}

/** Who made a profile, by name: a user of the organisation, or the command line (an import). */
async function authorOf(
  ctx: ServerContext,
  orgId: string,
  createdBy: string,
): Promise<{ id: string; name: string }> {
  if (createdBy === "cli") return { id: createdBy, name: "Cairn command line (import)" };
  try {
    const u = await ctx.repo.identity.getUser(orgId, createdBy);
    return { id: u.id, name: u.name };
  } catch {
    return { id: createdBy, name: "a former user" };
  }
}

export function profileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, ref } = ctx;

  app.get(
    "/api/profiles/presets",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary: "Example device contexts to start a profile from",
        response: { 200: out({ presets: list(out()) }), ...errors(401) },
      },
    },
    async () => ({ presets: ref.presets }),
  );

  app.get(
    "/api/profiles/vocabulary",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary:
          "The profiling rules' vocabulary: the only values a device context may take (environment, connectivity, data, markets, features, lifetime)",
        response: {
          200: out({
            vocabulary: out({
              environment: list(term),
              connectivity: list(term),
              data: list(term),
              markets: list(term),
              features: list(term),
              lifetimeYears: out({ min: { type: "integer" }, max: { type: "integer" } }),
            }),
            rules: out({ id: { type: "string" }, version: { type: "string" } }),
          }),
          ...errors(401),
        },
      },
    },
    async () => ({
      vocabulary: ref.rules.vocabulary,
      rules: { id: ref.rules.id, version: ref.rules.version },
    }),
  );

  app.post<{ Body: { title?: string; context?: Record<string, unknown>; preset?: string } }>(
    "/api/profiles",
    {
      config: { auth: { permission: "profile.write" } },
      schema: {
        tags: ["profiles"],
        summary:
          "Make an SP 800-213 profile from a device context (or a preset's) with the core engine and store it",
        body: {
          ...obj({
            title: text(200),
            context: { type: "object", maxProperties: 20 },
            preset: { type: "string", minLength: 1, maxLength: 100 },
          }),
          oneOf: [{ required: ["context"] }, { required: ["preset"] }],
        },
        response: { 201: out({ profile: profileSummaryResponse }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      let value: unknown = request.body.context;
      let source = "body.context";
      let title = request.body.title;
      let presetTailoring: import("../../profile/presets.js").PresetTailoring | undefined;
      if (request.body.preset !== undefined) {
        const preset = ref.presets.find((x) => x.id === request.body.preset);
        if (!preset)
          throw new HttpError(400, "invalid-request", "unknown preset", [
            {
              location: "body.preset",
              message: `unknown preset; presets: ${ref.presets.map((x) => x.id).join(", ")}`,
            },
          ]);
        value = preset.context;
        presetTailoring = preset.tailoring;
        source = "preset";
        title ??= preset.title;
      }
      const { context, problems } = checkContext(value, ref.rules, source);
      if (!context)
        throw new HttpError(
          400,
          "invalid-request",
          "the context does not fit the profiling rules",
          problems.map((x) => ({
            location: x.location ? `${source}.${x.location}` : source,
            message: x.message,
          })),
        );
      const id = newId("pro");
      const built = buildProfile(context, ref.rules, ref.registry, ref.crosswalks, {
        id,
        ...(title !== undefined ? { title } : {}),
        created: new Date().toISOString().slice(0, 10),
      });
      // A preset's documented tailoring is applied and logged in the profile, as in the CLI.
      const profile = presetTailoring ? applyPresetTailoring(built, presetTailoring, ref.registry) : built;
      const summary = await repo.profiles.create(p.orgId, profile, actorOf(p));
      return reply.status(201).send({ profile: summary });
    },
  );

  app.get(
    "/api/profiles",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary: "The organisation's profiles",
        response: { 200: out({ profiles: list(profileSummaryResponse) }), ...errors(401) },
      },
    },
    async (request) => ({ profiles: await repo.profiles.list(principal(request).orgId) }),
  );

  app.get<{ Params: { id: string } }>(
    "/api/profiles/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary: "One profile (cairn-profile/1) with its record",
        params: idParams,
        response: {
          200: out({
            record: profileSummaryResponse,
            profile: out(),
            author: out({ id: { type: "string" }, name: { type: "string" } }),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const orgId = principal(request).orgId;
      const { summary, profile } = await repo.profiles.get(orgId, request.params.id);
      return { record: summary, profile, author: await authorOf(ctx, orgId, summary.createdBy) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { item?: string } }>(
    "/api/profiles/:id/explain",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary:
          "Why the profile holds its items (or `item`): each rule with its title, rationale and source, the SP 800-53 controls and mapping rows that carried it (`cairn profile explain`)",
        params: idParams,
        querystring: obj({ item: itemId }),
        response: { 200: out({ items: list(out()) }), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { profile } = await repo.profiles.get(principal(request).orgId, request.params.id);
      const asked = request.query.item;
      if (asked === undefined) return { items: explainItems(profile, ref.rules) };
      const id = ref.registry.item(asked)?.id ?? asked;
      if (!profile.items.some((i) => i.id === id))
        throw new HttpError(400, "invalid-request", "the request is invalid", [
          { location: "query.item", message: `${asked} is not in this profile` },
        ]);
      return { items: explainItems(profile, ref.rules, [id]) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: "json" | "md" | "html" } }>(
    "/api/profiles/:id/clauses",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary:
          "The profile as acquisition requirements in contract language (`cairn profile clauses`): JSON, or a Markdown or HTML file to download",
        params: idParams,
        querystring: obj({ format: { type: "string", enum: ["json", "md", "html"], default: "json" } }),
        response: { 200: out({ clauses: out() }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { profile } = await repo.profiles.get(principal(request).orgId, request.params.id);
      const clauses = acquisitionClauses(profile, ref.registry);
      const base = `acquisition-requirements-${profile.id}`;
      if (request.query.format === "md")
        return reply
          .type("text/markdown; charset=utf-8")
          .header("content-disposition", download(`${base}.md`))
          .send(clausesToMarkdown(clauses, profile, ref.registry));
      if (request.query.format === "html")
        return reply
          .type("text/html; charset=utf-8")
          .header("content-disposition", download(`${base}.html`))
          .send(clausesToHtml(clauses, profile, ref.registry));
      return { clauses };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { against: string } }>(
    "/api/profiles/:id/diff",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary:
          "What changes from `against` (another profile of the organisation, or `preset:<id>`) to this profile: context, baseline, requirements, items added, removed and changed (`cairn profile diff`)",
        params: idParams,
        querystring: obj({ against }, ["against"]),
        response: {
          200: out({ from: out(), to: out(), diff: out() }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const orgId = principal(request).orgId;
      const { profile } = await repo.profiles.get(orgId, request.params.id);
      let base: Profile;
      const a = request.query.against;
      if (a.startsWith("preset:")) {
        const preset = ref.presets.find((x) => x.id === a.slice("preset:".length));
        const checked = preset ? checkContext(preset.context, ref.rules, "preset") : undefined;
        if (!preset || !checked?.context)
          throw new HttpError(400, "invalid-request", "the request is invalid", [
            {
              location: "query.against",
              message: `unknown preset; presets: ${ref.presets.map((x) => x.id).join(", ")}`,
            },
          ]);
        base = buildProfile(checked.context, ref.rules, ref.registry, ref.crosswalks, {
          id: preset.id,
          title: preset.title,
          created: profile.created,
        });
      } else base = (await repo.profiles.get(orgId, a)).profile;
      const brief = (p: Profile) => ({
        id: p.id,
        title: p.title,
        items: p.items.length,
        baseline: p.baseline,
      });
      return { from: brief(base), to: brief(profile), diff: diffProfiles(base, profile) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/profiles/:id/oscal",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["profiles"],
        summary:
          "The profile as an OSCAL 1.2.1 profile, to download (`cairn profile export-oscal`); it imports each catalog's OSCAL export (`cairn catalog export-oscal`)",
        params: idParams,
        response: { 200: out({ profile: out() }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { profile } = await repo.profiles.get(principal(request).orgId, request.params.id);
      return reply
        .type("application/oscal.profile+json; charset=utf-8")
        .header("content-disposition", download(`${profile.id}.oscal.json`))
        .send(JSON.stringify(exportProfileToOscal(profile, ref.registry), null, 2));
    },
  );

  app.post<{
    Params: { id: string };
    Body: { action: "add" | "remove"; item: string; rationale: string; version: number };
  }>(
    "/api/profiles/:id/tailoring",
    {
      config: { auth: { permission: "profile.write" } },
      schema: {
        tags: ["profiles"],
        summary:
          "Tailor a profile: add or remove one item, with a rationale; the author and time come from the session and the clock. `version` must be the profile's current one (409 `stale-version` with the current profile). A profile that assessments are made against cannot be tailored (409 `in-use`)",
        params: idParams,
        body: obj(
          {
            action: { type: "string", enum: ["add", "remove"] },
            item: itemId,
            rationale: { type: "string", minLength: 1, maxLength: 5000, pattern: "\\S" },
            version,
          },
          ["action", "item", "rationale", "version"],
        ),
        response: {
          200: out({ record: profileSummaryResponse, profile: out() }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      const { action, item, rationale, version: v } = request.body;
      if (!ref.registry.item(item))
        throw new HttpError(400, "invalid-request", "the request is invalid", [
          { location: "body.item", message: `no item ${item} in the loaded catalogs` },
        ]);
      const entry = {
        action,
        item,
        rationale: rationale.trim(),
        author: `${p.name} <${p.email}>`,
        at: now(),
      };
      const { summary, profile } = await repo.profiles.tailor(
        p.orgId,
        request.params.id,
        v,
        (current) => {
          try {
            const next = tailor(current, ref.registry, entry);
            const logged = next.tailoring[next.tailoring.length - 1];
            return { profile: next, detail: { ...entry, item: logged?.item ?? item } };
          } catch (err) {
            if (err instanceof CairnError)
              throw new HttpError(400, "invalid-request", "the profile cannot be tailored so", [
                { location: "body.item", message: err.message },
              ]);
            throw err;
          }
        },
        actorOf(p),
      );
      return { record: summary, profile };
    },
  );
}
