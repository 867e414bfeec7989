import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/database.js";

const url = process.env.CAIRN_TEST_PG_URL;

// Several instances and test runs share one PostgreSQL database, each in its own schema. Kysely's
// migrator lists every schema's tables; a schema dropped by another process during that listing
// once failed our start with "schema ... does not exist" although ours was fine.
describe.runIf(url)("migrating while other schemas of the database come and go", () => {
  it("opens every store though schemas are created and dropped meanwhile", async () => {
    const churn = new pg.Client({ connectionString: url });
    await churn.connect();
    let stop = false;
    const loop = (async () => {
      for (let i = 0; !stop; i++) {
        const name = `churn_${process.pid}_${i}`;
        await churn.query(`CREATE SCHEMA "${name}"`);
        await churn.query(`CREATE TABLE "${name}".t (x int)`);
        await churn.query(`DROP SCHEMA "${name}" CASCADE`);
      }
    })();
    const schemas: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const schema = `m_${process.pid}_${i}_${randomBytes(3).toString("hex")}`;
        schemas.push(schema);
        const store = await openStore(url as string, { schema, poolSize: 2 });
        await store.close();
      }
    } finally {
      stop = true;
      await loop;
      for (const s of schemas) await churn.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await churn.end();
    }
    expect(schemas).toHaveLength(12);
  }, 120_000);
});
