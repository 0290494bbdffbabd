// Playwright's webServer command: runs `next start` and appends everything it
// prints to E2E_SERVER_LOG (the canary test reads that file), echoing it too.
//
// next runs in its own process group: Playwright signals the whole group of
// this wrapper, and a second SIGTERM arriving while the app closes its
// embedded database would kill it mid-close. This wrapper forwards exactly one
// SIGTERM and writes next's pid to E2E_SERVER_PID, so scripts/e2e.mjs can stop
// a server left behind if the wrapper itself is killed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const { E2E_PORT, E2E_SERVER_LOG, E2E_SERVER_PID } = process.env;
if (!E2E_PORT || !E2E_SERVER_LOG || !E2E_SERVER_PID) {
  console.error("e2e/support/server.mjs needs E2E_PORT, E2E_SERVER_LOG and E2E_SERVER_PID (run `npm run test:e2e`).");
  process.exit(2);
}

fs.mkdirSync(path.dirname(E2E_SERVER_LOG), { recursive: true });
const logFile = fs.createWriteStream(E2E_SERVER_LOG, { flags: "a" });

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "1" };
delete env.FORCE_COLOR; // set by Playwright; keeps escape codes out of the log

const next = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", E2E_PORT, "-H", "127.0.0.1"], {
  env,
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
fs.writeFileSync(E2E_SERVER_PID, String(next.pid));

next.stdout.on("data", (chunk) => {
  logFile.write(chunk);
  process.stdout.write(chunk);
});
next.stderr.on("data", (chunk) => {
  logFile.write(chunk);
  process.stderr.write(chunk);
});

let forwarded = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (forwarded) return;
    forwarded = true;
    next.kill(signal);
  });
}

next.on("exit", (code, signal) => {
  logFile.end(() => process.exit(code ?? (signal ? 0 : 1)));
});
