import { ConflictError, NotFoundError } from "../core/errors.js";
import { type AuditTrail, appendAudit } from "./audit.js";
import { type Actor, auditActor, type Db, staleOrMissing, type Trx, versionedUpdate } from "./common.js";
import type { ProductDto } from "./dto.js";
import { newId, now } from "./ids.js";
import type { ProductTable } from "./schema.js";

export interface ProductInput {
  manufacturer: string;
  model: string;
  category: string;
}

export function productDto(r: ProductTable): ProductDto {
  return {
    id: r.id,
    manufacturer: r.manufacturer,
    model: r.model,
    category: r.category,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

/**
 * The organisation's products. An assessment records the product as it was named when it was made
 * (its document is a record of what was assessed); lists join the product as it is named now.
 */
export class ProductStore {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  private tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.audit.transaction(fn);
  }

  /** Inside a caller's transaction. */
  async insert(trx: Trx, orgId: string, p: ProductInput, actor: Actor): Promise<ProductTable> {
    const at = now();
    const row: ProductTable = {
      id: newId("prd"),
      org_id: orgId,
      manufacturer: p.manufacturer,
      model: p.model,
      category: p.category,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await trx.insertInto("products").values(row).execute();
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action: "product.create",
      target: `product:${row.id}`,
      detail: { manufacturer: p.manufacturer, model: p.model, category: p.category },
    });
    return row;
  }

  /** Inside a caller's transaction: the product of that name, made if there is none (a pushed assessment's). */
  async findOrInsert(trx: Trx, orgId: string, p: ProductInput, actor: Actor): Promise<ProductTable> {
    const found = await trx
      .selectFrom("products")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("manufacturer", "=", p.manufacturer)
      .where("model", "=", p.model)
      .where("category", "=", p.category)
      .orderBy("created_at")
      .executeTakeFirst();
    return found ?? this.insert(trx, orgId, p, actor);
  }

  async create(orgId: string, p: ProductInput, actor: Actor): Promise<ProductDto> {
    return this.tx(async (trx) => productDto(await this.insert(trx, orgId, p, actor)));
  }

  async list(orgId: string): Promise<ProductDto[]> {
    const rows = await this.db
      .selectFrom("products")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("manufacturer")
      .orderBy("model")
      .orderBy("id")
      .execute();
    return rows.map(productDto);
  }

  async get(orgId: string, id: string): Promise<ProductDto> {
    const r = await this.db
      .selectFrom("products")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("product");
    return productDto(r);
  }

  async update(
    orgId: string,
    id: string,
    patch: Partial<ProductInput>,
    version: number,
    actor: Actor,
  ): Promise<ProductDto> {
    return this.tx(async (trx) => {
      const r = await versionedUpdate(
        "product",
        () =>
          trx
            .updateTable("products")
            .set((eb) => ({ ...patch, updated_at: now(), version: eb("version", "+", 1) }))
            .where("id", "=", id)
            .where("org_id", "=", orgId)
            .where("version", "=", version)
            .returningAll()
            .executeTakeFirst(),
        () =>
          trx
            .selectFrom("products")
            .selectAll()
            .where("id", "=", id)
            .where("org_id", "=", orgId)
            .executeTakeFirst(),
        productDto,
      );
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "product.update",
        target: `product:${id}`,
        detail: { ...patch, version: Number(r.version) },
      });
      return productDto(r);
    });
  }

  async delete(orgId: string, id: string, version: number, actor: Actor): Promise<void> {
    await this.tx(async (trx) => {
      const current = await trx
        .selectFrom("products")
        .selectAll()
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (!current || Number(current.version) !== version)
        staleOrMissing("product", current && productDto(current));
      const used = await trx
        .selectFrom("assessments")
        .select("id")
        .where("product_id", "=", id)
        .executeTakeFirst();
      if (used)
        throw new ConflictError(
          "in-use",
          "the product has assessments; it cannot be deleted",
          productDto(current),
        );
      await trx.deleteFrom("products").where("id", "=", id).where("version", "=", version).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "product.delete",
        target: `product:${id}`,
        detail: { manufacturer: current.manufacturer, model: current.model, version },
      });
    });
  }
}
