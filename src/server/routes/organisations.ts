import type { FastifyInstance } from "fastify";
import type { Role } from "../../store/repository.js";
import { actorOf, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { hashPassword } from "../passwords.js";
import {
  errors,
  idParams,
  list,
  obj,
  organisationResponse,
  out,
  roleSchema,
  text,
  userResponse,
  version,
} from "../schemas.js";
import { email, emailField, newPassword } from "./auth.js";

export function organisationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo } = ctx;

  app.get(
    "/api/organisations",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["organisations"],
        summary: "Organisations: all of them for the instance operator (site admin), else the caller's own",
        response: { 200: out({ organisations: list(organisationResponse) }), ...errors(401) },
      },
    },
    async (request) => {
      const p = principal(request);
      if (p.siteAdmin) return { organisations: await repo.identity.listOrganisations() };
      return { organisations: [await repo.identity.getOrganisation(p.orgId)] };
    },
  );

  app.post<{ Body: { name: string; admin: { email: string; name: string; password: string } } }>(
    "/api/organisations",
    {
      config: { auth: { permission: "site.admin" } },
      schema: {
        tags: ["organisations"],
        summary: "Create an organisation with its first admin (site admin only)",
        body: obj(
          {
            name: text(200),
            admin: obj({ email, name: text(200), password: newPassword }, ["email", "name", "password"]),
          },
          ["name", "admin"],
        ),
        response: {
          201: out({ organisation: organisationResponse, admin: userResponse }),
          ...errors(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const { name, admin } = request.body;
      emailField(admin.email, "body.admin.email");
      const result = await repo.identity.createOrganisation(
        name,
        {
          email: admin.email,
          name: admin.name,
          role: "admin",
          passwordHash: await hashPassword(admin.password, ctx.limits.passwordCost),
        },
        actorOf(p),
      );
      return reply.status(201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/organisations/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["organisations"],
        summary: "One organisation: the caller's own (any organisation for a site admin)",
        params: idParams,
        response: { 200: organisationResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const p = principal(request);
      if (request.params.id !== p.orgId && !p.siteAdmin) return repo.identity.getOrganisation("");
      return repo.identity.getOrganisation(request.params.id);
    },
  );

  app.patch<{ Params: { id: string }; Body: { name: string; version: number } }>(
    "/api/organisations/:id",
    {
      config: { auth: { permission: "organisation.manage" } },
      schema: {
        tags: ["organisations"],
        summary: "Rename the caller's organisation (admin)",
        params: idParams,
        body: obj({ name: text(200), version }, ["name", "version"]),
        response: { 200: organisationResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const target = request.params.id === p.orgId ? p.orgId : "";
      return repo.identity.renameOrganisation(target, request.body.name, request.body.version, actorOf(p));
    },
  );

  app.get(
    "/api/users",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary: "The organisation's users (admin)",
        response: { 200: out({ users: list(userResponse) }), ...errors(401, 403) },
      },
    },
    async (request) => ({ users: await repo.identity.listUsers(principal(request).orgId) }),
  );

  app.post<{ Body: { email: string; name: string; role: Role; password: string } }>(
    "/api/users",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary: "Add a user to the organisation (admin)",
        body: obj({ email, name: text(200), role: roleSchema, password: newPassword }, [
          "email",
          "name",
          "role",
          "password",
        ]),
        response: { 201: userResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const { email: address, name, role, password } = request.body;
      emailField(address, "body.email");
      const user = await repo.identity.createUser(
        p.orgId,
        { email: address, name, role, passwordHash: await hashPassword(password, ctx.limits.passwordCost) },
        actorOf(p),
      );
      return reply.status(201).send(user);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/users/:id",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary: "One user of the organisation (admin)",
        params: idParams,
        response: { 200: userResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => repo.identity.getUser(principal(request).orgId, request.params.id),
  );

  app.patch<{
    Params: { id: string };
    Body: { version: number; role?: Role; name?: string; disabled?: boolean };
  }>(
    "/api/users/:id",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary:
          "Change a user's role or name, or disable or enable them (admin): a changed role ends their sessions; disabling ends their sessions and revokes their API tokens at once (enabling does not bring the tokens back). Not yourself; an organisation keeps one enabled admin",
        params: idParams,
        body: {
          ...obj({ version, role: roleSchema, name: text(200), disabled: { type: "boolean" } }, ["version"]),
          minProperties: 2,
        },
        response: { 200: userResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const { version: v, ...patch } = request.body;
      return repo.identity.updateUser(p.orgId, request.params.id, patch, v, actorOf(p));
    },
  );
}
