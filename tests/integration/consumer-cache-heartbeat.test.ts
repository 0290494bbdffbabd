import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { connectionCache } from "@/lib/cache/caches";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { unwrap } from "../support/results";
import { startTcpProxy, type TTcpProxy } from "../support/standins/tcp-proxy";
import { setEnv, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// M1: a LISTEN connection that dies silently (no FIN, no RST: a NAT or load
// balancer dropped its mapping) is noticed by the listener's heartbeat and
// treated as a drop: the caches are emptied, the listener reconnects, and a
// change whose NOTIFY was lost is served within the heartbeat bound. The
// listener reaches PostgreSQL through a TCP proxy stand-in that goes silent;
// the pool (opened first) talks to PostgreSQL directly.

let testDb: TestDatabase;
let ctx: TServiceContext;
let proxy: TTcpProxy | undefined;
let plane: TDataPlane | undefined;
let logs: ConsoleCapture;
const HEARTBEAT_S = 1;

const consumer = consumerFixture({
  captureLogs: true,
  plane: "test",
  listener: true,
  afterPlane: async () => {
    setEnv("SWITCHBOARD_EVENTS_HEARTBEAT_SECONDS", undefined);
    await proxy?.close();
  },
});
beforeAll(() => ({ testDb, ctx, logs } = consumer));

async function read(uuid: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${plane!.url}/api/v1/connections/${uuid}/credentials`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
  return ((await res.json()) as { credentials?: { api_key?: string } }).credentials?.api_key;
}

describe.runIf(process.env.DATABASE_URL)("a silently dead LISTEN connection", () => {
  it("is detected by the heartbeat: caches emptied, a change whose NOTIFY was lost served within the bound", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "silent" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-silent1-aaaaaaaa" } }));
    const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;

    const real = new URL(testDb.url!);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(real);
    viaProxy.port = String(proxy.port);
    setEnv("SWITCHBOARD_EVENTS_HEARTBEAT_SECONDS", String(HEARTBEAT_S));
    setEnv("DATABASE_URL", viaProxy.toString()); // only the listener connects after this
    plane = await consumer.startPlane();

    expect(await read(uuid, key)).toBe("sk-silent1-aaaaaaaa");
    expect(connectionCache().get(uuid)?.credentials.api_key).toBe("sk-silent1-aaaaaaaa"); // warm

    proxy.freeze(); // the listener's connection is now dead without either side being told
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { api_key: "sk-silent2-bbbbbbbb" }) }); // its NOTIFY is lost
    const since = performance.now();

    let served: string | undefined;
    do {
      served = await read(uuid, key);
      if (served === "sk-silent2-bbbbbbbb") break;
      await new Promise((r) => setTimeout(r, 100));
    } while (performance.now() - since < 15_000);
    const ms = performance.now() - since;
    console.info(`silently dead listener noticed and the new value served after ${ms.toFixed(0)} ms (heartbeat ${HEARTBEAT_S} s)`);
    expect(served).toBe("sk-silent2-bbbbbbbb");
    expect(logs.text()).toContain("no heartbeat answer");
  }, 60_000);
});
