import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { ANCHOR_EVERY } from "@/lib/audit/service/anchors";
import { verifyAuditChain } from "@/lib/audit/service/verify-chain";
import { VERIFY_PER_MINUTE, verifyAuditChainOnRequest } from "@/lib/audit/service/verify-on-request";
import { closeDb, db } from "@/lib/db";
import { addConnection, type TServiceContext } from "@/lib/integrations/service";
import { auditRows, unwrap } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The audit log's tamper evidence: append-only triggers (UPDATE, DELETE and
// TRUNCATE refused) and the per-org hash chain the insert trigger writes.

const ROOT = path.resolve(import.meta.dirname, "../..");
let testDb: TestDatabase;
let orgA: TServiceContext;
let orgB: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  orgA = await createFirstOrg();
  orgB = await createOrg("Org B");
});
afterAll(() => testDb.teardown());

async function writeRows(ctx: TServiceContext, n: number, tag: string): Promise<void> {
  const prisma = await db();
  for (let i = 0; i < n; i++) {
    await prisma.$transaction((tx) => recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "validated", metadata: { tag, i } }));
  }
}

/** What the database owner can do: switch the append-only trigger off around a statement. */
async function asOwner(sql: string, ...params: unknown[]): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only`);
    await tx.$executeRawUnsafe(sql, ...params);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only`);
  });
}

function runVerifyCli(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (testDb.url) env.DATABASE_URL = testDb.url;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/audit-verify.ts"], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("audit chain", () => {
  it("numbers each org's rows and links every row to the previous one", async () => {
    unwrap(await addConnection(orgA, { provider: "openai", name: "chained" }));
    await writeRows(orgA, 3, "first");
    await writeRows(orgB, 2, "other org");
    const rows = await auditRows(orgA.orgId);
    const bySeq = [...rows].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((r) => r.seq)).toEqual(bySeq.map((_, i) => i + 1));
    expect(bySeq[0]!.prevHash).toBeNull();
    for (let i = 1; i < bySeq.length; i++) expect(bySeq[i]!.prevHash).toBe(bySeq[i - 1]!.hash);
    for (const r of bySeq) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditRows(orgB.orgId)).map((r) => r.seq).sort()).toEqual([1, 2]);
    expect(await verifyAuditChain(orgA.orgId)).toMatchObject({ intact: true, rows: bySeq.length, firstBreak: null });
    expect(await verifyAuditChain(orgB.orgId)).toMatchObject({ intact: true, rows: 2 });
  });

  it("concurrent writers in one org queue on the chain head: no fork, no gap", async () => {
    const before = (await auditRows(orgA.orgId)).length;
    const prisma = await db();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.$transaction((tx) => recordAudit(tx, { orgId: orgA.orgId, actor: orgA.actor, action: "validated", metadata: { parallel: i } })),
      ),
    );
    const seqs = (await auditRows(orgA.orgId)).map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: before + 20 }, (_, i) => i + 1));
    expect((await verifyAuditChain(orgA.orgId)).intact).toBe(true);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on audit_logs", async () => {
    const prisma = await db();
    const count = (await auditRows(orgA.orgId)).length;
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_logs SET action = 'connected' WHERE org_id = $1::uuid`, orgA.orgId)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_logs WHERE org_id = $1::uuid`, orgA.orgId)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_logs`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_logs CASCADE`)).rejects.toThrow(/append-only/);
    // The chain heads move only inside the chain trigger.
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_chain_heads SET seq = 1`)).rejects.toThrow(/chain trigger/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_chain_heads`)).rejects.toThrow(/chain trigger/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_chain_heads`)).rejects.toThrow(/chain trigger/);
    expect(await auditRows(orgA.orgId)).toHaveLength(count);
  });

  it("reports a row altered by the database owner (trigger disabled) at that row, and the CLI says so", async () => {
    const rows = [...(await auditRows(orgA.orgId))].sort((a, b) => a.seq - b.seq);
    const victim = rows[4]!;
    await asOwner(`UPDATE audit_logs SET metadata = '{"tag":"forged"}' WHERE id = $1::uuid`, victim.id);

    const report = await verifyAuditChain(orgA.orgId);
    expect(report).toMatchObject({ intact: false, firstBreak: { reason: "content_altered", rowId: victim.id, seq: victim.seq } });
    expect((await verifyAuditChain(orgB.orgId)).intact).toBe(true);

    // The CLI opens the database itself (the embedded one allows a single process).
    await closeDb();
    const cli = await runVerifyCli();
    await db();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`BROKEN  Org A (${orgA.orgId}): first broken link at row ${victim.id} (#${victim.seq}`);
    expect(cli.stdout).toMatch(new RegExp(`ok      Org B \\(${orgB.orgId}\\): 2 row\\(s\\), chain intact`));

    // Forging the hash as well: the chain alone breaks at the next row's link, but an earlier
    // verification signed this row (the newest then), and its anchor no longer matches.
    expect(await (await db()).auditAnchor.findUnique({ where: { orgId_seq: { orgId: orgA.orgId, seq: victim.seq } } })).not.toBeNull();
    await asOwner(`UPDATE audit_logs SET hash = audit_log_hash(prev_hash, audit_logs) WHERE id = $1::uuid`, victim.id);
    expect((await verifyAuditChain(orgA.orgId)).firstBreak).toMatchObject({ reason: "anchor_mismatch", rowId: victim.id, seq: victim.seq });
  }, 60_000);

  it("reports deleted rows: a gap in the middle and a missing tail", async () => {
    const prisma = await db();
    await writeRows(orgB, 4, "to delete");
    const rows = [...(await auditRows(orgB.orgId))].sort((a, b) => a.seq - b.seq);
    await asOwner(`DELETE FROM audit_logs WHERE id = $1::uuid`, rows[2]!.id);
    expect((await verifyAuditChain(orgB.orgId)).firstBreak).toMatchObject({ reason: "rows_missing", rowId: rows[3]!.id, seq: 4 });

    const orgC = await createOrg("Org C");
    await writeRows(orgC, 3, "tail");
    const last = (await auditRows(orgC.orgId)).find((r) => r.seq === 3)!;
    await asOwner(`DELETE FROM audit_logs WHERE id = $1::uuid`, last.id);
    expect((await verifyAuditChain(orgC.orgId)).firstBreak).toMatchObject({ reason: "tail_missing", rowId: null, seq: 2 });
    expect(await prisma.auditChainHead.findUnique({ where: { orgId: orgC.orgId } })).toMatchObject({ seq: 3 });
  });
});

