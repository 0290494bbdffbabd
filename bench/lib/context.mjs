// The context every bench scenario receives: `run(ctx)` in bench/<name>.mjs.
//
//   ctx.root          absolute path of the repository
//   ctx.databaseUrl   postgresql://… of a fresh `switchboard_bench_<random>`
//                     database (empty until the first server or seed script
//                     migrates it; dropped WITH (FORCE) when the run ends)
//   ctx.serverEnv     the environment every server and seed script gets:
//                     DATABASE_URL, fresh SWITCHBOARD_ENCRYPTION_KEYS,
//                     SWITCHBOARD_API_KEY_PEPPER, NEXTAUTH_SECRET, NODE_ENV=production,
//                     high API and consumer rate limits, SWITCHBOARD_LOG_LEVEL=warn
//   ctx.startServer(env?) → Promise<{ url, port, pid, stop() }>
//                     a real `node server/main.mjs` on 127.0.0.1:<free port>,
//                     resolved once it announced "Switchboard is ready";
//                     `env` is merged over ctx.serverEnv; stop() sends SIGTERM
//                     and waits for the exit (every server is stopped at the end anyway)
//   ctx.runTs(file, args?, env?) → Promise<string>
//                     runs a TypeScript file with tsx (--conditions=react-server,
//                     so `server-only` modules load) in ctx.serverEnv; resolves
//                     with its stdout, rejects with its stderr on a non-zero exit
//   ctx.freePort()    a free TCP port on 127.0.0.1
//   ctx.log(message)  progress line on stderr (the table goes to stdout)
//   ctx.quick         true with --quick: scenarios shorten durations/sizes
//
// A scenario returns { title, rows: [{ metric, value, unit, baseline?, ratio?, target?, pass? }] }.
// Each scenario is runnable alone: `node bench/<name>.mjs` calls runAlone().
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildState } from "../../scripts/build-state.mjs";
import { freePort } from "../../scripts/lib/free-port.mjs";
import { formatTable } from "./table.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

const keyEntry = () => `1:${randomBytes(32).toString("base64")}`;

async function adminQuery(adminUrl, sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Builds with `npm run build` when .next is missing or older than the sources. */
export function ensureBuild() {
  const state = buildState(ROOT);
  if (state === "fresh") return;
  log(state === "missing" ? "no build found; running npm run build" : "sources changed since the last build; running npm run build");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error("npm run build failed");
}

function spawnServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["server/main.mjs"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let ready = false;
    const announce = `Switchboard is ready on http://localhost:${env.PORT}`;
    const timer = setTimeout(() => fail(new Error(`server did not announce itself within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
    function fail(err) {
      if (ready) return;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${err.message}\n--- server output ---\n${output.slice(-4000)}`));
    }
    const onData = (chunk) => {
      output += chunk;
      if (output.length > 64_000) output = output.slice(-32_000);
      if (!ready && output.includes(announce)) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, exited, output: () => output });
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => fail(new Error(`server exited with code ${code} before it was ready`)));
  });
}

/** Creates the database and the helpers; `close()` stops every server and drops the database. */
export async function createContext({ quick = false } = {}) {
  ensureBuild();
  const adminUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `switchboard_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  log(`PostgreSQL database ${name}`);

  const baseEnv = { ...process.env };
  for (const k of ["SWITCHBOARD_DATA_DIR", "SWITCHBOARD_ENCRYPTION_KEYS", "SWITCHBOARD_API_KEY_PEPPER", "NEXTAUTH_URL", "PORT"]) delete baseEnv[k];
  const serverEnv = {
    ...baseEnv,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    SWITCHBOARD_ENCRYPTION_KEYS: keyEntry(),
    SWITCHBOARD_API_KEY_PEPPER: keyEntry(),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    SWITCHBOARD_API_RATE_LIMIT_PER_MINUTE: "100000",
    // Still checked on every call (it is part of what is measured), never the limit that is hit.
    SWITCHBOARD_CONSUMER_RATE_LIMIT_PER_MINUTE: "10000000",
    SWITCHBOARD_LOG_LEVEL: "warn",
  };

  const servers = new Set();
  async function startServer(extra = {}) {
    const port = await freePort();
    const env = { ...serverEnv, ...extra, PORT: String(port), SWITCHBOARD_HOST: "127.0.0.1", NEXTAUTH_URL: `http://127.0.0.1:${port}` };
    const { child, exited, output } = await spawnServer(env);
    let stopped;
    const handle = {
      url: `http://127.0.0.1:${port}`,
      port,
      pid: child.pid,
      output,
      stop() {
        stopped ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
          servers.delete(handle);
        })();
        return stopped;
      },
    };
    servers.add(handle);
    return handle;
  }

  function runTs(file, args = [], extra = {}) {
    return new Promise((resolve, reject) => {
      const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
      const child = spawn(tsx, ["--conditions=react-server", file, ...args], { cwd: ROOT, env: { ...serverEnv, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.setEncoding("utf8").on("data", (c) => (out += c));
      child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
      child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} exited with code ${code}:\n${err.slice(-4000)}${out.slice(-2000)}`))));
    });
  }

  const ctx = { root: ROOT, databaseUrl, serverEnv, startServer, runTs, freePort, log, quick };
  async function close() {
    await Promise.all([...servers].map((s) => s.stop()));
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    log(`dropped ${name}`);
  }
  return { ctx, close };
}

/** `node bench/<name>.mjs [--quick]`: one scenario with its own database, printed as the same table. */
export async function runAlone(moduleUrl, run) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const { ctx, close } = await createContext({ quick: process.argv.includes("--quick") });
  let code = 0;
  try {
    const result = await run(ctx);
    console.log(formatTable([result]));
    code = result.rows.every((r) => r.pass !== false) ? 0 : 1;
  } catch (err) {
    console.error(err);
    code = 1;
  } finally {
    await close();
  }
  process.exit(code);
}
