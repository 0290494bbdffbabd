import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLimiter } from "@/lib/rate-limit/service/limiter";
import { db } from "@/lib/db";
import { setupTestDatabase, type TestDatabase } from "@/tests/support/test-db";

let database: TestDatabase;
beforeAll(async () => {
  database = await setupTestDatabase();
});
afterAll(async () => database.teardown());

describe("the PostgreSQL-backed rate limiter", () => {
  it("lets exactly `points` of 41 concurrent consumers through and tells the rest how long to wait", async () => {
    const limiter = createLimiter({ keyPrefix: `t-${randomUUID()}`, points: 10, durationSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 41 }, () => limiter.consume("ada@example.com")));
    const allowed = results.filter((r) => r.allowed);
    const refused = results.filter((r) => !r.allowed);
    expect(allowed).toHaveLength(10);
    expect(refused).toHaveLength(31);
    for (const r of refused) if (!r.allowed) expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await limiter.used("ada@example.com")).toBe(41);
  });

  it("keeps keys and prefixes apart, refunds, resets, and stores the counts in rate_limits", async () => {
    const prefix = `t-${randomUUID()}`;
    const a = createLimiter({ keyPrefix: prefix, points: 2, durationSeconds: 60 });
    const b = createLimiter({ keyPrefix: `${prefix}-other`, points: 2, durationSeconds: 60 });
    await a.consume("k");
    await a.consume("k");
    expect((await a.consume("k")).allowed).toBe(false);
    expect((await a.consume("other-key")).allowed).toBe(true);
    expect((await b.consume("k")).allowed).toBe(true);
    await a.reset("k");
    expect((await a.consume("k")).allowed).toBe(true);
    await a.refund("k");
    expect(await a.used("k")).toBe(0);
    const prisma = await db();
    const rows = await prisma.rateLimit.findMany({ where: { key: { startsWith: prefix } } });
    expect(rows.map((r) => r.key).sort()).toEqual([`${prefix}-other:k`, `${prefix}:k`, `${prefix}:other-key`]);
  });

  it("opens again once the window has passed", async () => {
    const limiter = createLimiter({ keyPrefix: `t-${randomUUID()}`, points: 1, durationSeconds: 1 });
    expect((await limiter.consume("x")).allowed).toBe(true);
    expect((await limiter.consume("x")).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await limiter.consume("x")).allowed).toBe(true);
  });
});
