import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside a React Server Component bundle; tests
      // import server modules directly, so resolve it to an empty module.
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    // Worker threads start faster than forked processes (each test file imports the whole lib graph
    // afresh), and a third worker fills the time files spend waiting on servers they spawn: on 2 cores the
    // integration suite went from ~415 s (threads, 2 workers) to ~290 s. scrypt runs in libuv's pool, which
    // threads share: scripts/test.mjs sets UV_THREADPOOL_SIZE=8.
    pool: "threads",
    maxWorkers: 3,
    // A hang guard, not a speed check: scrypt-heavy tests (N=2^17) share two cores with two other workers.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
