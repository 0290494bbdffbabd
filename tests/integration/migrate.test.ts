import { randomUUID } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, type SqlRunner } from "@/lib/db/migrate";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
const TABLES = [
  "organizations",
  "users",
  "memberships",
  "settings",
  "audit_logs",
  "api_keys",
  "oauth_states",
];

/** A fresh, empty database reached through one session, and how to dispose of it. */
type TestDb = {
  runner: SqlRunner;
  close(): Promise<void>;
  /** Another session on the same database (servers only), closed by close(). */
  anotherSession?: () => Promise<SqlRunner>;
};
type Backend = { name: string; open(): Promise<TestDb> };

const pgliteBackend: Backend = {
  name: "PGlite (in-memory)",
  async open() {
    const db = new PGlite();
    await db.waitReady;
    return {
      runner: {
        exec: async (sql) => void (await db.exec(sql)),
        query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      },
      close: () => db.close(),
    };
  },
};

/** Each open() creates `switchboard_test_<random>` on the server at `url` and drops it on close. */
function postgresBackend(url: string): Backend {
  return {
    name: "PostgreSQL (DATABASE_URL)",
    async open() {
      const dbName = `switchboard_test_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${dbName}"`);
      const target = new URL(url);
      target.pathname = `/${dbName}`;
      const clients: pg.Client[] = [];
      const session = async (): Promise<SqlRunner> => {
        const client = new pg.Client({ connectionString: target.toString() });
        await client.connect();
        clients.push(client);
        return {
          // Without params, pg uses the simple protocol: multi-statement works.
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)).rows as T[],
        };
      };
      return {
        runner: await session(),
        anotherSession: session,
        async close() {
          for (const client of clients) await client.end();
          await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  };
}

const backends = [pgliteBackend];
if (process.env.DATABASE_URL) backends.push(postgresBackend(process.env.DATABASE_URL));


/** Copies prisma/migrations into a temp dir that tests may change freely. */
async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "switchboard-migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe.each(backends)("applyMigrations on $name", (backend) => {
  let db: TestDb;
  let firstRun: { applied: string[] };
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await backend.open();
    cleanups.push(() => db.close());
    firstRun = await applyMigrations(db.runner, MIGRATIONS_DIR);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function fresh(): Promise<TestDb> {
    const other = await backend.open();
    cleanups.push(() => other.close());
    return other;
  }

  it("creates every table and records each migration like Prisma", async () => {
    expect(firstRun.applied.length).toBeGreaterThan(0);
    expect(firstRun.applied.some((n) => /^\d{14}_init$/.test(n))).toBe(true);

    const tables = await db.runner.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = tables.map((t) => t.table_name);
    for (const table of [...TABLES, "_prisma_migrations"]) expect(names).toContain(table);

    const rows = await db.runner.query<{ migration_name: string; checksum: string; steps: number }>(
      `SELECT migration_name, checksum, applied_steps_count AS steps FROM _prisma_migrations
        WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(firstRun.applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(r.steps)).toBe(1);
    }
  });

  it("applies nothing on a second run", async () => {
    expect(await applyMigrations(db.runner, MIGRATIONS_DIR)).toEqual({ applied: [] });
  });

  it("makes audit_logs append-only (UPDATE and DELETE fail)", async () => {
    const orgId = randomUUID();
    const logId = randomUUID();
    await db.runner.query(`INSERT INTO organizations (id, name) VALUES ($1, 'Acme')`, [orgId]);
    await db.runner.query(
      `INSERT INTO audit_logs (id, org_id, actor_type, action) VALUES ($1, $2, 'system', 'test')`,
      [logId, orgId],
    );
    await expect(
      db.runner.query(`UPDATE audit_logs SET action = 'changed' WHERE id = $1`, [logId]),
    ).rejects.toThrow(/append-only/);
    await expect(db.runner.query(`DELETE FROM audit_logs WHERE id = $1`, [logId])).rejects.toThrow(
      /append-only/,
    );
    const rows = await db.runner.query<{ action: string }>(
      `SELECT action FROM audit_logs WHERE id = $1`,
      [logId],
    );
    expect(rows).toEqual([{ action: "test" }]);
  });

  it("refuses a migration that was modified after it was applied", async () => {
    const dir = await copyMigrations();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const other = await fresh();
    const { applied } = await applyMigrations(other.runner, dir);
    const init = applied.find((n) => n.endsWith("_init"));
    expect(init).toBeDefined();

    await appendFile(path.join(dir, init!, "migration.sql"), "\n-- tampered\n");
    await expect(applyMigrations(other.runner, dir)).rejects.toThrow(
      `migration ${init} was modified after it was applied`,
    );
  });

  it("rolls back a failing migration and names it in the error", async () => {
    const dir = await copyMigrations();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const broken = "29990101000000_broken";
    await mkdir(path.join(dir, broken));
    await writeFile(
      path.join(dir, broken, "migration.sql"),
      `CREATE TABLE "half_done" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n`,
    );

    await expect(applyMigrations(db.runner, dir)).rejects.toThrow(
      new RegExp(`Migration ${broken} failed: .*no_such_table`),
    );
    const leftovers = await db.runner.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`,
    );
    expect(leftovers).toEqual([]);
    const recorded = await db.runner.query(
      `SELECT 1 FROM _prisma_migrations WHERE migration_name = $1`,
      [broken],
    );
    expect(recorded).toEqual([]);
    // The session is usable again, and the lock was released.
    expect(await applyMigrations(db.runner, MIGRATIONS_DIR)).toEqual({ applied: [] });
  });
});

// Two app instances starting together against one server: only servers have
// a second session, so this runs when DATABASE_URL names one.
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  describe("applyMigrations from two PostgreSQL sessions at once", () => {
    it("lets only one of them migrate (advisory lock)", async () => {
      const migrations = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory());
      const db = await postgresBackend(serverUrl).open();
      try {
        const second = await db.anotherSession!();
        const results = await Promise.all([applyMigrations(db.runner, MIGRATIONS_DIR), applyMigrations(second, MIGRATIONS_DIR)]);
        const counts = results.map((r) => r.applied.length).sort((x, y) => x - y);
        expect(counts).toEqual([0, migrations.length]);
      } finally {
        await db.close();
      }
    });
  });
}
