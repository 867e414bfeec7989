import { sql } from "kysely";
import type { Db } from "../store/common.js";

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that keeps its counters in the database, so every instance
 * behind a load balancer counts the same login attempts (a limit kept in one process's memory is
 * one limit per instance). One statement per attempt: an upsert that starts a new window when the
 * old one is over, atomic on SQLite and PostgreSQL alike.
 */
export function databaseRateLimitStore(
  db: Db,
  /** Told (and awaited) when a client first goes over the limit in a window: once, whichever instance counts it. */
  onLimited?: (info: { client: string; route: string }) => Promise<unknown>,
) {
  let calls = 0;
  class DatabaseRateLimitStore {
    constructor(
      private readonly prefix = "",
      private readonly route = "",
    ) {}

    incr(key: string, cb: Callback, timeWindow: number, max?: number): void {
      const now = Date.now();
      const id = `${this.prefix}${key}`;
      const ends = now + timeWindow;
      db.insertInto("rate_limits")
        .values({ key: id, count: 1, reset_at: ends })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            count: sql`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.count + 1 end`,
            reset_at: sql`case when rate_limits.reset_at <= ${now} then ${ends} else rate_limits.reset_at end`,
          }),
        )
        .returning(["count", "reset_at"])
        .executeTakeFirstOrThrow()
        .then(
          async (r) => {
            // The one attempt that takes the count past the limit: the upsert is atomic, so
            // exactly one request of the window sees this count.
            if (onLimited && max !== undefined && Number(r.count) === max + 1)
              await onLimited({ client: key, route: this.route }).catch(() => undefined);
            cb(null, { current: Number(r.count), ttl: Math.max(0, Number(r.reset_at) - now) });
            // Windows long over are dropped now and then, by whichever instance is counting.
            if (++calls % 200 === 0)
              void db
                .deleteFrom("rate_limits")
                .where("reset_at", "<", now - 3_600_000)
                .execute()
                .catch(() => undefined);
          },
          (err: Error) => cb(err),
        );
    }

    read(key: string, cb: Callback): void {
      const now = Date.now();
      db.selectFrom("rate_limits")
        .select(["count", "reset_at"])
        .where("key", "=", `${this.prefix}${key}`)
        .executeTakeFirst()
        .then(
          (r) =>
            cb(
              null,
              !r || Number(r.reset_at) <= now
                ? { current: 0, ttl: 0 }
                : { current: Number(r.count), ttl: Number(r.reset_at) - now },
            ),
          (err: Error) => cb(err),
        );
    }

    child(routeOptions: { routeInfo?: { method?: string; url?: string } }): DatabaseRateLimitStore {
      const r = routeOptions.routeInfo;
      return new DatabaseRateLimitStore(
        `${this.prefix}${r?.method ?? ""}${r?.url ?? ""}:`,
        `${r?.method ?? ""} ${r?.url ?? ""}`,
      );
    }
  }
  return DatabaseRateLimitStore;
}
