import "server-only";
import { logger } from "@/lib/logger";
import type { TConsumeResult, TLimiter } from "./limiter";

// The shared PostgreSQL limiter (limiter.ts) without a database round trip
// per call: each process spends a local allowance and settles with the shared
// counter every `syncMs` in one consume of everything spent since. The first
// call of a key, and any call once its local allowance is spent, consults the
// shared counter at once. The shared counter stays the truth, so all
// instances together keep to the budget, give or take what each spends in one
// sync interval; a key the shared counter refuses is refused locally until
// its Retry-After.

type TKeyState = {
  /** Calls the shared counter is known to allow (as of the last settle), minus what was spent since. */
  allowance: number;
  /** Spent locally since the last settle. */
  unsettled: number;
  blockedUntil: number;
  lastUse: number;
  settling?: Promise<void>;
};

export type TLocalBudget = {
  consume(key: string): TConsumeResult | Promise<TConsumeResult>;
  /** Settles every key's local spending with the shared counter now. */
  settle(): Promise<void>;
  stop(): void;
};

export function createLocalBudget(shared: TLimiter, opts: { syncMs: number; idleMs: number }): TLocalBudget {
  const keys = new Map<string, TKeyState>();

  function apply(s: TKeyState, result: TConsumeResult, now: number): void {
    if (result.allowed) {
      // Calls taken while the settle was on its way are not in `remaining` yet.
      s.allowance = Math.max(0, result.remaining - s.unsettled);
      s.blockedUntil = 0;
    } else {
      s.allowance = 0;
      s.blockedUntil = now + result.retryAfterSeconds * 1000;
    }
  }

  /** One consume of what was spent since the last settle (plus `extra` for the call that waits on it). */
  function settleKey(key: string, s: TKeyState, extra: number): Promise<void> {
    const points = s.unsettled + extra;
    s.unsettled = 0;
    const run = shared.consume(key, points).then(
      (result) => apply(s, result, Date.now()),
      (err: unknown) => {
        s.unsettled += points; // tried again at the next settle
        throw err;
      },
    );
    s.settling = run.finally(() => (s.settling = undefined));
    return run;
  }

  function refused(s: TKeyState, now: number): TConsumeResult {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((s.blockedUntil - now) / 1000)) };
  }

  async function consumeShared(key: string, s: TKeyState): Promise<TConsumeResult> {
    while (s.settling) await s.settling.catch(() => undefined);
    const now = Date.now();
    if (s.blockedUntil > now) return refused(s, now);
    if (s.allowance > 0) return take(s);
    await settleKey(key, s, 1);
    return s.blockedUntil > Date.now() ? refused(s, Date.now()) : { allowed: true, remaining: s.allowance };
  }

  function take(s: TKeyState): TConsumeResult {
    s.allowance -= 1;
    s.unsettled += 1;
    return { allowed: true, remaining: s.allowance };
  }

  const timer = setInterval(() => {
    const now = Date.now();
    for (const [key, s] of keys) {
      if (s.unsettled > 0 && !s.settling) {
        settleKey(key, s, 0).catch((err: unknown) => logger.warn("rate limit settle failed", { error: (err as Error)?.name ?? "unknown" }));
      } else if (now - s.lastUse > opts.idleMs && !s.settling && s.unsettled === 0) keys.delete(key);
    }
  }, opts.syncMs);
  timer.unref();

  return {
    consume(key) {
      const now = Date.now();
      let s = keys.get(key);
      if (!s) {
        s = { allowance: 0, unsettled: 0, blockedUntil: 0, lastUse: now };
        keys.set(key, s);
      }
      s.lastUse = now;
      if (s.blockedUntil > now) return refused(s, now);
      if (s.allowance > 0) return take(s);
      return consumeShared(key, s);
    },
    async settle() {
      await Promise.all(
        [...keys].map(async ([key, s]) => {
          while (s.settling) await s.settling.catch(() => undefined);
          if (s.unsettled > 0) await settleKey(key, s, 0);
        }),
      );
    },
    stop() {
      clearInterval(timer);
    },
  };
}
