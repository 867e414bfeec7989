import type { FastifyInstance } from "fastify";
import type { ProductInput } from "../../store/repository.js";
import { actorOf, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { errors, idParams, list, obj, out, productInput, productResponse, version } from "../schemas.js";

export function productRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo } = ctx;

  app.get(
    "/api/products",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["products"],
        summary: "The organisation's products",
        response: { 200: out({ products: list(productResponse) }), ...errors(401) },
      },
    },
    async (request) => ({ products: await repo.products.list(principal(request).orgId) }),
  );

  app.post<{ Body: ProductInput }>(
    "/api/products",
    {
      config: { auth: { permission: "product.write" } },
      schema: {
        tags: ["products"],
        summary: "Add a product",
        body: obj(productInput, ["manufacturer", "model", "category"]),
        response: { 201: productResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      return reply.status(201).send(await repo.products.create(p.orgId, request.body, actorOf(p)));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/products/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["products"],
        summary: "One product",
        params: idParams,
        response: { 200: productResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => repo.products.get(principal(request).orgId, request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<ProductInput> & { version: number } }>(
    "/api/products/:id",
    {
      config: { auth: { permission: "product.write" } },
      schema: {
        tags: ["products"],
        summary: "Change a product; `version` must be the current one (409 with the current state if not)",
        params: idParams,
        body: { ...obj({ ...productInput, version }, ["version"]), minProperties: 2 },
        response: { 200: productResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const { version: v, ...patch } = request.body;
      return repo.products.update(p.orgId, request.params.id, patch, v, actorOf(p));
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { version: number } }>(
    "/api/products/:id",
    {
      config: { auth: { permission: "product.write" } },
      schema: {
        tags: ["products"],
        summary: "Delete a product that has no assessments; `?version=` must be the current one",
        params: idParams,
        querystring: obj({ version }, ["version"]),
        response: { 200: out({ deleted: { type: "string" } }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      await repo.products.delete(p.orgId, request.params.id, request.query.version, actorOf(p));
      return { deleted: request.params.id };
    },
  );
}
