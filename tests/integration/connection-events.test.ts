import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { CONNECTION_CHANNEL, encodeChange } from "@/lib/events/connection-change";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import { recordEvents, type TEventRecorder } from "@/tests/support/event-recorder";
import { createOrg, setupTestDatabase, type TestDatabase } from "@/tests/support/test-db";
import { insertStatusRow } from "@/tests/support/status-rows";

// Change events over PostgreSQL LISTEN/NOTIFY (this file always uses the
// local PostgreSQL server, whatever DATABASE_URL says, because dropping and
// resuming the stream is what it checks): delivered on commit only, and a
// killed listener connection is reported as dropped, then resumed. The
// database announces a change itself (the settings_announce_status trigger),
// so each case writes a connection row; connection-events-writers.test.ts
// checks which writes announce, on PGlite and PostgreSQL.

const SERVER_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const savedUrl = process.env.DATABASE_URL;
let testDb: TestDatabase;
let events: TEventRecorder;
let orgId: string;
let otherOrgId: string;

beforeAll(async () => {
  process.env.DATABASE_URL = SERVER_URL;
  testDb = await setupTestDatabase();
  orgId = (await createOrg("Events")).orgId;
  otherOrgId = (await createOrg("Other")).orgId;
  events = await recordEvents();
});
afterAll(async () => {
  events?.stop();
  await stopConnectionEvents();
  await testDb.teardown();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
});

async function publish(uuid: string, status: "connected" | "error", opts: { rollback?: boolean } = {}): Promise<void> {
  const prisma = await db();
  await prisma
    .$transaction(async (tx) => {
      await insertStatusRow(tx, { orgId, uuid, status });
      if (opts.rollback) throw new Error("rollback");
    })
    .catch((err: Error) => {
      if (err.message !== "rollback") throw err;
    });
}

async function killListener(): Promise<number> {
  const admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name LIKE 'switchboard-events%' AND datname = current_database()",
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

describe("connection change events on PostgreSQL", () => {
  it("delivers a committed change and never a rolled-back one", async () => {
    const rolledBack = randomUUID();
    const committed = randomUUID();
    await publish(rolledBack, "error", { rollback: true });
    await publish(committed, "connected");
    await events.waitFor(() => events.changesOf(committed).length === 1);
    expect(events.changesOf(rolledBack)).toEqual([]);
    expect(events.signals.find((s) => s.type === "change" && s.change.uuid === committed)).toEqual({
      type: "change",
      change: { orgId, uuid: committed, status: "connected" },
    });
  });

  it("announces on the status channel with exactly the payload encodeChange produces", async () => {
    const raw = new pg.Client({ connectionString: testDb.url });
    await raw.connect();
    try {
      const payloads: string[] = [];
      raw.on("notification", (n) => n.channel === CONNECTION_CHANNEL && payloads.push(n.payload ?? ""));
      await raw.query(`LISTEN ${CONNECTION_CHANNEL}`);
      const uuid = randomUUID();
      await publish(uuid, "error");
      await events.waitFor(() => events.changesOf(uuid).length === 1);
      await vi.waitFor(() => expect(payloads).toEqual([encodeChange({ orgId, uuid, status: "error" })]), { timeout: 15_000 });
    } finally {
      await raw.end();
    }
  });

  it("measures commit-to-listener latency (reported, not asserted)", async () => {
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const uuid = randomUUID();
      const started = performance.now();
      await publish(uuid, "connected");
      await events.waitFor(() => events.changesOf(uuid).length === 1);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    console.log(`[events-latency] commit + delivery over LISTEN/NOTIFY: median ${samples[10]!.toFixed(1)} ms, max ${samples[19]!.toFixed(1)} ms (20 events)`);
    expect(samples).toHaveLength(20);
  });

  it("reports a dropped listener connection, reconnects, says resumed, and delivers again", async () => {
    expect(await killListener()).toBe(1);
    await events.waitFor((s) => s.some((x) => x.type === "dropped"));
    await events.waitFor((s) => s.some((x) => x.type === "resumed"));
    const types = events.signals.map((s) => s.type).filter((t) => t !== "change");
    expect(types).toEqual(["dropped", "resumed"]);
    const after = randomUUID();
    await publish(after, "error");
    await events.waitFor(() => events.changesOf(after).length === 1);
  });
});

describe("the Server-Sent Events stream", () => {
  it("sends one organization's changes only, as uuid and status, after a ready event", async () => {
    const abort = new AbortController();
    const response = (await import("@/lib/events/sse")).connectionEventsResponse({
      orgId,
      signal: abort.signal,
      isStillValid: async () => true,
      onClose: () => undefined,
      recheckMs: 30_000,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const reader = response.body!.getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: ready");
    const mine = randomUUID();
    const prisma = await db();
    await prisma.$transaction(async (tx) => {
      await insertStatusRow(tx, { orgId: otherOrgId, uuid: randomUUID(), status: "error" }); // another organization
      await insertStatusRow(tx, { orgId, uuid: mine, status: "connected" });
    });
    await readUntil(mine);
    abort.abort();
    const events = text.split("\n\n").filter((e) => e.startsWith("event: status"));
    expect(events).toEqual([`event: status\ndata: {"uuid":"${mine}","status":"connected"}`]);
    expect(text).not.toContain(orgId);
  });
});
