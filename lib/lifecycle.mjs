// The process's start-up and shutdown seam, shared by the custom server
// (server/main.mjs, plain Node) and the app's bundled code (lib/boot.ts,
// lib/db.ts). Both load their own copy of this file, so the state lives on
// globalThis under a registered symbol: one process, one set of closers, one
// signal handler.
//
// Shutdown runs exactly once however many signals arrive: a terminal's Ctrl+C
// signals the whole process group, and an impatient second Ctrl+C must not
// kill the process while the embedded database closes.

const STATE = Symbol.for("switchboard.lifecycle");
// Long enough for PGlite to finish opening and close; never hang forever.
const SHUTDOWN_TIMEOUT_MS = 8_000;
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };

/** @returns {{ closers: { name: string, close: () => Promise<void> | void }[], installed: boolean, shuttingDown: boolean, boot?: { promise: Promise<void>, resolve: () => void }, dataPlane?: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void }} */
function state() {
  const g = /** @type {Record<symbol, any>} */ (globalThis);
  return (g[STATE] ??= { closers: [], installed: false, shuttingDown: false });
}

/**
 * Registers something to close on shutdown. Closers run one after another,
 * the last registered first (the HTTP server stops before the database closes).
 * @param {string} name
 * @param {() => Promise<void> | void} close
 */
export function onShutdown(name, close) {
  state().closers.push({ name, close });
}

/**
 * Runs every closer once, then exits with the signal's conventional code.
 * Later calls (more signals) do nothing.
 * @param {"SIGINT" | "SIGTERM"} signal
 */
export async function shutdown(signal) {
  const s = state();
  if (s.shuttingDown) return;
  s.shuttingDown = true;
  const code = EXIT_CODES[signal] ?? 1;
  console.log(`Stopping Switchboard (${signal})…`);
  setTimeout(() => {
    console.error(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting.`);
    process.exit(code);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  for (const closer of [...s.closers].reverse()) {
    try {
      await closer.close();
    } catch (err) {
      console.error(`Closing ${closer.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log("Switchboard stopped.");
  process.exit(code);
}

/** Installs the SIGINT/SIGTERM handlers once per process (`on`, not `once`: a second signal must find a handler). */
export function installSignalHandlers() {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => void shutdown(signal));
}

/** True once a signal has started the shutdown. */
export function isShuttingDown() {
  return state().shuttingDown;
}

/**
 * The custom server calls this before Next.js loads, then awaits the promise:
 * instrumentation's register() (lib/boot.ts) resolves it once the database is
 * open and migrated, so the URL is announced only when the first request can
 * be served at once.
 * @returns {Promise<void>}
 */
export function expectBoot() {
  const s = state();
  if (!s.boot) {
    /** @type {() => void} */
    let resolve = () => undefined;
    const promise = new Promise((r) => (resolve = () => r(undefined)));
    s.boot = { promise, resolve };
  }
  return s.boot.promise;
}

/** lib/boot.ts reports a finished boot; without a waiting custom server (next dev, tests) this does nothing. */
export function reportBooted() {
  state().boot?.resolve();
}

/**
 * lib/boot.ts hands over the consumer data plane's request handler (Fastify,
 * built from the app's compiled lib/ code) before it reports the boot; the
 * custom server routes /api/v1 to it.
 * @param {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void} handler
 */
export function provideDataPlane(handler) {
  state().dataPlane = handler;
}

/** The data plane's handler, once the boot provided it. */
export function dataPlane() {
  return state().dataPlane;
}
