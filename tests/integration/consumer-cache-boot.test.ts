import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { connectionCache } from "@/lib/cache/caches";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";
import { setEnv, type TestDatabase } from "../support/test-db";

// H1: the caches are on only while the process listens to the invalidation
// events. The listener's first connect fails at boot (its database URL points
// at a closed port; the pool was opened before with the right one): the data
// plane still starts, serves from the database, caches nothing; a change
// committed meanwhile (its NOTIFY heard by no one) is never served stale once
// the listener is back, because "resumed" empties the caches before turning
// them on. The embedded database cannot fail to listen: PostgreSQL only.

let testDb: TestDatabase;
let ctx: TServiceContext;
let plane: TDataPlane | undefined;

const consumer = consumerFixture({ plane: "test", listener: true });
beforeAll(() => ({ testDb, ctx } = consumer));

/** Whether this process's listener has a session on the server (seen from the pool, which has the right URL). */
async function listenerConnected(): Promise<boolean> {
  const prisma = await db();
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    // Test files share the pid (worker threads); each has its own database.
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
    `switchboard-events pid=${process.pid}`,
  );
  return rows[0]!.n > 0;
}

async function read(uuid: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${plane!.url}/api/v1/connections/${uuid}/credentials`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { credentials: { api_key?: string } }).credentials.api_key;
}

describe.runIf(process.env.DATABASE_URL)("caches at boot with a failing listener", () => {
  it("stay off while nothing listens, and a change made meanwhile is never served stale after the listener is back", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "boot" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-boot1-aaaaaaaa" } }));
    const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;

    const unreachable = new URL(testDb.url!);
    unreachable.port = "1"; // nothing listens on port 1: connect() is refused
    setEnv("DATABASE_URL", unreachable.toString());
    plane = await consumer.startPlane(); // boots although the listener could not connect
    expect(await listenerConnected()).toBe(false);

    for (let i = 0; i < 3; i++) expect(await read(uuid, key)).toBe("sk-boot1-aaaaaaaa");
    expect(connectionCache().bypassing).toBe(true);
    expect(connectionCache().get(uuid)).toBeUndefined();

    // A change this process never hears of: another instance's write (its NOTIFY is lost, nobody listens here).
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { api_key: "sk-boot2-bbbbbbbb" }) });

    setEnv("DATABASE_URL", testDb.url); // the next reconnect attempt (backoff ≤ 5 s) succeeds
    const deadline = Date.now() + 15_000;
    while (!(await listenerConnected()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await listenerConnected()).toBe(true);
    await new Promise((r) => setTimeout(r, 200)); // LISTEN issued, "resumed" delivered
    expect(connectionCache().bypassing).toBe(false);

    for (let i = 0; i < 5; i++) expect(await read(uuid, key)).toBe("sk-boot2-bbbbbbbb");
    expect(connectionCache().get(uuid)?.credentials.api_key).toBe("sk-boot2-bbbbbbbb"); // cached again, fresh
  }, 60_000);
});