describe("audit chain migration", () => {
  it("chains the rows written before it, per org, oldest first", async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { applyMigrations } = await import("@/lib/db/migrate");
    const { cp, mkdtemp, readdir, rm } = await import("node:fs/promises");
    const os = await import("node:os");
    const all = path.join(ROOT, "prisma/migrations");
    const dir = await mkdtemp(path.join(os.tmpdir(), "switchboard-migrations-"));
    const pglite = new PGlite();
    try {
      const runner = {
        exec: async (sql: string) => void (await pglite.exec(sql)),
        query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
      };
      const names = (await readdir(all)).filter((n) => /^\d+_/.test(n)).sort();
      const chainAt = names.findIndex((n) => n.endsWith("_api_keys_audit_chain_metering"));
      for (const n of names.slice(0, chainAt)) await cp(path.join(all, n), path.join(dir, n), { recursive: true });
      await applyMigrations(runner, dir);
      const org1 = "0190f000-0000-7000-8000-000000000001";
      const org2 = "0190f000-0000-7000-8000-000000000002";
      await pglite.exec(`INSERT INTO organizations (id, name) VALUES ('${org1}', 'one'), ('${org2}', 'two')`);
      for (const [i, org] of [org1, org2, org1, org1].entries()) {
        await pglite.query(
          `INSERT INTO audit_logs (id, org_id, actor_type, action, metadata, created_at) VALUES ($1, $2, 'system', 'validated', $3, now() + make_interval(secs => $4))`,
          [`0190f000-0000-7000-8000-00000000010${i}`, org, JSON.stringify({ i, text: "ünïcode \"quoted\"" }), i],
        );
      }
      for (const n of names.slice(chainAt)) await cp(path.join(all, n), path.join(dir, n), { recursive: true });
      await applyMigrations(runner, dir);

      const rows = await runner.query<{ org_id: string; seq: number; ok: boolean }>(
        `SELECT org_id, seq, hash = audit_log_hash(prev_hash, a) AND prev_hash IS NOT DISTINCT FROM lag(hash) OVER (PARTITION BY org_id ORDER BY seq) AS ok
         FROM audit_logs a ORDER BY org_id, seq`,
      );
      expect(rows).toEqual([
        { org_id: org1, seq: 1, ok: true },
        { org_id: org1, seq: 2, ok: true },
        { org_id: org1, seq: 3, ok: true },
        { org_id: org2, seq: 1, ok: true },
      ]);
      // New rows continue each chain.
      await pglite.exec(`INSERT INTO audit_logs (id, org_id, actor_type, action) VALUES ('0190f000-0000-7000-8000-000000000200', '${org1}', 'system', 'validated')`);
      expect(await runner.query(`SELECT seq FROM audit_logs WHERE id = '0190f000-0000-7000-8000-000000000200'`)).toEqual([{ seq: 4 }]);
    } finally {
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * What someone with database write access but without the pepper can do: change row `fromSeq`
 * and recompute every hash after it, and the chain head, so the chain alone verifies again.
 */
async function rewriteChain(orgId: string, fromSeq: number): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only`);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_chain_heads DISABLE TRIGGER audit_chain_heads_guard`);
    await tx.$executeRawUnsafe(`UPDATE audit_logs SET metadata = '{"tag":"rewritten"}' WHERE org_id = '${orgId}'::uuid AND seq = ${fromSeq}`);
    await tx.$executeRawUnsafe(`DO $$
      DECLARE r audit_logs; prev TEXT;
      BEGIN
        SELECT hash INTO prev FROM audit_logs WHERE org_id = '${orgId}'::uuid AND seq = ${fromSeq - 1};
        FOR r IN SELECT * FROM audit_logs WHERE org_id = '${orgId}'::uuid AND seq >= ${fromSeq} ORDER BY seq LOOP
          r.prev_hash := prev;
          r.hash := audit_log_hash(prev, r);
          UPDATE audit_logs SET prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;
          prev := r.hash;
        END LOOP;
        UPDATE audit_chain_heads SET hash = prev WHERE org_id = '${orgId}'::uuid;
      END $$`);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_chain_heads ENABLE TRIGGER audit_chain_heads_guard`);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only`);
  });
}

