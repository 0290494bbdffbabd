import "server-only";

// How many live-status streams one process keeps open: each holds a socket,
// timers and a periodic session query, so a user (many tabs, or a script
// opening streams in a loop) and the process as a whole are capped. A stream
// over the cap is refused (429 per user, 503 for the process) rather than
// closing an older one: closing would make two tabs evict each other in turn,
// since a closed EventSource reconnects by itself.

export const STREAMS_PER_USER = 5;
export const STREAMS_PER_PROCESS = 500;

export type TStreamSlot = { ok: true; release: () => void } | { ok: false; code: "too_many_streams" | "busy" };

export type TStreamSlots = {
  acquire(userId: string): TStreamSlot;
  /** The process cap alone: checked before the session's database query. */
  full(): boolean;
  open(userId?: string): number;
};

export function createStreamSlots(limits: { perUser: number; perProcess: number }): TStreamSlots {
  const perUser = new Map<string, number>();
  let total = 0;
  return {
    acquire(userId) {
      if (total >= limits.perProcess) return { ok: false, code: "busy" };
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.perUser) return { ok: false, code: "too_many_streams" };
      perUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total -= 1;
          const left = (perUser.get(userId) ?? 1) - 1;
          if (left > 0) perUser.set(userId, left);
          else perUser.delete(userId);
        },
      };
    },
    full: () => total >= limits.perProcess,
    open: (userId) => (userId === undefined ? total : (perUser.get(userId) ?? 0)),
  };
}

// One table per process, also when the route module is loaded twice (dev reloads).
const state = globalThis as typeof globalThis & { __switchboardStreamSlots?: TStreamSlots };

export function connectionStreamSlots(): TStreamSlots {
  return (state.__switchboardStreamSlots ??= createStreamSlots({ perUser: STREAMS_PER_USER, perProcess: STREAMS_PER_PROCESS }));
}
