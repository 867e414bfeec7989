import type { FastifyInstance, FastifyReply } from "fastify";
import type { Catalog } from "../../catalog/model.js";
import { coverage } from "../../crosswalk/coverage.js";
import { itemMappings } from "../../crosswalk/item-mappings.js";
import { buildMatrix, catalogPath, type Matrix } from "../../crosswalk/matrix.js";
import { matricesToXlsx, matrixToCsv } from "../../crosswalk/matrix-render.js";
import { loadBundledFamily } from "../../family/files.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, itemId, list, obj, out } from "../schemas.js";

const catalogRef = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  pattern: "^[a-z0-9][a-z0-9.-]*(@[^/\\s,]+)?$",
} as const;

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Matrices asked for lately, by their parameters: building one walks every crosswalk of the set. */
const MATRIX_CACHE = 32;

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
}

/** Reference views over the shared data: the document family and the crosswalk matrix. */
export function referenceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { ref } = ctx;
  const matrices = new Map<string, { matrix: Matrix; titles: Record<string, string> }>();

  app.get(
    "/api/family",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary:
          "The document family (cairn-document-family/1): the texts Cairn knows and how they relate (implements, profiles, maps to...)",
        response: { 200: out({ format: { type: "string" }, documents: { type: "array" } }), ...errors(401) },
      },
    },
    async (_request, reply: FastifyReply) =>
      reply.type("application/json; charset=utf-8").send(ref.cached("family", () => loadBundledFamily())),
  );

  app.get<{
    Querystring: { anchor: string; columns?: string; depth?: number; format?: "json" | "csv" | "xlsx" };
  }>(
    "/api/matrix",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary:
          "The consolidated provisions matrix: a row per item of the anchor catalog (down to `depth`), a column per other catalog (`columns`, comma-separated; default every catalog the crosswalks reach), each cell the mapped items with their relationship. `format=csv` or `xlsx` downloads it",
        querystring: obj(
          {
            anchor: catalogRef,
            columns: { type: "string", maxLength: 2000, pattern: "^[a-z0-9.@,-]*$" },
            depth: { type: "integer", minimum: 1, maximum: 20 },
            format: { type: "string", enum: ["json", "csv", "xlsx"], default: "json" },
          },
          ["anchor"],
        ),
        response: {
          200: out({ matrix: out(), titles: out() }),
          ...errors(400, 401),
        },
      },
    },
    async (request, reply) => {
      const { registry, crosswalks } = ref;
      const q = request.query;
      const anchor = registry.get(q.anchor);
      const problems: { location: string; message: string }[] = [];
      if (!anchor) problems.push({ location: "query.anchor", message: `unknown catalog ${q.anchor}` });
      const asked = (q.columns ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      const columns: Catalog[] = [];
      if (asked.length > 0) {
        asked.forEach((c, i) => {
          const found = registry.get(c);
          if (!found) problems.push({ location: `query.columns[${i}]`, message: `unknown catalog ${c}` });
          else if (found.meta.id !== anchor?.meta.id && !columns.includes(found)) columns.push(found);
        });
      } else if (anchor) {
        for (const id of crosswalks.catalogs()) {
          const c = id !== anchor.meta.id ? registry.get(id) : undefined;
          if (c) columns.push(c);
        }
      }
      if (!anchor || problems.length > 0)
        throw new HttpError(400, "invalid-request", "the request is invalid", problems);

      const key = JSON.stringify([anchor.key, columns.map((c) => c.key), q.depth ?? null]);
      let hit = matrices.get(key);
      if (!hit) {
        const titles: Record<string, string> = {};
        for (const c of registry.latest()) titles[c.meta.id] = c.meta.shortTitle ?? c.meta.id;
        hit = {
          matrix: buildMatrix(crosswalks, anchor, columns, q.depth !== undefined ? { depth: q.depth } : {}),
          titles,
        };
        matrices.set(key, hit);
        if (matrices.size > MATRIX_CACHE) {
          const oldest = matrices.keys().next().value;
          if (oldest !== undefined) matrices.delete(oldest);
        }
      } else {
        matrices.delete(key);
        matrices.set(key, hit);
      }
      const base = `matrix-${anchor.meta.id}${q.depth !== undefined ? `-depth${q.depth}` : ""}`;
      if (q.format === "csv")
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", attachment(`${base}.csv`))
          .send(matrixToCsv(hit.matrix, hit.titles));
      if (q.format === "xlsx")
        return reply
          .type(XLSX)
          .header("content-disposition", attachment(`${base}.xlsx`))
          .send(await matricesToXlsx([hit.matrix], hit.titles));
      return { matrix: hit.matrix, titles: hit.titles };
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    "/api/crosswalks/gaps",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary:
          "Coverage gaps (`cairn crosswalk gaps`): supposing every item of `from` met, how far each text of `to` (comma-separated) is covered through the crosswalks, per item full, partial or none, with the counts",
        querystring: obj(
          {
            from: catalogRef,
            to: { type: "string", minLength: 1, maxLength: 2000, pattern: "^[a-z0-9.@,-]+$" },
          },
          ["from", "to"],
        ),
        response: { 200: out({ from: { type: "string" }, reports: list(out()) }), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { registry, crosswalks } = ref;
      const from = registry.get(request.query.from);
      const problems: { location: string; message: string }[] = [];
      if (!from) problems.push({ location: "query.from", message: `unknown catalog ${request.query.from}` });
      const targets: Catalog[] = [];
      request.query.to
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x.length > 0)
        .forEach((id, i) => {
          const c = registry.get(id);
          if (!c) problems.push({ location: `query.to[${i}]`, message: `unknown catalog ${id}` });
          else if (from && c.meta.id === from.meta.id)
            problems.push({ location: `query.to[${i}]`, message: `${id} is the catalog the gaps are from` });
          else if (from && !catalogPath(crosswalks, from.meta.id, c.meta.id))
            problems.push({
              location: `query.to[${i}]`,
              message: `no crosswalk path from ${from.meta.id} to ${id}`,
            });
          else if (!targets.includes(c)) targets.push(c);
        });
      if (!from || problems.length > 0)
        throw new HttpError(400, "invalid-request", "the request is invalid", problems);
      const key = `gaps:${from.key}>${targets.map((t) => t.key).join(",")}`;
      return reply.type("application/json; charset=utf-8").send(
        ref.cached(key, () => ({
          from: from.key,
          reports: targets.map((t) => ({
            ...coverage(crosswalks, from, t),
            title: t.meta.shortTitle ?? t.meta.id,
          })),
        })),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/items/:id/mappings",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["catalogs"],
        summary:
          "Every crosswalk row naming the item, to and from every text, read from the item's side: the other items, relationship, rationale, strength, review status, note and the crosswalk's provenance",
        params: obj({ id: itemId }, ["id"]),
        response: { 200: out({ item: { type: "string" }, mappings: list(out()) }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const item = ref.registry.item(request.params.id);
      if (!item) throw new HttpError(404, "not-found", "item not found");
      return reply.type("application/json; charset=utf-8").send(
        ref.cached(`mappings:${item.id}`, () => ({
          item: item.id,
          mappings: itemMappings(ref.crosswalks, ref.registry, item.id),
        })),
      );
    },
  );
}
