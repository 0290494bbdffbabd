import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signOutEverywhere } from "@/lib/accounts/service/sessions";
import { loadOperator, verifySignIn } from "@/lib/accounts/service/sign-in";
import type { TUserContext } from "@/lib/accounts/types";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import { connectionEventsResponse } from "@/lib/events/sse";
import { createStreamSlots, type TStreamSlots } from "@/lib/events/stream-slots";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The live-status stream's limits on the real database and listener: the
// session that opened a stream is re-checked (here every 100 ms instead of
// 30 s) and a revoked one ends the stream; every stream holds a slot of its
// user's and the process's cap until it ends. The same over HTTP with a real
// session cookie: e2e/live-status.spec.ts.

const PASSWORD = "correct horse battery staple";
let testDb: TestDatabase;
let admin: TUserContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  const ctx = await createFirstOrg();
  if (ctx.actor.type !== "user") throw new Error("expected a user");
  admin = { orgId: ctx.orgId, actor: ctx.actor };
});
afterAll(async () => {
  await stopConnectionEvents();
  await testDb.teardown();
});

type TOpenStream = { text: () => string; ended: Promise<void>; abort: () => void; closes: () => number };

/** Opens a stream like the route does (slot first), reads it in the background and waits for `ready`. */
async function openStream(slots: TStreamSlots, userId: string, isStillValid: () => Promise<boolean>): Promise<TOpenStream | "refused"> {
  const slot = slots.acquire(userId);
  if (!slot.ok) return "refused";
  const abort = new AbortController();
  let closes = 0;
  const response = connectionEventsResponse({
    orgId: admin.orgId,
    signal: abort.signal,
    isStillValid,
    recheckMs: 100,
    onClose: () => {
      closes += 1;
      slot.release();
    },
  });
  const reader = response.body!.getReader();
  let text = "";
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })();
  for (let i = 0; i < 200 && !text.includes("event: ready"); i++) await new Promise((r) => setTimeout(r, 10));
  expect(text).toContain("event: ready");
  return { text: () => text, ended, abort: () => abort.abort(), closes: () => closes };
}

const stillOpenAfter = async (s: TOpenStream, ms: number) =>
  Promise.race([s.ended.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

describe("the live-status stream re-checks its session", () => {
  it("stays open while the session is current and ends with `reauth` once it is revoked", async () => {
    const signedIn = await verifySignIn(admin.actor.label, PASSWORD);
    const sv = signedIn!.sessionVersion;
    let checks = 0;
    const isStillValid = async () => {
      checks += 1;
      return (await loadOperator(admin.actor.id, sv)) !== null;
    };
    const slots = createStreamSlots({ perUser: 5, perProcess: 10 });
    const stream = (await openStream(slots, admin.actor.id, isStillValid)) as TOpenStream;
    expect(await stillOpenAfter(stream, 500)).toBe(true);
    expect(checks).toBeGreaterThanOrEqual(2);
    expect(slots.open(admin.actor.id)).toBe(1);

    await signOutEverywhere(admin);
    await stream.ended; // the test times out if the stream never ends
    expect(stream.text()).toMatch(/event: reauth\n/);
    expect(stream.closes()).toBe(1);
    expect(slots.open()).toBe(0);
  });

  it("a check that fails (database error) ends the stream too", async () => {
    const slots = createStreamSlots({ perUser: 5, perProcess: 10 });
    const stream = (await openStream(slots, admin.actor.id, () => Promise.reject(new Error("connection refused")))) as TOpenStream;
    await stream.ended;
    expect(stream.text()).toMatch(/event: reauth\n/);
    expect(slots.open()).toBe(0);
  });
});

describe("stream caps", () => {
  const valid = async () => true;

  it("refuses a user's stream over their cap, and frees the slot when one ends", async () => {
    const slots = createStreamSlots({ perUser: 5, perProcess: 100 });
    const streams = [] as TOpenStream[];
    for (let i = 0; i < 5; i++) streams.push((await openStream(slots, "user-a", valid)) as TOpenStream);
    expect(await openStream(slots, "user-a", valid)).toBe("refused");
    // another user is not affected
    const other = (await openStream(slots, "user-b", valid)) as TOpenStream;
    streams[0]!.abort();
    await streams[0]!.ended;
    expect(streams[0]!.closes()).toBe(1);
    const again = (await openStream(slots, "user-a", valid)) as TOpenStream;
    expect(slots.open("user-a")).toBe(5);
    for (const s of [...streams.slice(1), other, again]) s.abort();
    await Promise.all([...streams, other, again].map((s) => s.ended));
    expect(slots.open()).toBe(0);
  });

  it("refuses any stream over the process cap, whoever asks", async () => {
    const slots = createStreamSlots({ perUser: 5, perProcess: 3 });
    const streams = [] as TOpenStream[];
    for (const user of ["u1", "u2", "u3"]) streams.push((await openStream(slots, user, valid)) as TOpenStream);
    expect(slots.full()).toBe(true);
    expect(slots.acquire("u4")).toEqual({ ok: false, code: "busy" });
    streams[1]!.abort();
    await streams[1]!.ended;
    expect(slots.full()).toBe(false);
    expect(slots.acquire("u4").ok).toBe(true);
    for (const s of streams) s.abort();
  });
});