/** Runs `sql` on audit_anchors with its append-only triggers off (the database owner). */
async function asAnchorOwner(sql: string): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE audit_anchors DISABLE TRIGGER audit_anchors_append_only`);
    await tx.$executeRawUnsafe(sql);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_anchors ENABLE TRIGGER audit_anchors_append_only`);
  });
}

describe("signed anchors", () => {
  it("every 100th row is anchored as it is written; a chain recomputed after a change fails at the anchor, with the rows it covers", async () => {
    const org = await createOrg("Anchored");
    await writeRows(org, ANCHOR_EVERY + 20, "anchored");
    const prisma = await db();
    expect((await prisma.auditAnchor.findMany({ where: { orgId: org.orgId } })).map((a) => a.seq)).toEqual([ANCHOR_EVERY]);
    expect(await verifyAuditChain(org.orgId)).toMatchObject({ intact: true, rows: ANCHOR_EVERY + 20 });

    await rewriteChain(org.orgId, 40);
    const report = await verifyAuditChain(org.orgId);
    const at100 = await prisma.auditLog.findFirstOrThrow({ where: { orgId: org.orgId, seq: ANCHOR_EVERY } });
    expect(report).toMatchObject({ intact: false, firstBreak: { reason: "anchor_mismatch", seq: ANCHOR_EVERY, rowId: at100.id } });
    expect(report.firstBreak!.message).toBe(
      "The chain was rewritten: row #100 no longer matches its signed anchor, so a row after #0, up to #100, was changed and the hashes after it recomputed.",
    );
    // A broken chain is not anchored again.
    expect(await prisma.auditAnchor.count({ where: { orgId: org.orgId } })).toBe(2);
  });

  it("a rewrite after the last anchor is caught by the anchor the previous verification wrote; a cut-back log by the anchor of a row it lost", async () => {
    const rewritten = await createOrg("Rewritten tail");
    await writeRows(rewritten, 10, "tail");
    expect((await verifyAuditChain(rewritten.orgId)).intact).toBe(true); // anchors row #10, the newest
    await rewriteChain(rewritten.orgId, 8);
    expect((await verifyAuditChain(rewritten.orgId)).firstBreak).toMatchObject({ reason: "anchor_mismatch", seq: 10 });

    // Cut back to row #6, the chain head set to match: the anchor of row #10 has lost its row.
    const shorter = await createOrg("Cut back");
    await writeRows(shorter, 10, "cut");
    expect((await verifyAuditChain(shorter.orgId)).intact).toBe(true);
    await asOwner(`DELETE FROM audit_logs WHERE org_id = $1::uuid AND seq > 6`, shorter.orgId);
    const prisma = await db();
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE audit_chain_heads DISABLE TRIGGER audit_chain_heads_guard`);
      await tx.$executeRawUnsafe(`UPDATE audit_chain_heads SET seq = 6, hash = (SELECT hash FROM audit_logs WHERE org_id = '${shorter.orgId}'::uuid AND seq = 6) WHERE org_id = '${shorter.orgId}'::uuid`);
      await tx.$executeRawUnsafe(`ALTER TABLE audit_chain_heads ENABLE TRIGGER audit_chain_heads_guard`);
    });
    expect((await verifyAuditChain(shorter.orgId)).firstBreak).toMatchObject({ reason: "anchored_row_missing", seq: 10, rowId: null });
  });

  it("a removed or forged anchor fails verification; anchors are append-only", async () => {
    const org = await createOrg("Anchor tampering");
    await writeRows(org, ANCHOR_EVERY, "tamper");
    const prisma = await db();
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_anchors WHERE org_id = '${org.orgId}'::uuid`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_anchors SET mac = 'x'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_anchors`)).rejects.toThrow(/append-only/);

    await asAnchorOwner(`UPDATE audit_anchors SET mac = repeat('0', 64) WHERE org_id = '${org.orgId}'::uuid AND seq = ${ANCHOR_EVERY}`);
    expect((await verifyAuditChain(org.orgId)).firstBreak).toMatchObject({ reason: "anchor_invalid", seq: ANCHOR_EVERY });
    await asAnchorOwner(`DELETE FROM audit_anchors WHERE org_id = '${org.orgId}'::uuid`);
    expect((await verifyAuditChain(org.orgId)).firstBreak).toMatchObject({ reason: "anchor_missing", seq: ANCHOR_EVERY });
  });

  it("verifying while rows are appended never reports a break (one REPEATABLE READ snapshot)", async () => {
    const org = await createOrg("Busy");
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing && n < 150) {
        await writeRows(org, 1, `busy-${n++}`);
      }
    })();
    const reports = [];
    for (let i = 0; i < 8; i++) reports.push(await verifyAuditChain(org.orgId));
    writing = false;
    await writer;
    expect(reports.filter((r) => !r.intact)).toEqual([]);
    expect(await verifyAuditChain(org.orgId)).toMatchObject({ intact: true });
  });
});

describe("verify on request (the audit page's button)", () => {
  it("is counted per organization: past the limit it answers rate_limited with the wait and reads nothing; other orgs are unaffected", async () => {
    const orgC = await createOrg("Org C");
    for (let i = 0; i < VERIFY_PER_MINUTE; i++) expect(await verifyAuditChainOnRequest(orgC.orgId)).toMatchObject({ ok: true, report: { intact: true } });
    const refused = await verifyAuditChainOnRequest(orgC.orgId);
    expect(refused).toEqual({ ok: false, code: "rate_limited", message: expect.stringMatching(/^The chain was verified 5 times in the last minute; try again in \d+ s\.$/), retryAfterSeconds: expect.any(Number) });
    const other = await createOrg("Org D");
    expect(await verifyAuditChainOnRequest(other.orgId)).toMatchObject({ ok: true });
  });
});
