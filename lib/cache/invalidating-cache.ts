import { LRUCache } from "lru-cache";

// A bounded in-process cache (entries and bytes) that never keeps a value a
// writer has since changed. The race it closes: a reader loads a row, a
// writer commits a change and invalidates, then the reader stores the row it
// loaded before the commit. So every load takes a ticket first, and `put`
// stores only when no invalidation happened since that ticket was taken.
// While `bypass` is on (the change stream is down, or was never started)
// nothing is served or stored: every read goes to the database.

export type TInvalidatingCache<V extends object> = {
  /** The cached value, or undefined (also while bypassing). */
  get(key: string): V | undefined;
  /** Taken before loading; null while bypassing (then the load is not stored). */
  ticket(): number | null;
  /** Stores a loaded value unless an invalidation happened since `ticket` was taken. */
  put(key: string, value: V, ticket: number | null): void;
  /** Drops one key; loads in flight (any key) are not stored. */
  forget(key: string): void;
  /** Drops everything; `bypass: true` keeps it empty until `resume()`. */
  flush(opts?: { bypass?: boolean }): void;
  resume(): void;
  readonly bypassing: boolean;
  readonly size: number;
  readonly bytes: number;
};

export type TCacheLimits<V> = { maxEntries: number; maxBytes: number; sizeOf: (value: V, key: string) => number };

export function createInvalidatingCache<V extends object>(limits: TCacheLimits<V>): TInvalidatingCache<V> {
  const lru = new LRUCache<string, V>({
    max: limits.maxEntries,
    maxSize: limits.maxBytes,
    // An entry larger than the whole budget is simply not stored.
    maxEntrySize: limits.maxBytes,
    sizeCalculation: (value, key) => Math.max(1, limits.sizeOf(value, key)),
  });
  let generation = 0;
  let bypass = true;
  return {
    get: (key) => (bypass ? undefined : lru.get(key)),
    ticket: () => (bypass ? null : generation),
    put(key, value, ticket) {
      if (ticket === null || bypass || ticket !== generation) return;
      lru.set(key, value);
    },
    forget(key) {
      generation += 1;
      lru.delete(key);
    },
    flush(opts = {}) {
      generation += 1;
      lru.clear();
      if (opts.bypass) bypass = true;
    },
    resume() {
      generation += 1;
      bypass = false;
    },
    get bypassing() {
      return bypass;
    },
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.calculatedSize;
    },
  };
}

/** A rough byte size of a flat JSON-like value (UTF-16 strings): enough to bound memory. */
export function approximateBytes(value: unknown): number {
  if (typeof value === "string") return 2 * value.length + 16;
  if (value === null || typeof value !== "object") return 16;
  let total = 32;
  for (const [k, v] of Object.entries(value)) total += 2 * k.length + approximateBytes(v);
  return total;
}
