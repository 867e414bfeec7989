import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { NotFoundError } from "../core/errors.js";
import type { Db } from "./common.js";
import { now } from "./ids.js";

/** A file received into a blob store: its hash and size, and its first bytes for sniffing its type. */
export interface ReceivedBlob {
  sha256: string;
  size: number;
  head: Uint8Array;
  /** False when the store held the same content already. */
  created: boolean;
}

/**
 * Evidence files by content hash: the name a client sends never becomes a path, the same content
 * is kept once, and a blob never changes. The bytes live in the data folder (SQLite, one machine)
 * or in PostgreSQL (every server instance reads the same files).
 */
export interface BlobStore {
  /** Streams the content in, hashing it; past `maxBytes` it keeps nothing and throws (statusCode 413). */
  put(source: Readable, maxBytes: number): Promise<ReceivedBlob>;
  has(sha256: string): Promise<boolean>;
  /** Its size in bytes, or undefined when the store does not hold it. */
  size(sha256: string): Promise<number | undefined>;
  open(sha256: string): Promise<Readable>;
  /** The whole content, for what must hold it in memory (a dossier build); refused past `maxBytes`. */
  read(sha256: string, maxBytes?: number): Promise<Uint8Array>;
  remove(sha256: string): Promise<void>;
}

export const HEAD_BYTES = 4096;

const SHA = /^[0-9a-f]{64}$/;

function tooLarge(maxBytes: number): Error {
  return Object.assign(new Error(`the file is larger than the limit (${maxBytes} bytes)`), {
    statusCode: 413,
  });
}

/** Hashes and counts what streams through, keeps the first bytes, and stops past the limit. */
class Meter extends Transform {
  readonly hash = createHash("sha256");
  size = 0;
  private headParts: Buffer[] = [];
  private headSize = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (err?: Error | null, data?: Buffer) => void,
  ) {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(tooLarge(this.maxBytes));
    this.hash.update(chunk);
    if (this.headSize < HEAD_BYTES) {
      this.headParts.push(chunk.subarray(0, HEAD_BYTES - this.headSize));
      this.headSize += Math.min(chunk.length, HEAD_BYTES - this.headSize);
    }
    done(null, chunk);
  }
  head(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.headParts));
  }
}

/** Blobs as files: `<dir>/evidence/<aa>/<sha256>`, streamed in through `<dir>/evidence/tmp/`. */
export class FileBlobStore implements BlobStore {
  readonly tmpDir: string;

  constructor(readonly dataDir: string) {
    this.tmpDir = join(dataDir, "evidence", "tmp");
  }

  pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new Error("not a SHA-256");
    return join(this.dataDir, "evidence", sha256.slice(0, 2), sha256);
  }

  async put(source: Readable, maxBytes: number): Promise<ReceivedBlob> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${randomBytes(12).toString("hex")}.part`);
    const meter = new Meter(maxBytes);
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: "wx", mode: 0o600 }));
      // A multipart stream cut at its size limit ends without an error when told not to throw.
      if ((source as Readable & { truncated?: boolean }).truncated) throw tooLarge(maxBytes);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = meter.hash.digest("hex");
    const target = this.pathOf(sha256);
    await mkdir(dirname(target), { recursive: true });
    let created = true;
    if (await exists(target)) {
      await rm(tmp, { force: true });
      created = false;
    } else await rename(tmp, target);
    return { sha256, size: meter.size, head: meter.head(), created };
  }

  async has(sha256: string): Promise<boolean> {
    return SHA.test(sha256) && exists(this.pathOf(sha256));
  }

  async size(sha256: string): Promise<number | undefined> {
    if (!SHA.test(sha256)) return undefined;
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch {
      return undefined;
    }
  }

  async open(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new NotFoundError("file");
    return createReadStream(this.pathOf(sha256));
  }

  async read(sha256: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
    if (!(await this.has(sha256))) throw new NotFoundError("file");
    const { size } = await stat(this.pathOf(sha256));
    if (size > maxBytes) throw tooLarge(maxBytes);
    return new Uint8Array(await readFile(this.pathOf(sha256)));
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * Blobs in PostgreSQL: 1 MiB chunks in blob_chunks, written as they stream in under a temporary key
 * and renamed to the hash in one transaction at the end. Reads stream chunk by chunk, so neither
 * direction holds a whole file in memory.
 */
export class SqlBlobStore implements BlobStore {
  constructor(private readonly db: Db) {}

  async put(source: Readable, maxBytes: number): Promise<ReceivedBlob> {
    const key = `tmp:${randomBytes(12).toString("hex")}`;
    const meter = new Meter(maxBytes);
    let n = 0;
    let pending: Buffer[] = [];
    let pendingSize = 0;
    const flush = async () => {
      if (pendingSize === 0) return;
      const data = Buffer.concat(pending);
      pending = [];
      pendingSize = 0;
      await this.db
        .insertInto("blob_chunks")
        .values({ blob_key: key, n: n++, data, created_at: now() })
        .execute();
    };
    try {
      for await (const chunk of source.pipe(meter) as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingSize += chunk.length;
        if (pendingSize >= CHUNK_BYTES) await flush();
      }
      if ((source as Readable & { truncated?: boolean }).truncated) throw tooLarge(maxBytes);
      await flush();
    } catch (err) {
      source.unpipe(meter);
      source.resume();
      await this.db.deleteFrom("blob_chunks").where("blob_key", "=", key).execute();
      throw err;
    }
    const sha256 = meter.hash.digest("hex");
    const created = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("blobs")
        .values({ sha256, size: meter.size, created_at: now() })
        .onConflict((oc) => oc.column("sha256").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        await trx.deleteFrom("blob_chunks").where("blob_key", "=", key).execute();
        return false;
      }
      await trx.updateTable("blob_chunks").set({ blob_key: sha256 }).where("blob_key", "=", key).execute();
      return true;
    });
    return { sha256, size: meter.size, head: meter.head(), created };
  }

  async has(sha256: string): Promise<boolean> {
    if (!SHA.test(sha256)) return false;
    return (
      (await this.db.selectFrom("blobs").select("sha256").where("sha256", "=", sha256).executeTakeFirst()) !==
      undefined
    );
  }

  async size(sha256: string): Promise<number | undefined> {
    if (!SHA.test(sha256)) return undefined;
    const r = await this.db
      .selectFrom("blobs")
      .select("size")
      .where("sha256", "=", sha256)
      .executeTakeFirst();
    return r ? Number(r.size) : undefined;
  }

  async open(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new NotFoundError("file");
    const db = this.db;
    return Readable.from(
      (async function* () {
        for (let n = 0; ; n++) {
          const row = await db
            .selectFrom("blob_chunks")
            .select("data")
            .where("blob_key", "=", sha256)
            .where("n", "=", n)
            .executeTakeFirst();
          if (!row) return;
          yield Buffer.from(row.data);
        }
      })(),
    );
  }

  async read(sha256: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
    const blob = await this.db
      .selectFrom("blobs")
      .select("size")
      .where("sha256", "=", sha256)
      .executeTakeFirst();
    if (!blob) throw new NotFoundError("file");
    if (Number(blob.size) > maxBytes) throw tooLarge(maxBytes);
    const rows = await this.db
      .selectFrom("blob_chunks")
      .select("data")
      .where("blob_key", "=", sha256)
      .orderBy("n")
      .execute();
    return new Uint8Array(Buffer.concat(rows.map((r) => Buffer.from(r.data))));
  }

  async remove(sha256: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("blob_chunks").where("blob_key", "=", sha256).execute();
      await trx.deleteFrom("blobs").where("sha256", "=", sha256).execute();
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The blob store of a database: in PostgreSQL itself, or beside a SQLite file in its data folder. */
export function openBlobStore(store: { db: Db; dialect: "sqlite" | "postgres" }, dataDir: string): BlobStore {
  return store.dialect === "postgres" ? new SqlBlobStore(store.db) : new FileBlobStore(dataDir);
}
