import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOperator } from "@/lib/accounts/service/sign-in";
import { db } from "@/lib/db";
import { applyMigrations } from "@/lib/db/migrate";
import { keyRing, newKeyEntry } from "@/lib/integrations/crypto/key-ring";
import {
  addConnection,
  countStaleSecrets,
  generateEncryptionKey,
  getCredentials,
  keyStatus,
  rotateEncryptionKeys,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, unwrap } from "../support/results";
import { createFirstOrg, createOrg, pgliteTemplate, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SYSTEM = { type: "system", label: "test" } as const;

let testDb: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;
/** Every connection with a secret: who owns it and what getCredentials must keep answering. */
const expected: { ctx: TServiceContext; uuid: string; credentials: Record<string, string> }[] = [];
let keys: string[];
/** Rows whose secrets no key can open (SQL tampering): rotation must skip and report them, and go on. */
const tampered: { ctx: TServiceContext; uuid: string; reason: RegExp }[] = [];

beforeAll(async () => {
  testDb = await setupTestDatabase();
  keys = [process.env.SWITCHBOARD_ENCRYPTION_KEYS!];
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
  for (const [ctx, count] of [[orgA, 14], [orgB, 9]] as const) {
    for (let i = 0; i < count; i++) {
      const uuid = unwrap(await addConnection(ctx, { provider: "openai", name: `k${i}` })).uuid;
      const credentials = { api_key: `sk-rotate-${ctx.orgId.slice(-4)}-${i}` };
      unwrap(await saveSetup(ctx, { uuid, attrs: credentials }));
      expected.push({ ctx, uuid, credentials });
    }
    // A connection without any secret: rotation must leave it alone.
    unwrap(await addConnection(ctx, { provider: "mistral", name: "empty" }));
  }
  const prisma = await db();
  const tamper = async (ctx: TServiceContext, name: string, sql: (uuid: string) => Promise<unknown>, reason: RegExp) => {
    const uuid = unwrap(await addConnection(ctx, { provider: "openai", name })).uuid;
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: `sk-tampered-${name}` } }));
    await sql(uuid);
    tampered.push({ ctx, uuid, reason });
  };
  await tamper(orgA, "flipped", (u) => prisma.$executeRaw`UPDATE settings SET secret = set_byte(secret, 20, get_byte(secret, 20) # 1) WHERE uuid = ${u}::uuid`, /authentication failed/);
  await tamper(orgB, "no-version", (u) => prisma.$executeRaw`UPDATE settings SET key_version = NULL WHERE uuid = ${u}::uuid`, /no key version/);
  await tamper(orgA, "foreign-key", (u) => prisma.$executeRaw`UPDATE settings SET key_version = 99 WHERE uuid = ${u}::uuid`, /key version 99 is not in the key ring/);
});

/** The tampered rows exactly as they are now: rotation must leave them byte for byte. */
async function tamperedRows() {
  const prisma = await db();
  return prisma.setting.findMany({ where: { uuid: { in: tampered.map((t) => t.uuid) } }, orderBy: { uuid: "asc" } });
}

function expectSkippedAllTampered(skipped: { uuid: string; orgId: string; reason: string }[]) {
  expect(skipped.map((s) => s.uuid).sort()).toEqual(tampered.map((t) => t.uuid).sort());
  for (const t of tampered) {
    const s = skipped.find((x) => x.uuid === t.uuid);
    expect(s?.orgId).toBe(t.ctx.orgId);
    expect(s?.reason).toMatch(t.reason);
  }
}
afterAll(() => testDb.teardown());

/** Adds the next key version to SWITCHBOARD_ENCRYPTION_KEYS (this process's ring included). */
function addKey(): number {
  const version = keys.length + 1;
  keys.push(newKeyEntry(version));
  setEnv("SWITCHBOARD_ENCRYPTION_KEYS", keys.join(","));
  return version;
}

