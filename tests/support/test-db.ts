import { randomBytes, randomUUID } from "node:crypto";
import { cp, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createFirstAdmin } from "@/lib/accounts/service/setup";
import { issueSetupToken } from "@/lib/accounts/service/setup-token";
import type { TActor } from "@/lib/audit/types";
import { closeDb, db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { newKeyEntry, resetKeyRing } from "@/lib/integrations/crypto/key-ring";
import { resetPepperRing } from "@/lib/api-keys/pepper";
import { clearProviderCache } from "@/lib/integrations/providers/registry";
import type { TServiceContext } from "@/lib/integrations/service";

// One fresh database per test file (each file runs in its own worker):
// - DATABASE_URL set (CI, or locally postgresql://postgres@127.0.0.1:5432/postgres):
//   a new `switchboard_test_<random>` database on that server, dropped afterwards;
// - otherwise: PGlite in a fresh temp directory, removed afterwards.
// Also a fresh encryption key, so no test depends on a generated key file.

export type TestDatabase = {
  kind: "postgres" | "pglite";
  /** The URL of the test database (postgres only); child processes use it. */
  url?: string;
  teardown(): Promise<void>;
};

/** Sets one environment variable (undefined = unset) and forgets every cached view of the environment. */
export function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  resetEnvCache();
  resetKeyRing();
  resetPepperRing();
  clearProviderCache();
}

export async function setupTestDatabase(): Promise<TestDatabase> {
  setEnv("SWITCHBOARD_ENCRYPTION_KEYS", newKeyEntry(1));
  setEnv("SWITCHBOARD_API_KEY_PEPPER", newKeyEntry(1));
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const dbName = `switchboard_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `CREATE DATABASE "${dbName}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    setEnv("DATABASE_URL", url.toString());
    await db(); // migrate now, so the first test does not pay for it
    return {
      kind: "postgres",
      url: url.toString(),
      async teardown() {
        await closeDb();
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        setEnv("DATABASE_URL", serverUrl);
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "switchboard-test-"));
  // lib/db.ts opens `<data dir>/pglite`; start from a copy of an initialized cluster.
  await cp(await pgliteTemplate(), path.join(dir, "pglite"), { recursive: true });
  setEnv("SWITCHBOARD_DATA_DIR", dir);
  await db();
  return {
    kind: "pglite",
    async teardown() {
      await closeDb();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An empty, initialized PGlite cluster, made once per PGlite version and
 * reused by every test file: initdb takes seconds, copying the directory a
 * fraction of one. Migrations are not part of it (db() applies them), so a
 * new migration never meets a stale template.
 */
export async function pgliteTemplate(): Promise<string> {
  const pkg = path.resolve(import.meta.dirname, "../../node_modules/@electric-sql/pglite/package.json");
  const { version } = JSON.parse(await readFile(pkg, "utf8")) as { version: string };
  const template = path.join(os.tmpdir(), `switchboard-pglite-template-${version}`);
  if (await exists(path.join(template, "PG_VERSION"))) return template;
  // Built aside and renamed into place, so concurrent workers never see half a cluster.
  const building = await mkdtemp(path.join(os.tmpdir(), "switchboard-pglite-building-"));
  const pglite = new PGlite(building);
  await pglite.waitReady;
  await pglite.close();
  await rename(building, template).catch(async () => {
    await rm(building, { recursive: true, force: true }); // another worker won the race
  });
  return template;
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The first organization and its admin, created the way the setup page does (with the setup token the server prints). */
export async function createFirstOrg(): Promise<TServiceContext> {
  const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
  const token = await issueSetupToken();
  if (!token) throw new Error("createFirstOrg: setup already done");
  const result = await createFirstAdmin({ token, orgName: "Org A", email, password: "correct horse battery staple" });
  if (!result.ok) throw new Error("createFirstAdmin refused: setup already done");
  return { orgId: result.orgId, actor: { type: "user", id: result.userId, label: email } };
}

/** Any further organization with an admin, inserted directly (there is no sign-up flow). */
export async function createOrg(name: string): Promise<TServiceContext> {
  const prisma = await db();
  const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
  const org = await prisma.organization.create({ data: { name } });
  const user = await prisma.user.create({ data: { email, passwordHash: "not-a-real-hash" } });
  await prisma.membership.create({ data: { orgId: org.id, userId: user.id, role: "admin" } });
  const actor: TActor = { type: "user", id: user.id, label: email };
  return { orgId: org.id, actor };
}

export type ConsoleCapture = { text(): string; restore(): void };

/** Records everything written through console.* (still printed) until restore(). */
export function captureConsole(): ConsoleCapture {
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => [m, console[m]] as const);
  const lines: string[] = [];
  for (const [m, original] of originals) {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" "));
      original.apply(console, args);
    };
  }
  return {
    text: () => lines.join("\n"),
    restore: () => originals.forEach(([m, original]) => (console[m] = original)),
  };
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ""}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
