// Playwright's webServer command: runs the production server exactly as
// `npm start` does after its build step (server/main.mjs: Next.js in
// custom-server mode, database opened before the URL is announced) and
// appends everything it prints to E2E_SERVER_LOG (the canary test reads that
// file), echoing it too.
//
// The server runs in its own process group and writes its pid to
// E2E_SERVER_PID, so scripts/e2e.mjs can stop a server left behind if this
// wrapper itself is killed. Signals are forwarded once; the server would
// shut down once anyway (lib/lifecycle.mjs).
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

const env = { ...process.env, PORT: E2E_PORT, SWITCHBOARD_HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" };
delete env.FORCE_COLOR; // set by Playwright; keeps escape codes out of the log

const server = spawn(process.execPath, [path.join("server", "main.mjs")], {
  env,
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
fs.writeFileSync(E2E_SERVER_PID, String(server.pid));

server.stdout.on("data", (chunk) => {
  logFile.write(chunk);
  process.stdout.write(chunk);
});
server.stderr.on("data", (chunk) => {
  logFile.write(chunk);
  process.stderr.write(chunk);
});

let forwarded = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (forwarded) return;
    forwarded = true;
    server.kill(signal);
  });
}

server.on("exit", (code, signal) => {
  logFile.end(() => process.exit(code ?? (signal ? 0 : 1)));
});
