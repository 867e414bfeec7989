import type { FastifyInstance, FastifyReply } from "fastify";
import type { CatalogItem } from "../../catalog/model.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { catalogSummary } from "../reference.js";
import { errors, itemId, list, obj, out } from "../schemas.js";

const catalogRef = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  pattern: "^[a-z0-9][a-z0-9.-]*(@[^/\\s]+)?$",
} as const;
const ref = { type: "string", minLength: 1, maxLength: 150, pattern: "^[^\\s/]+$" } as const;

function json(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(body);
}

const itemView = out({
  item: out(),
  catalog: out({ id: { type: "string" }, version: { type: "string" }, key: { type: "string" } }),
  ancestors: list(out()),
  children: list(out()),
});

/** The shared catalogs: read-only, the same for every organisation. */
export function catalogRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { ref: reference } = ctx;

  app.get(
    "/api/catalogs",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary: "Every loaded catalog version, newest first within a catalog",
        response: { 200: out({ catalogs: list(out()) }), ...errors(401) },
      },
    },
    async (_request, reply) =>
      json(
        reply,
        reference.cached("catalogs", () => ({ catalogs: reference.registry.list().map(catalogSummary) })),
      ),
  );

  app.get<{ Params: { catalog: string } }>(
    "/api/catalogs/:catalog",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary: "A catalog with its items (`id` for the newest version, or `id@version`)",
        params: obj({ catalog: catalogRef }, ["catalog"]),
        response: { 200: out({ catalog: out(), items: list(out()) }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const c = reference.registry.get(request.params.catalog);
      if (!c) throw new HttpError(404, "not-found", "catalog not found");
      return json(
        reply,
        reference.cached(`catalog:${c.key}`, () => ({
          catalog: { ...catalogSummary(c), meta: c.meta },
          items: c.items,
        })),
      );
    },
  );

  const sendItem = (reply: FastifyReply, item: CatalogItem | undefined) => {
    if (!item) throw new HttpError(404, "not-found", "item not found");
    const catalog = reference.registry.catalogOf(item);
    return json(
      reply,
      reference.cached(`item:${catalog.key}:${item.ref}`, () => reference.itemView(item)),
    );
  };

  app.get<{ Params: { catalog: string; ref: string } }>(
    "/api/catalogs/:catalog/items/:ref",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary: "One item of a catalog by its ref, with its ancestors and children",
        params: obj({ catalog: catalogRef, ref }, ["catalog", "ref"]),
        response: { 200: itemView, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) =>
      sendItem(reply, reference.registry.get(request.params.catalog)?.byRef.get(request.params.ref)),
  );

  app.get<{ Params: { id: string } }>(
    "/api/items/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary: "One item by its stable id `<catalog>:<ref>` (or `<catalog>@<version>:<ref>`)",
        params: obj({ id: itemId }, ["id"]),
        response: { 200: itemView, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      // Keyed by the id as asked (a bare id names the newest version while the server runs).
      const key = `id:${request.params.id}`;
      const hit = reference.has(key);
      if (hit) return json(reply, hit);
      const item = reference.registry.item(request.params.id);
      if (!item) throw new HttpError(404, "not-found", "item not found");
      return json(
        reply,
        reference.cached(key, () => reference.itemView(item)),
      );
    },
  );

  app.get<{ Querystring: { q: string; catalog?: string; limit?: number } }>(
    "/api/search",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary:
          "Full-text search over every catalog's items (BM25 over labels, titles, texts), with the field glossary's synonyms and abbreviations (SBOM, VDP, OTA...): items matching every idea of the query first, then partial matches (each says what it misses); on no match, `suggestions` with near words",
        querystring: obj(
          {
            q: { type: "string", minLength: 1, maxLength: 200 },
            catalog: { type: "string", maxLength: 100 },
            limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          },
          ["q"],
        ),
        response: {
          200: out({
            query: { type: "string" },
            hits: list(
              out({
                id: { type: "string" },
                catalog: { type: "string" },
                label: { type: "string" },
                title: { type: "string" },
                kind: { type: "string" },
                score: { type: "number" },
                matched: list({ type: "string" }),
                missing: list({ type: "string" }),
              }),
            ),
            concepts: list(
              out({
                text: { type: "string" },
                group: { type: "string" },
                alsoSearched: list({ type: "string" }),
              }),
            ),
            complete: { type: "integer" },
            total: { type: "integer" },
            suggestions: list({ type: "string" }),
          }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const { q, catalog, limit } = request.query;
      const r = reference.index.query(q, { ...(catalog ? { catalog } : {}), limit: limit ?? 20 });
      return {
        query: q,
        hits: r.hits.map((h) => ({
          id: h.item.id,
          catalog: h.item.catalogId,
          label: h.item.label,
          title: h.item.title,
          kind: h.item.kind,
          score: Math.round(h.score * 1000) / 1000,
          matched: h.matched,
          missing: h.missing,
        })),
        concepts: r.concepts,
        complete: r.complete,
        total: r.total,
        suggestions: r.suggestions,
      };
    },
  );
}
