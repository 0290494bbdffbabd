import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { flushReadAccounting, recordCredentialRead } from "@/lib/integrations/service/read-accounting";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";
import type { TestDatabase } from "../support/test-db";

// M3: a proxied call whose credential went out is counted whatever the
// outcome (an answer over the size cap is a 502, but the upstream got the
// key and did the work). M4: the 1 s flush of counts never waits for an
// audit sweep, so a crash during a long sweep loses no more than the counts
// of the last second.

const MAX_RESPONSE = 1024;
let testDb: TestDatabase;
let ctx: TServiceContext;
let plane: TDataPlane;

const consumer = consumerFixture({
  captureLogs: true,
  env: { SWITCHBOARD_PROXY_MAX_RESPONSE_BYTES: String(MAX_RESPONSE) },
  openaiUpstream: (req, res) => {
    if (req.url?.endsWith("/big")) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.alloc(MAX_RESPONSE * 4, 97));
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  },
});
beforeAll(() => ({ testDb, ctx, plane } = consumer));

async function readsOf(uuid: string): Promise<number> {
  const prisma = await db();
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>("SELECT coalesce(sum(count), 0)::int AS n FROM credential_reads WHERE connection_uuid = $1::uuid", uuid);
  return rows[0]!.n;
}

describe("read accounting", () => {
  it("counts a proxied call whose credential was sent even when the call fails (answer over the size cap)", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "counted" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-counted-12345678" } }));
    const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;
    const proxy = (path: string) =>
      fetch(`${plane.url}/api/v1/connections/${uuid}/proxy`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ method: "GET", path }) });
    expect((await proxy("/big")).status).toBe(502);
    expect((await proxy("/ok")).status).toBe(200);
    expect((await proxy("https://elsewhere.example/x")).status).toBe(400); // refused before sending: not counted
    await flushReadAccounting();
    expect(await readsOf(uuid)).toBe(2);
  });

  // A second session on the database: PostgreSQL only.
  it.runIf(process.env.DATABASE_URL)("a sweep stuck on the audit chain does not hold up the flush of new counts", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "sweep" }));
    const read = { orgId: ctx.orgId, uuid, actor: ctx.actor, provider: "openai", name: "sweep" };
    recordCredentialRead(read, Date.now() - 3 * 60_000); // a closed minute, pending audit
    await flushReadAccounting();

    // Another session holds the organization's audit chain lock: the sweep's audit insert waits on it.
    const holder = new pg.Client({ connectionString: testDb.url });
    await holder.connect();
    await holder.query("BEGIN");
    const locked = await holder.query("SELECT 1 FROM audit_chain_heads WHERE org_id = $1 FOR UPDATE", [ctx.orgId]);
    expect(locked.rowCount).toBe(1);
    const stuckSweep = flushReadAccounting({ auditClosedMinutes: true });
    await new Promise((r) => setTimeout(r, 300)); // the sweep is now waiting on the lock

    for (let i = 0; i < 3; i++) recordCredentialRead(read);
    const flushed = await Promise.race([flushReadAccounting().then(() => "flushed"), new Promise((r) => setTimeout(() => r("held up"), 5_000))]);
    expect(flushed).toBe("flushed");
    expect(await readsOf(uuid)).toBe(4);

    await holder.query("COMMIT");
    await holder.end();
    await stuckSweep;
    const prisma = await db();
    const audited = await prisma.auditLog.findMany({ where: { orgId: ctx.orgId, action: "credentials_read", targetId: uuid } });
    expect(audited.map((r) => (r.metadata as { count: number }).count)).toEqual([1]);
  }, 30_000);
});
