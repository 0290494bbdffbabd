import "server-only";

// A password hash costs ~0.5–1 s of one core and 128 MiB. Without a bound,
// a burst of sign-ins (or setup / invite submissions) would run them all at
// once and starve the server of CPU and memory. At most HASH_CONCURRENCY run
// in this process; up to HASH_QUEUE_LIMIT more wait their turn; beyond that
// the caller is told the server is busy, at once and without hashing.

export const HASH_CONCURRENCY = 2;
export const HASH_QUEUE_LIMIT = 64;

export class HashQueueFullError extends Error {
  constructor() {
    super("Too many password checks are waiting; try again in a moment.");
    this.name = "HashQueueFullError";
  }
}

type TSlots = { running: number; waiting: (() => void)[] };
const state = globalThis as typeof globalThis & { __switchboardHashSlots?: TSlots };
const slots = (state.__switchboardHashSlots ??= { running: 0, waiting: [] });

function acquire(): Promise<void> {
  if (slots.running < HASH_CONCURRENCY) {
    slots.running++;
    return Promise.resolve();
  }
  if (slots.waiting.length >= HASH_QUEUE_LIMIT) return Promise.reject(new HashQueueFullError());
  // The slot is handed over by release(): `running` stays counted for the next in line.
  return new Promise((resolve) => slots.waiting.push(resolve));
}

function release(): void {
  const next = slots.waiting.shift();
  if (next) next();
  else slots.running--;
}

/** Runs `work` (one password hash or verification) in one of the process's hash slots. */
export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await work();
  } finally {
    release();
  }
}

/** Hashes running right now (tests observe the bound with it). */
export function hashesRunning(): number {
  return slots.running;
}
