// `npm start`: generate the Prisma client, build when the sources changed
// since the last build, then serve. Migrations run inside the server as it
// starts (instrumentation.ts), on the embedded database unless DATABASE_URL is set.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name === "node_modules") continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const buildId = path.join(".next", "BUILD_ID");
const sources = ["app", "components", "lib", "prisma", "public", "package.json", "next.config.mjs", "tailwind.config.ts"];
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...sources.map((s) => (fs.existsSync(s) && fs.statSync(s).isDirectory() ? newestMtime(s) : fs.existsSync(s) ? fs.statSync(s).mtimeMs : 0)));

run(process.execPath, ["scripts/prisma-generate.mjs"]);
if (changedAt > builtAt) run(path.join("node_modules", ".bin", "next"), ["build"]);
else console.log("build is up to date");

const port = process.env.PORT ?? "3000";
// Loopback by default (/setup also needs the one-time link the server prints).
// SWITCHBOARD_HOST=0.0.0.0 opts in to other machines. (Not HOSTNAME:
// containers set that to their own name.)
const host = process.env.SWITCHBOARD_HOST || "127.0.0.1";
console.log(`\nSwitchboard is starting on http://localhost:${port}`);
console.log("First run? The server prints a one-time setup link once the database is ready.\n");
// NEXT_MANUAL_SIG_HANDLE: Next.js would exit on SIGTERM before the embedded
// database is closed; lib/db.ts closes it and then exits.
const server = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", port, "-H", host], {
  stdio: "inherit",
  // next-auth builds its redirects from NEXTAUTH_URL and would otherwise assume port 3000.
  env: { ...process.env, NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`, NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "1" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
