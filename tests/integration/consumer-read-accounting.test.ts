import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/service/verify-chain";
import { db } from "@/lib/db";
import { flushReadAccounting, recordCredentialRead, stopReadAccounting } from "@/lib/integrations/service/read-accounting";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { startConsumerTarget, type TConsumerTarget } from "../support/consumer-target";
import { unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Read accounting over real HTTP (the production server on PostgreSQL): every
// successful credentials read is counted without a database write per read —
// appended to credential_reads at least every second while the server runs —
// and audited as one credentials_read row per key × connection × minute
// carrying the count (here: when the server shuts down, which audits the
// open minute; a running server audits each minute once it is over).

const N = 120;

let testDb: TestDatabase;
let target: TConsumerTarget;
let ctx: TServiceContext;
let uuid: string;
let keyId: string;
let key: string;

async function counted(): Promise<number> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ n: number }[]>`
    SELECT coalesce(sum(count), 0)::int AS n FROM credential_reads WHERE connection_uuid = ${uuid}::uuid AND actor_type = 'api_key' AND actor_id = ${keyId}`;
  return rows[0]!.n;
}

async function readAudits() {
  const prisma = await db();
  return prisma.auditLog.findMany({ where: { orgId: ctx.orgId, action: "credentials_read", targetId: uuid }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
  uuid = unwrap(await addConnection(ctx, { provider: "openai", name: "counted" })).uuid;
  unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-counted-0123456789" } }));
  const created = await newKey(ctx, "consumer", { allowedConnections: [uuid], name: "billing job" });
  key = created.key;
  keyId = created.id;
  target = await startConsumerTarget(testDb);
}, 180_000);

afterAll(async () => {
  await target?.close();
  await testDb?.teardown();
});

describe("read accounting", () => {
  it("N reads (half of them concurrent) → N counted within about a second, with no audit row per read", async () => {
    const read = () => fetch(`${target.url}/api/v1/connections/${uuid}/credentials`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < N / 2; i++) expect((await read()).status).toBe(200);
    const concurrent = await Promise.all(Array.from({ length: N / 2 }, read));
    expect(concurrent.map((r) => r.status)).toEqual(Array.from({ length: N / 2 }, () => 200));
    // Refused reads are not reads.
    expect((await fetch(`${target.url}/api/v1/connections/${uuid}/credentials`, { method: "POST" })).status).toBe(401);

    const started = Date.now();
    while ((await counted()) < N && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 100));
    console.log(`${N} reads counted in credential_reads ${Date.now() - started} ms after the last one`);
    expect(await counted()).toBe(N);
    expect((await readAudits()).length).toBe(0); // the minute is not over: nothing audited yet, and never one row per read
  });

  it("the per-minute audit rows carry the count: their sum is N, one row per minute, hash chain intact", async () => {
    // Shutdown writes what is left and audits the open minute (a running server audits each minute once it is over).
    if (target.server) expect(await target.server.stop()).toBe(143);
    else await stopReadAccounting();
    const audits = await readAudits();
    const total = audits.reduce((n, a) => n + Number((a.metadata as { count: number }).count), 0);
    const minutes = new Set(audits.map((a) => (a.metadata as { minute: string }).minute));
    console.log(`audit: ${audits.length} credentials_read row(s) over ${minutes.size} minute(s), counts summing to ${total}`);
    expect(total).toBe(N);
    expect(audits.length).toBe(minutes.size);
    for (const a of audits) {
      expect(a).toMatchObject({ actorType: "api_key", actorId: keyId, actorLabel: expect.stringContaining("billing job"), targetType: "connection" });
      expect(a.metadata).toMatchObject({ provider: "openai", name: "counted" });
    }
    expect(await counted()).toBe(N); // nothing counted twice by the final flush
    expect((await verifyAuditChain(ctx.orgId)).intact).toBe(true);
  });

  it("a running process audits a minute once it is over (plus grace), and only that minute", async () => {
    const { id: otherKey } = await newKey(ctx, "consumer", { allowedConnections: [uuid], name: "nightly job" });
    const actor = { type: "api_key" as const, id: otherKey, label: "nightly job (swb_…)" };
    const read = { orgId: ctx.orgId, uuid, actor, provider: "openai", name: "counted" };
    const twoMinutesAgo = Date.now() - 120_000;
    for (let i = 0; i < 3; i++) recordCredentialRead(read, twoMinutesAgo);
    for (let i = 0; i < 2; i++) recordCredentialRead(read);
    await flushReadAccounting({ auditClosedMinutes: true }); // a regular tick's sweep: counts out, closed minutes audited
    const prisma = await db();
    const rows = await prisma.auditLog.findMany({ where: { orgId: ctx.orgId, action: "credentials_read", actorId: otherKey } });
    expect(rows.map((r) => r.metadata)).toEqual([{ provider: "openai", name: "counted", count: 3, minute: new Date(Math.floor(twoMinutesAgo / 60_000) * 60_000).toISOString() }]);
    const pending = await prisma.$queryRaw<{ count: number; audited: boolean }[]>`
      SELECT count, audited FROM credential_reads WHERE actor_id = ${otherKey} ORDER BY minute`;
    expect(pending).toEqual([{ count: 3, audited: true }, { count: 2, audited: false }]);
  });
});