/** Key versions of the readable rows with a secret. */
async function keyVersions(): Promise<(number | null)[]> {
  const prisma = await db();
  const rows = await prisma.setting.findMany({
    where: { secret: { not: null }, uuid: { notIn: tampered.map((t) => t.uuid) } },
    select: { keyVersion: true },
  });
  return [...new Set(rows.map((r) => r.keyVersion))];
}

/** Reads every connection's credentials in a loop until stop(); counts reads and failures. */
function readLoop() {
  let running = true;
  const stats = { reads: 0, failures: [] as string[] };
  const done = (async () => {
    while (running) {
      for (const { ctx, uuid, credentials } of expected) {
        try {
          const result = await getCredentials(ctx, uuid);
          if (!result.ok) stats.failures.push(`${uuid}: ${result.error.code}`);
          else if (JSON.stringify(result.value.credentials) !== JSON.stringify(credentials)) stats.failures.push(`${uuid}: changed`);
        } catch (err) {
          stats.failures.push(`${uuid}: ${(err as Error).message}`);
        }
        stats.reads++;
        // Let timers and child-process events run: PGlite answers without real I/O.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await done;
      return stats;
    },
  };
}

describe("encryption key rotation", () => {
  it("starts with every secret on key version 1", async () => {
    expect(await keyVersions()).toEqual([1]);
  });

  it("rotateEncryptionKeys re-encrypts every readable row of every organization while readers never fail, and skips and audits the unreadable ones", async () => {
    const target = addKey();
    const before = await tamperedRows();
    const loop = readLoop();
    const batches: number[] = [];
    const result = await rotateEncryptionKeys({ actor: SYSTEM, batchSize: 5, onBatch: (n) => batches.push(n) });
    const stats = await loop.stop();

    expect(result).toMatchObject({ keyVersion: target, rotated: expected.length });
    expectSkippedAllTampered(result.skipped);
    expect(stats.failures).toEqual([]);
    expect(stats.reads).toBeGreaterThan(0);
    expect(await keyVersions()).toEqual([target]);
    expect(await tamperedRows()).toEqual(before);
    // Only the tampered rows are left on older keys, counted per organization and platform-wide.
    expect(await countStaleSecrets(orgA)).toBe(2);
    expect(await countStaleSecrets(orgB)).toBe(1);
    expect(await countStaleSecrets("platform")).toBe(3);
    // Values unchanged, checked once more after the fact.
    for (const { ctx, uuid, credentials } of expected) {
      expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(credentials);
    }
    // Each skipped row is audited in its own organization, with its reason.
    for (const t of tampered) {
      const audit = (await auditRows(t.ctx.orgId)).filter((r) => r.action === "key_rotation_skipped" && r.targetId === t.uuid);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.metadata).toMatchObject({ keyVersion: target });
      expect(String((audit[0]!.metadata as { reason: string }).reason)).toMatch(t.reason);
    }
  });

  it("is idempotent: a second run changes nothing and reports the same unreadable rows", async () => {
    const prisma = await db();
    const snapshot = async () => prisma.setting.findMany({ orderBy: { uuid: "asc" }, select: { uuid: true, secret: true, keyVersion: true } });
    const before = await snapshot();
    const again = await rotateEncryptionKeys({ actor: SYSTEM, batchSize: 5 });
    expect(again.rotated).toBe(0);
    expectSkippedAllTampered(again.skipped);
    expect(await snapshot()).toEqual(before);
  });

  it("is resumable: a run stopped after its first batch keeps that batch, and the next run finishes the rest", async () => {
    const target = addKey();
    await expect(
      rotateEncryptionKeys({
        actor: SYSTEM,
        batchSize: 5,
        onBatch: () => {
          throw new Error("interrupted");
        },
      }),
    ).rejects.toThrow("interrupted");
    const prisma = await db();
    const onTarget = await prisma.setting.count({ where: { keyVersion: target } });
    expect(onTarget).toBeGreaterThan(0);
    expect(onTarget).toBeLessThan(expected.length);
    const rest = await rotateEncryptionKeys({ actor: SYSTEM, batchSize: 5 });
    expect(rest.rotated).toBe(expected.length - onTarget);
    expect(await keyVersions()).toEqual([target]);
    for (const { ctx, uuid, credentials } of expected) expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(credentials);
  });

  it("does not finish while a row it had to skip is still locked by a concurrent writer", async () => {
    const target = addKey();
    const prisma = await db();
    const locked = expected[7]!.uuid;
    let release!: () => void;
    let holding!: () => void;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    // A writer (think: a rename) holds the row lock for a moment, then commits without touching the secret.
    const writer = prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM settings WHERE uuid = ${locked}::uuid FOR UPDATE`;
      holding();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isHolding;
    setTimeout(() => release(), 400);
    const result = await rotateEncryptionKeys({ actor: SYSTEM, batchSize: 5 });
    await writer;

    expect(result.rotated).toBe(expected.length);
    expect(await keyVersions()).toEqual([target]);
  });

  it("keys:rotate CLI: rotates while this process keeps reading (PostgreSQL only; on PGlite it must refuse the open database)", async () => {
    const target = addKey();
    const loop = readLoop();
    const child = await runCli(["--batch=5"]);
    const stats = await loop.stop();

    expect(stats.failures).toEqual([]);
    expect(stats.reads).toBeGreaterThan(0);
    if (testDb.kind === "postgres") {
      expect(child.stderr).toBe("");
      // 2: done, but some rows could not be read; they are listed.
      expect(child.code).toBe(2);
      expect(child.stdout).toContain(`Done: ${expected.length} secret(s) now on key version ${target}.`);
      expect(child.stdout).toContain(`${tampered.length} connection(s) could not be read and stay on older keys:`);
      for (const t of tampered) expect(child.stdout).toContain(`${t.uuid} (organization ${t.ctx.orgId}):`);
      expect(await keyVersions()).toEqual([target]);
    } else {
      // Only one process may open the embedded database: the CLI says so and changes nothing.
      expect(child.code).toBe(1);
      expect(child.stderr).toMatch(/in use by another process/);
      expect(await keyVersions()).toEqual([target - 1]);
    }
  }, 120_000);

  it("run for one organization, the row query keeps that organization's filter (rows, audit and skips)", async () => {
    const target = addKey();
    const auditsB = (await auditRows(orgB.orgId)).length;
    const result = await rotateEncryptionKeys({ actor: SYSTEM, orgId: orgA.orgId });
    const countA = expected.filter((e) => e.ctx === orgA).length;
    expect(result).toMatchObject({ keyVersion: target, rotated: countA });
    expect(result.skipped.map((s) => s.orgId)).toEqual([orgA.orgId, orgA.orgId]);
    expect(await countStaleSecrets(orgA)).toBe(2);
    expect(await countStaleSecrets(orgB)).toBe(expected.length - countA + 1);
    expect(await auditRows(orgB.orgId)).toHaveLength(auditsB);
    expect((await auditRows(orgA.orgId)).filter((r) => r.action === "keys_rotated").at(-1)).toMatchObject({
      metadata: { keyVersion: target, rows: countA },
    });
    // Org B's secrets still open with the older key until the platform-wide run.
    for (const { ctx, uuid, credentials } of expected) expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(credentials);
    expect((await rotateEncryptionKeys({ actor: SYSTEM })).rotated).toBe(expected.length - countA);
    expect(await keyVersions()).toEqual([target]);
  });

  it("the security page's counts: platform-wide for the owner's view, per organization otherwise", async () => {
    expect(await keyStatus("platform")).toMatchObject({ scope: "platform", staleSecrets: 3, currentVersion: keys.length });
    expect(await keyStatus(orgB)).toMatchObject({ scope: "organization", staleSecrets: 1 });
  });

  it("the account made at setup is the platform owner; another organization's admin is not", async () => {
    expect((await loadOperator(orgA.actor.type === "user" ? orgA.actor.id : ""))?.platformOwner).toBe(true);
    expect((await loadOperator(orgB.actor.type === "user" ? orgB.actor.id : ""))?.platformOwner).toBe(false);
  });

  it("generating a key is a step of its own: refused with keys from the environment, and it re-encrypts nothing", async () => {
    const prisma = await db();
    const snapshot = async () => prisma.setting.findMany({ orderBy: { uuid: "asc" }, select: { uuid: true, secret: true, keyVersion: true } });
    const before = await snapshot();
    expect(codeOf(await generateEncryptionKey(orgA))).toBe("keys_from_environment");
    expect(keyRing().current.version).toBe(keys.length);

    // The embedded default's generated key file: one new key per click, nothing else.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-keys-"));
    const previousDataDir = process.env.SWITCHBOARD_DATA_DIR; // the open database keeps its own directory
    try {
      setEnv("SWITCHBOARD_ENCRYPTION_KEYS", undefined);
      setEnv("SWITCHBOARD_DATA_DIR", dataDir);
      expect(keyRing()).toMatchObject({ source: "generated", current: { version: 1 } });
      expect(unwrap(await generateEncryptionKey(orgA))).toEqual({ keyVersion: 2 });
      expect(keyRing().current.version).toBe(2);
      expect(await snapshot()).toEqual(before);
      expect((await auditRows(orgA.orgId)).at(-1)).toMatchObject({ action: "encryption_key_generated", metadata: { keyVersion: 2 } });
      // A re-encryption that can read nothing (every row was sealed with other keys) skips them all and adds no key.
      const failed = await rotateEncryptionKeys({ actor: SYSTEM });
      expect(failed.rotated).toBe(0);
      expect(failed.skipped.length).toBe(expected.length + tampered.length);
      expect((await readFile(path.join(dataDir, "encryption-keys"), "utf8")).trim().split("\n")).toHaveLength(2);
      expect(await snapshot()).toEqual(before);
    } finally {
      setEnv("SWITCHBOARD_DATA_DIR", previousDataDir);
      setEnv("SWITCHBOARD_ENCRYPTION_KEYS", keys.join(","));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the platform_owner migration", () => {
  it("makes the first account of an existing installation its owner", async () => {
    const all = path.resolve(import.meta.dirname, "../../prisma/migrations");
    const before = await mkdtemp(path.join(os.tmpdir(), "switchboard-mig-"));
    // A copy of the initialized empty cluster the other tests start from (initdb takes long).
    await cp(await pgliteTemplate(), path.join(before, "cluster"), { recursive: true });
    const pglite = new PGlite(path.join(before, "cluster"));
    try {
      await cp(all, path.join(before, "migrations"), { recursive: true, filter: (src) => !src.includes("_platform_owner") });
      const runner = {
        exec: async (sql: string) => void (await pglite.exec(sql)),
        query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
      };
      await applyMigrations(runner, path.join(before, "migrations"));
      await pglite.exec(`INSERT INTO users (id, email, password_hash, created_at) VALUES
        ('00000000-0000-7000-8000-000000000002', 'later@example.com', 'x', now()),
        ('00000000-0000-7000-8000-000000000001', 'first@example.com', 'x', now() - interval '1 day')`);
      await applyMigrations(runner, all);
      const rows = await runner.query<{ email: string; platform_owner: boolean }>("SELECT email, platform_owner FROM users ORDER BY email");
      expect(rows).toEqual([
        { email: "first@example.com", platform_owner: true },
        { email: "later@example.com", platform_owner: false },
      ]);
    } finally {
      await pglite.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_ENCRYPTION_KEYS: keys.join(",") };
  if (testDb.url) env.DATABASE_URL = testDb.url;
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/keys-rotate.ts", ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, "") }));
  });
}
