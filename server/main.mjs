// The Switchboard server: one Node process running Next.js in custom-server
// mode (next({ dev: false, dir, hostname, port })). `npm start`
// (scripts/start.mjs) imports it after generating and building; e2e and
// integration tests run it the same way. The consumer data plane (/api/v1,
// Fastify; lib/consumer-api/data-plane.ts) answers in front of Next's request
// handler: the boot builds it from the app's compiled code and hands it over
// (lib/lifecycle.mjs provideDataPlane); /api/v1 requests never reach Next.
//
// Order matters to the operator watching the terminal:
//   1. Next.js prepares; its instrumentation register() (lib/boot.ts) opens and
//      migrates the database and loads the keys — we wait for it;
//   2. only then do we listen, and only once listening do we print the URL,
//      so the first request is served at once.
// SIGINT/SIGTERM: lib/lifecycle.mjs shuts down exactly once — stop accepting
// connections, close Next.js, then the database — however many signals arrive.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseLaunchEnv } from "../lib/launch-env.mjs";
import { dataPlane, expectBoot, installSignalHandlers, isShuttingDown, onShutdown } from "../lib/lifecycle.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// A request still running this long after a stop signal is cut off, so the
// database still closes within lib/lifecycle.mjs's shutdown budget.
const DRAIN_MS = 3_000;
// Next.js runs instrumentation's register() while app.prepare() creates its
// server; should a later version defer it to the first request, listen anyway
// after this long (the first request then opens the database) rather than hang.
const BOOT_WAIT_MS = 120_000;

/** Settles when the server stops listening; idle keep-alive sockets close at once, busy ones after their response or DRAIN_MS. */
function closeHttpServer(server) {
  return new Promise((resolve) => {
    const cutOff = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    server.close(() => {
      clearTimeout(cutOff);
      resolve(undefined);
    });
    server.closeIdleConnections();
  });
}

/** Whether a request's path is the consumer API's (/api/v1 or below); the query string is not part of it. */
export function isDataPlanePath(url = "") {
  return url.startsWith("/api/v1") && (url.length === 7 || url[7] === "/" || url[7] === "?");
}

/** Resolves when the boot reported, or after BOOT_WAIT_MS with a warning. */
function bootOrTimeout(booted) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => {
      console.warn(`The database was not opened within ${BOOT_WAIT_MS / 1000} s of start; serving anyway (the first request opens it).`);
      resolve(undefined);
    }, BOOT_WAIT_MS);
  });
  return Promise.race([booted, late]).finally(() => clearTimeout(timer));
}

/**
 * Starts the server and resolves once it listens.
 * @param {{ startedAt?: number }} [options] startedAt: `performance.now()` when start-up began (defaults to now)
 */
export async function startServer({ startedAt = performance.now() } = {}) {
  let launch;
  try {
    launch = parseLaunchEnv(process.env);
  } catch (err) {
    console.error(`\nSwitchboard cannot start: ${err.message}\n`);
    process.exit(1);
  }
  const { PORT: port, SWITCHBOARD_HOST: host } = launch;
  const localUrl = `http://localhost:${port}`;

  // What `next start` would set, before Next.js or the app reads them.
  process.env.NODE_ENV ||= "production";
  process.env.NEXT_TELEMETRY_DISABLED ||= "1";
  // next-auth builds its redirects from NEXTAUTH_URL and would otherwise assume port 3000.
  process.env.NEXTAUTH_URL ||= localUrl;

  installSignalHandlers();
  const booted = expectBoot();
  const { default: next } = await import("next");
  const httpServer = http.createServer();
  const app = next({ dev: false, dir: ROOT, hostname: host, port, httpServer });
  await app.prepare();
  const handle = app.getRequestHandler();
  await bootOrTimeout(booted);
  if (isShuttingDown()) return;

  const consumerApi = dataPlane();
  if (!consumerApi) console.warn("The consumer API (/api/v1) is not available: the boot did not provide it.");
  httpServer.on("request", (req, res) => {
    if (consumerApi && isDataPlanePath(req.url)) consumerApi(req, res);
    else void handle(req, res);
  });
  await new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve(undefined));
  }).catch((err) => {
    const reason = err.code === "EADDRINUSE" ? `port ${port} on ${host} is already in use (set PORT to another one)` : err.message;
    console.error(`\nSwitchboard cannot start: ${reason}\n`);
    process.exit(1);
  });
  onShutdown("Next.js", () => app.close());
  onShutdown("HTTP server", () => closeHttpServer(httpServer));

  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`\nSwitchboard is ready on ${localUrl} (started in ${seconds} s)`);
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") console.log(`Listening on ${host}:${port} for other machines too.`);
  console.log("");
}

// `node server/main.mjs`: serve an existing build (the e2e and integration tests do this).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await startServer();
}
