import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newKeyEntry } from "@/lib/integrations/crypto/key-ring";
import {
  addConnection,
  countStaleSecrets,
  getCredentials,
  rotateEncryptionKeys,
  rotateFromAdmin,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, unwrap } from "../support/results";
import { createFirstOrg, createOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SYSTEM = { type: "system", label: "test" } as const;

let testDb: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;
/** Every connection with a secret: who owns it and what getCredentials must keep answering. */
const expected: { ctx: TServiceContext; uuid: string; credentials: Record<string, string> }[] = [];
let keys: string[];

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
});
afterAll(() => testDb.teardown());

/** Adds the next key version to SWITCHBOARD_ENCRYPTION_KEYS (this process's ring included). */
function addKey(): number {
  const version = keys.length + 1;
  keys.push(newKeyEntry(version));
  setEnv("SWITCHBOARD_ENCRYPTION_KEYS", keys.join(","));
  return version;
}

async function keyVersions(): Promise<(number | null)[]> {
  const prisma = await db();
  const rows = await prisma.setting.findMany({ where: { secret: { not: null } }, select: { keyVersion: true } });
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

  it("rotateEncryptionKeys re-encrypts every row to the new key while readers never fail", async () => {
    const target = addKey();
    const loop = readLoop();
    const batches: number[] = [];
    const result = await rotateEncryptionKeys({ actor: SYSTEM, batchSize: 5, onBatch: (n) => batches.push(n) });
    const stats = await loop.stop();

    expect(result).toEqual({ keyVersion: target, rotated: expected.length, batches: Math.ceil(expected.length / 5) });
    expect(stats.failures).toEqual([]);
    expect(stats.reads).toBeGreaterThan(0);
    expect(await keyVersions()).toEqual([target]);
    for (const ctx of [orgA, orgB]) expect(await countStaleSecrets(ctx)).toBe(0);
    // Values unchanged, checked once more after the fact.
    for (const { ctx, uuid, credentials } of expected) {
      expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(credentials);
    }
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
      expect(child.code).toBe(0);
      expect(child.stdout).toContain(`Done: ${expected.length} secret(s) now on key version ${target}.`);
      expect(await keyVersions()).toEqual([target]);
    } else {
      // Only one process may open the embedded database: the CLI says so and changes nothing.
      expect(child.code).toBe(1);
      expect(child.stderr).toMatch(/in use by another process/);
      expect(await keyVersions()).toEqual([target - 1]);
    }
  }, 120_000);

  it("an org admin's rotation re-encrypts that organization only, and audits it there only", async () => {
    const target = addKey();
    const auditsB = (await auditRows(orgB.orgId)).length;
    const result = await rotateFromAdmin(orgA);
    const countA = expected.filter((e) => e.ctx === orgA).length;
    expect(result).toMatchObject({ keyVersion: target, rotated: countA });
    expect(await countStaleSecrets(orgA)).toBe(0);
    expect(await countStaleSecrets(orgB)).toBe(expected.length - countA);
    expect(await auditRows(orgB.orgId)).toHaveLength(auditsB);
    expect((await auditRows(orgA.orgId)).at(-1)).toMatchObject({ action: "keys_rotated", metadata: { keyVersion: target, rows: countA } });
    // Org B's secrets still open with the older key, then its own admin catches up.
    for (const { ctx, uuid, credentials } of expected) expect(unwrap(await getCredentials(ctx, uuid)).credentials).toEqual(credentials);
    expect((await rotateFromAdmin(orgB)).rotated).toBe(expected.length - countA);
    expect(await keyVersions()).toEqual([target]);
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
