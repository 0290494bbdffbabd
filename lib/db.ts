import "server-only";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Pool } from "pg";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { applyMigrations, type SqlRunner } from "@/lib/db/migrate";
import { acquireDataDirLock } from "@/lib/db/data-dir-lock";
import { installSignalHandlers, onShutdown } from "@/lib/lifecycle.mjs";

// The only Prisma client. Opened lazily on first use (so `next build` never
// touches a database) and kept on globalThis, because Next.js may evaluate
// this module once per bundle layer inside one process.

export type Db = PrismaClient;
export type DbTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Handle = { prisma: PrismaClient; close: () => Promise<void>; kind: "pglite" | "postgres"; pglite?: PGlite };
type QueryListener = (sql: string) => void;

const state = globalThis as typeof globalThis & {
  __switchboardDb?: Promise<Handle>;
  __switchboardQueryListeners?: Set<QueryListener>;
};
const listeners = (state.__switchboardQueryListeners ??= new Set());

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
// Interactive transactions wait on advisory locks under contention (e.g. many
// parallel addConnection calls); Prisma's 2 s default maxWait is too tight.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

type QueryEvents = { $on(event: "query", cb: (e: { query: string }) => void): void };

function newClient(adapter: PrismaPg | PrismaPGlite): PrismaClient {
  const prisma = new PrismaClient({
    adapter,
    transactionOptions: TX_OPTIONS,
    log: [{ level: "query", emit: "event" }],
  });
  // The client's type only exposes $on("query") when `log` is a literal generic; the event exists at runtime.
  (prisma as unknown as QueryEvents).$on("query", (e) => listeners.forEach((l) => l(e.query)));
  return prisma;
}

async function openPostgres(url: string): Promise<Handle> {
  const [{ Pool }, { PrismaPg }] = await Promise.all([import("pg"), import("@prisma/adapter-pg")]);
  const pool: Pool = new Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover, admin kill) is an
  // 'error' event on the pool; unhandled, it would crash the process. The pool
  // replaces the connection on the next query.
  pool.on("error", (err: Error & { code?: string }) => logger.warn("database connection lost", { errorCode: err.code ?? "unknown" }));
  const client = await pool.connect();
  try {
    const runner: SqlRunner = {
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    };
    await applyMigrations(runner, MIGRATIONS_DIR);
  } finally {
    client.release();
  }
  const prisma = newClient(new PrismaPg(pool));
  return { prisma, kind: "postgres", close: async () => (await prisma.$disconnect(), await pool.end()) };
}

async function openPglite(dataDir: string): Promise<Handle> {
  const release = acquireDataDirLock(dataDir);
  try {
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("pglite-prisma-adapter"),
    ]);
    const pglite: PGlite = new PGlite(path.join(dataDir, "pglite"));
    await pglite.waitReady;
    const runner: SqlRunner = {
      exec: async (sql) => void (await pglite.exec(sql)),
      query: async (sql, params) => (await pglite.query(sql, params)).rows as never[],
    };
    await applyMigrations(runner, MIGRATIONS_DIR);
    const prisma = newClient(new PrismaPGlite(pglite));
    const close = async () => {
      await prisma.$disconnect();
      await pglite.close();
      release();
    };
    return { prisma, kind: "pglite", close, pglite };
  } catch (err) {
    release();
    throw err;
  }
}

function open(): Promise<Handle> {
  const { DATABASE_URL, SWITCHBOARD_DATA_DIR } = env();
  const handle = DATABASE_URL ? openPostgres(DATABASE_URL) : openPglite(path.resolve(SWITCHBOARD_DATA_DIR));
  // Registered before the open finishes: a signal that arrives while PGlite
  // opens waits for it and then closes it, so the lock file never stays behind.
  // Shutdown runs once however many signals arrive (lib/lifecycle.mjs).
  onShutdown("database", async () => {
    const opened = await handle.catch(() => undefined);
    if (opened && state.__switchboardDb === handle) await closeDb();
  });
  installSignalHandlers();
  return handle;
}

/** The Prisma client; migrations are applied before it is handed out. */
export async function db(): Promise<PrismaClient> {
  state.__switchboardDb ??= open();
  try {
    return (await state.__switchboardDb).prisma;
  } catch (err) {
    state.__switchboardDb = undefined; // let a later call retry with a fixed config
    throw err;
  }
}

export async function dbKind(): Promise<Handle["kind"]> {
  await db();
  return (await state.__switchboardDb!).kind;
}

/**
 * The embedded database itself, for `listen` (change events): LISTEN/NOTIFY
 * on PGlite is in-process. Null on PostgreSQL, where lib/events opens its own
 * dedicated connection.
 */
export async function embeddedDatabase(): Promise<PGlite | null> {
  await db();
  return (await state.__switchboardDb!).pglite ?? null;
}

/** Closes the database (PGlite must be closed cleanly) and forgets it. */
export async function closeDb(): Promise<void> {
  const handle = state.__switchboardDb;
  state.__switchboardDb = undefined;
  if (handle) await (await handle).close();
}

/** Observes every SQL statement Prisma sends (tests count queries with it). */
export function onQuery(listener: QueryListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
