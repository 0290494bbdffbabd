import type { ServerResponse } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addConnection, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { startInProcessDataPlane } from "../support/consumer-target";
import { allowLoopbackOutbound } from "../support/oauth";
import { unwrap } from "../support/results";
import { startHttpServer, type THttpStandIn } from "../support/standins/http-server";
import { createFirstOrg, setEnv, setupTestDatabase, type TestDatabase } from "../support/test-db";

// M6: each proxied call holds an upstream connection while it runs, so a
// process runs at most SWITCHBOARD_PROXY_MAX_CONCURRENT of them at once; one
// more answers 429 rate_limited with Retry-After without calling the
// upstream. A call runs until its answer has been sent (the body streams on
// after the handler returns) or its consumer hangs up, which stops the
// upstream call too, and its slot frees then.

const CAP = 2;
let testDb: TestDatabase;
let ctx: TServiceContext;
let upstream: THttpStandIn;
let plane: { url: string; close(): Promise<void> };
const held: ServerResponse[] = [];
/** Answers of /stream: first bytes sent, the rest when the test ends them. */
const streaming: { res: ServerResponse; closed: boolean }[] = [];
const silent: { res: ServerResponse; closed: boolean }[] = [];
let hits = 0;

beforeAll(async () => {
  upstream = await startHttpServer((req, res) => {
    hits += 1;
    if (req.url?.endsWith("/hold")) return void held.push(res);
    if (req.url?.endsWith("/silent")) {
      // Never answers: only the proxy hanging up ends it (the proxy's deadline is 30 s).
      const open = { res, closed: false };
      res.once("close", () => (open.closed = true));
      return void silent.push(open);
    }
    if (req.url?.endsWith("/stream")) {
      const open = { res, closed: false };
      res.once("close", () => (open.closed = true));
      streaming.push(open);
      return void res.writeHead(200, { "content-type": "text/plain" }).write("first\n");
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `openai=${upstream.origin}`);
  setEnv("SWITCHBOARD_PROXY_MAX_CONCURRENT", String(CAP));
  ctx = await createFirstOrg();
  plane = await startInProcessDataPlane();
}, 120_000);

afterAll(async () => {
  for (const res of held) res.end();
  for (const { res } of [...streaming, ...silent]) res.end();
  await plane?.close();
  setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined);
  setEnv("SWITCHBOARD_PROXY_MAX_CONCURRENT", undefined);
  await upstream?.close();
  await testDb?.teardown();
});

async function consumerOf(name: string) {
  const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name }));
  unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-concurrent-1234" } }));
  const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;
  return (path: string, signal?: AbortSignal) =>
    fetch(`${plane.url}/api/v1/connections/${uuid}/proxy`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ method: "GET", path }),
      signal,
    });
}

describe("concurrent proxied calls", () => {
  it("past the per-process cap answer 429 with Retry-After and send nothing; a finished call frees its slot", async () => {
    const proxy = await consumerOf("concurrency");

    const slow = [proxy("/hold"), proxy("/hold")];
    while (held.length < CAP) await new Promise((r) => setTimeout(r, 20));
    const refused = await proxy("/now");
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(hits).toBe(CAP); // the refused call never reached the upstream

    // The two held calls may reach the upstream in either order: the one answered is whichever came first.
    held.shift()!.writeHead(200, { "content-type": "text/plain" }).end("done");
    const first = await Promise.race(slow.map((call, index) => call.then((answer) => ({ answer, index }))));
    expect(first.answer.status).toBe(200);
    expect((await proxy("/now")).status).toBe(200);
    held.shift()!.writeHead(200).end();
    expect((await slow[1 - first.index]!).status).toBe(200);
  });

  it("a streaming answer holds its slot until it has been sent, or until its consumer hangs up (which hangs up on the upstream)", async () => {
    const proxy = await consumerOf("streaming");
    /** A call whose handler has returned and whose body is still arriving. */
    const open = async () => {
      const aborter = new AbortController();
      const r = await proxy("/stream", aborter.signal);
      expect(r.status).toBe(200);
      const reader = r.body!.getReader();
      expect(Buffer.from((await reader.read()).value!).toString()).toBe("first\n");
      return { reader, aborter, upstream: streaming.at(-1)! };
    };
    const a = await open();
    const b = await open();
    expect((await proxy("/now")).status).toBe(429);

    a.upstream.res.end("last\n");
    while (!(await a.reader.read()).done);
    await expect.poll(async () => (await proxy("/now")).status).toBe(200);

    b.aborter.abort();
    await expect.poll(() => b.upstream.closed).toBe(true);
    // Only this one holds a slot now: the aborted call gave its own back.
    const c = await open();
    expect((await proxy("/now")).status).toBe(200);
    c.upstream.res.end();
    while (!(await c.reader.read()).done);
  });

  it("a consumer that hangs up before the upstream has answered stops the upstream call at once, not at the deadline", async () => {
    const proxy = await consumerOf("impatient");
    const aborter = new AbortController();
    const call = proxy("/silent", aborter.signal).catch(() => null);
    await expect.poll(() => silent.length).toBe(1);
    aborter.abort();
    expect(await call).toBeNull();
    await expect.poll(() => silent[0]!.closed).toBe(true);
    expect((await proxy("/now")).status).toBe(200);
  });

  // A second session on the database holds the key check: PostgreSQL only.
  it.runIf(process.env.DATABASE_URL)("a consumer that hangs up while its key is still being checked never reaches the upstream", async () => {
    const proxy = await consumerOf("gone-early"); // a new key: this process has not verified it yet
    const holder = new pg.Client({ connectionString: testDb.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE");
      const hitsBefore = hits;
      const aborter = new AbortController();
      const call = proxy("/now", aborter.signal).catch(() => null);
      // The key check's read waiting on the lock (a batched write of last-used times may be waiting too).
      const waiting = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ~* '^\\s*SELECT\\M.*api_keys'";
      const waitingNow = async () => {
        await holder.query("SELECT pg_stat_clear_snapshot()"); // inside a transaction the view is a snapshot otherwise
        return (await holder.query<{ n: number }>(waiting)).rows[0]!.n;
      };
      await expect.poll(waitingNow, { timeout: 10_000 }).toBeGreaterThan(0);
      aborter.abort();
      expect(await call).toBeNull();
      await holder.query("COMMIT");
      // The handler goes on once the lock is gone; its key check ends by writing the key's last-used time (every
      // other key of this file has been used), and the upstream call would follow within milliseconds.
      await expect.poll(async () => (await holder.query("SELECT 1 FROM api_keys WHERE last_used_at IS NULL")).rowCount).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(hits).toBe(hitsBefore);
    } finally {
      await holder.end();
    }
    expect((await proxy("/now")).status).toBe(200); // and its slot was given back
  });
});
