// `npm run test:e2e`: browser tests against a production build on a fresh database.
//
// - builds first when .next/BUILD_ID is missing or older than the sources;
// - picks a free port on 127.0.0.1;
// - with DATABASE_URL set, creates `switchboard_e2e_<random>` on that server and
//   drops it afterwards (WITH (FORCE)); without it, uses a temporary
//   SWITCHBOARD_DATA_DIR for the embedded database;
// - runs Playwright, passing everything through E2E_* variables that
//   playwright.config.ts reads. The exit code is Playwright's.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildState } from "./build-state.mjs";
import { CHROMIUM, chromiumExecutable } from "./lib/chromium.mjs";
import { freePort } from "./lib/free-port.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

function log(message) {
  console.log(`[e2e] ${message}`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/** The server wrapper writes next's pid; a server Playwright failed to stop is stopped here (by that pid only). */
async function stopLeftoverServer(pidFile) {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`server pid ${pid} is still running; sending SIGTERM`);
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

async function createDatabase(adminUrl) {
  const { default: pg } = await import("pg");
  const name = `switchboard_e2e_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  return { name, url: url.toString(), drop };
}

async function main() {
  const started = Date.now();
  const state = buildState(root);
  if (state !== "fresh") {
    log(state === "missing" ? "no build found (.next/BUILD_ID); running npm run build" : "sources changed since the last build; running npm run build");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) return build.status ?? 1;
  }

  // Run files live beside Playwright's own output (test-results/playwright), which Playwright wipes on start.
  const runDir = path.resolve("test-results", "e2e");
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });

  const port = await freePort();
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    E2E_PORT: String(port),
    // The OpenID Connect stand-in (tests/support/standins/oidc-main.ts) the OAuth tests sign in at.
    E2E_OIDC_PORT: String(await freePort()),
    E2E_OIDC_CLIENT_ID: "switchboard-e2e",
    E2E_OIDC_CLIENT_SECRET: randomBytes(18).toString("base64url"),
    E2E_RUN_DIR: runDir,
    E2E_SERVER_LOG: path.join(runDir, "server.log"),
    E2E_SERVER_PID: path.join(runDir, "server.pid"),
    E2E_NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    // Provider stand-ins the tests start (e2e/support/standins.ts); the server is pointed at them.
    E2E_STANDIN_HTTP_PORT: String(await freePort()),
    E2E_STANDIN_SMTP_PORT: String(await freePort()),
    E2E_SECOND_PORT: String(await freePort()),
    // Debian's Chromium headless shell, or the full browser when the shell is not installed (scripts/lib/chromium.mjs).
    E2E_CHROMIUM: chromiumExecutable() ?? CHROMIUM,
  };
  // The server must never see the developer's own database settings.
  delete env.DATABASE_URL;
  delete env.SWITCHBOARD_DATA_DIR;
  delete env.SWITCHBOARD_ENCRYPTION_KEYS;
  delete env.SWITCHBOARD_API_KEY_PEPPER;

  const cleanups = [];
  if (process.env.DATABASE_URL) {
    const database = await createDatabase(process.env.DATABASE_URL);
    log(`PostgreSQL database ${database.name}`);
    env.E2E_DB_KIND = "postgres";
    env.E2E_DATABASE_URL = database.url;
    // The server runs with NODE_ENV=production, which requires explicit keys with DATABASE_URL.
    env.E2E_ENCRYPTION_KEYS = `1:${randomBytes(32).toString("base64")}`;
    env.E2E_API_KEY_PEPPER = `1:${randomBytes(32).toString("base64")}`;
    cleanups.push(async () => {
      await database.drop();
      log(`dropped ${database.name}`);
    });
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-e2e-"));
    log(`embedded database in ${dataDir}`);
    env.E2E_DB_KIND = "pglite";
    env.E2E_DATA_DIR = dataDir;
    cleanups.push(async () => {
      // lib/db/data-dir-lock.ts removes the lock when the server closes the database on SIGTERM.
      if (fs.existsSync(path.join(dataDir, "switchboard.lock"))) {
        console.error("[e2e] warning: the server did not close the embedded database cleanly (lock file left behind)");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
  }
  log(`server on http://127.0.0.1:${port}, log in ${path.relative(root, env.E2E_SERVER_LOG)}`);

  let code = 1;
  try {
    const child = spawn(path.join("node_modules", ".bin", "playwright"), ["test", ...process.argv.slice(2)], { stdio: "inherit", env });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    code = await new Promise((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  } finally {
    await stopLeftoverServer(env.E2E_SERVER_PID);
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`[e2e] cleanup failed: ${err.message}`);
      }
    }
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${code}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
