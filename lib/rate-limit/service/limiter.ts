import "server-only";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db";

// One way to rate-limit anything: rate-limiter-flexible's PostgreSQL store on
// the `rate_limits` table (a migration creates it), reached through the one
// Prisma client, so PGlite and PostgreSQL share the code and several instances
// on one database share the counts. The library's upsert is a single
// `INSERT … ON CONFLICT … DO UPDATE … RETURNING`, so concurrent consumers
// cannot both take the last point.

type TQuery = { text: string; values?: unknown[] };
type TQueryResult = { rows: Record<string, unknown>[]; rowCount: number };

/** The library's "pool" client interface, answered by Prisma's raw queries. */
const prismaStore = {
  async query({ text, values = [] }: TQuery): Promise<TQueryResult> {
    const prisma = await db();
    if (/^\s*DELETE\b/i.test(text)) {
      const rowCount = await prisma.$executeRawUnsafe(text, ...values);
      return { rows: [], rowCount };
    }
    const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
    // `expire` is BIGINT: Prisma hands back a bigint, the library does arithmetic with numbers.
    const mapped = rows.map((r) => (typeof r.expire === "bigint" ? { ...r, expire: Number(r.expire) } : r));
    return { rows: mapped, rowCount: mapped.length };
  },
};

export type TLimiterOptions = {
  /** Namespace of the keys, e.g. "sign-in:email". */
  keyPrefix: string;
  /** Points available per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
  /** Once the points are used up, refuse for this long (seconds) instead of until the window ends. */
  blockSeconds?: number;
};

export type TConsumeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export type TLimiter = {
  /** Takes `points` (default 1) before the work it guards; refused when none are left. */
  consume(key: string, points?: number): Promise<TConsumeResult>;
  /** Gives points back (e.g. a successful sign-in refunds its attempt). */
  refund(key: string, points?: number): Promise<void>;
  /** Points used in the current window, without taking one. */
  used(key: string): Promise<number>;
  reset(key: string): Promise<void>;
};

export function createLimiter(options: TLimiterOptions): TLimiter {
  const limiter = new RateLimiterPostgres({
    storeClient: prismaStore,
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
    blockDuration: options.blockSeconds ?? 0,
  });
  return {
    async consume(key, points = 1) {
      try {
        const res = await limiter.consume(key, points);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (rejection) {
        // The library rejects with a RateLimiterRes when out of points, with an Error on a store failure.
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        throw rejection;
      }
    },
    async refund(key, points = 1) {
      await limiter.reward(key, points);
    },
    async used(key) {
      return (await limiter.get(key))?.consumedPoints ?? 0;
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
