// `npm start`: validate the launcher's settings, generate the Prisma client,
// build when the sources changed since the last build, then run the server in
// THIS process (server/main.mjs, Next.js in custom-server mode). One process
// means a terminal's Ctrl+C reaches the server once per keypress, and the
// server shuts down exactly once. Migrations run as the server boots, on the
// embedded database unless DATABASE_URL is set.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseLaunchEnv } from "../lib/launch-env.mjs";
import { buildState } from "./build-state.mjs";

const startedAt = performance.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

// A bad PORT or SWITCHBOARD_HOST stops here, before a minute of building.
try {
  parseLaunchEnv(process.env);
} catch (err) {
  console.error(`\nSwitchboard cannot start: ${err.message}\n`);
  process.exit(1);
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ["scripts/prisma-generate.mjs"]);
if (buildState(root) !== "fresh") run(path.join("node_modules", ".bin", "next"), ["build"]);
else console.log("build is up to date");

const { startServer } = await import("../server/main.mjs");
await startServer({ startedAt });
