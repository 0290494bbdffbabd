import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

// Runtime migrator: applies the committed prisma/migrations/*/migration.sql
// files (created offline by scripts/db-migration.ts) and records them in
// Prisma's own `_prisma_migrations` table, with Prisma's columns and checksum
// (SHA-256 hex of the file), so `prisma migrate deploy`/`status` on a machine
// with the native engine sees the same history.

export type SqlRunner = {
  /** Runs a multi-statement script with the simple query protocol. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterized statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
};

/**
 * Session-level advisory lock key held while migrating, so that two app
 * instances starting against one database never migrate concurrently.
 * (Arbitrary fixed bigint; it only has to be the same in every instance.)
 */
const MIGRATION_LOCK_KEY = "7254330711804927201";

// Exactly the table Prisma's schema engine creates for PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

type Migration = { name: string; sql: string; checksum: string };
type AppliedRow = { migration_name: string; checksum: string };

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Every `<dir>/migration.sql` under migrationsDir, sorted by directory name (timestamp first). */
async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      const sql = await readFile(file, "utf8").catch((err: unknown) => {
        throw new Error(`Cannot read migration ${name}: ${errorMessage(err)}`);
      });
      return { name, sql, checksum: sha256Hex(sql) };
    }),
  );
}

/**
 * Applies every migration in `migrationsDir` not yet recorded as finished, in
 * order, each in its own transaction together with its `_prisma_migrations`
 * row. `runner` must be ONE database session (one connection): the advisory
 * lock and the transactions are per session.
 */
export async function applyMigrations(
  runner: SqlRunner,
  migrationsDir: string,
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(migrationsDir);
  const applied: string[] = [];

  // Lock first, then create the table: concurrent CREATE TABLE IF NOT EXISTS
  // can still collide, so that must happen under the lock as well.
  await runner.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await runner.exec(CREATE_MIGRATIONS_TABLE);

    // Finished and not rolled back = applied (rolled-back rows are audit trail only).
    const rows = await runner.query<AppliedRow>(
      `SELECT "migration_name", "checksum" FROM "_prisma_migrations"
        WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    const recorded = new Map(rows.map((r) => [r.migration_name, r.checksum]));

    // Refuse to run anything if history was rewritten.
    for (const m of migrations) {
      const checksum = recorded.get(m.name);
      if (checksum !== undefined && checksum !== m.checksum) {
        throw new Error(
          `migration ${m.name} was modified after it was applied ` +
            `(recorded checksum ${checksum}, file checksum ${m.checksum}); ` +
            `restore the original file and put changes in a new migration`,
        );
      }
    }

    for (const m of migrations) {
      if (recorded.has(m.name)) continue;
      try {
        // "\n;" terminates a last statement lacking a semicolon or ending in a
        // `--` comment. The row is written in the same transaction, so a
        // migration is either fully applied and recorded, or neither.
        await runner.exec(`BEGIN;\n${m.sql}\n;`);
        await runner.query(
          `INSERT INTO "_prisma_migrations"
             ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await runner.exec("COMMIT");
      } catch (err) {
        await runner.exec("ROLLBACK").catch(() => undefined);
        throw new Error(`Migration ${m.name} failed: ${errorMessage(err)}`, { cause: err });
      }
      applied.push(m.name);
    }
  } finally {
    await runner.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
  }
  return { applied };
}
