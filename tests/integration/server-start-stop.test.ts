import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/lib/db";
import { setEnv } from "@/tests/support/test-db";
import { freePort } from "@/scripts/lib/free-port.mjs";

// The production server as operators run it, on the embedded database in a
// temp directory and a free port. Runs in both test modes: it never touches
// DATABASE_URL's server. Needs a build; `npm test` builds before this suite,
// and scripts/start.mjs builds itself when the build is missing or stale.

const ROOT = path.resolve(import.meta.dirname, "../..");
const MIGRATIONS = fs.readdirSync(path.join(ROOT, "prisma/migrations")).filter((d) => fs.statSync(path.join(ROOT, "prisma/migrations", d)).isDirectory());

type Running = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };

let dataDir: string;
const running: ChildProcess[] = [];
const savedDataDir = process.env.SWITCHBOARD_DATA_DIR;
const savedDatabaseUrl = process.env.DATABASE_URL;

/** Starts `node <script>` in its own process group (like a terminal's foreground job) and waits for the URL announcement. */
async function start(script: string, extraEnv: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: "", SWITCHBOARD_LOG_LEVEL: "info", ...extraEnv };
  // Not NODE_ENV: vitest sets "test"; the server runs with its default, production.
  Reflect.deleteProperty(env, "NODE_ENV");
  if (!extraEnv.NEXTAUTH_URL) Reflect.deleteProperty(env, "NEXTAUTH_URL");
  const child = spawn(process.execPath, [script], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  for (let i = 0; i < 3000 && !output.includes(`Switchboard is ready on http://localhost:${port}`); i++) {
    if (child.exitCode !== null) throw new Error(`server exited before announcing its URL:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!output.includes(`Switchboard is ready on http://localhost:${port}`)) throw new Error(`no URL announcement:\n${output}`);
  return { child, port, output: () => output, exited };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-start-"));
  // A row written before the server runs: it must survive the server's Ctrl+C.
  setEnv("DATABASE_URL", undefined);
  setEnv("SWITCHBOARD_DATA_DIR", dataDir);
  const prisma = await db();
  await prisma.organization.create({ data: { name: "Kept across restarts" } });
  await closeDb();
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
  await closeDb();
  setEnv("SWITCHBOARD_DATA_DIR", savedDataDir);
  setEnv("DATABASE_URL", savedDatabaseUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the server", () => {
  it("npm start opens the database before announcing the URL and stops exactly once on a double Ctrl+C", async () => {
    const server = await start("scripts/start.mjs");
    const announcement = `Switchboard is ready on http://localhost:${server.port}`;
    expect(server.output()).toMatch(new RegExp(`${announcement} \\(started in \\d+\\.\\d s\\)`));
    // The database was opened and migrated before the URL was printed, so the first request does not wait for it.
    const dbReady = server.output().indexOf('"message":"database ready"');
    expect(dbReady).toBeGreaterThan(-1);
    expect(dbReady).toBeLessThan(server.output().indexOf(announcement));

    // The first request after the announcement is served by this process, on the already open database.
    const first = await fetch(`http://127.0.0.1:${server.port}/login`, { redirect: "manual" });
    expect([200, 307]).toContain(first.status);
    expect(server.output().match(/"message":"database ready"/g)).toHaveLength(1);
    expect(fs.existsSync(path.join(dataDir, "switchboard.lock"))).toBe(true);

    // Ctrl+C twice in a row, to the whole process group.
    process.kill(-server.child.pid!, "SIGINT");
    process.kill(-server.child.pid!, "SIGINT");
    expect(await server.exited).toBe(130);
    expect(server.output().match(/Stopping Switchboard/g)).toHaveLength(1);
    expect(server.output()).toContain("Switchboard stopped.");
    expect(fs.existsSync(path.join(dataDir, "switchboard.lock"))).toBe(false);

    // The data is intact: it opens again with the row from before and every migration recorded once.
    const prisma = await db();
    expect(await prisma.organization.findMany({ select: { name: true } })).toEqual([{ name: "Kept across restarts" }]);
    const applied = await prisma.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(applied[0]!.n).toBe(MIGRATIONS.length);
    await closeDb();
  }, 300_000);

  it("npm start refuses a bad PORT or SWITCHBOARD_HOST before it builds, naming the variable", async () => {
    for (const [name, value, rule] of [
      ["PORT", "eighty", /PORT: must be a port number \(1–65535\)/],
      ["SWITCHBOARD_HOST", "0.0.0.0 --inspect", /SWITCHBOARD_HOST: must be an interface address/],
    ] as const) {
      const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: ROOT, env: { ...process.env, [name]: value }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(code, output).toBe(1);
      expect(output).toMatch(/Switchboard cannot start: Invalid configuration in the environment:/);
      expect(output).toMatch(rule);
      expect(output).not.toContain("prisma client generated");
    }
  });

  it("behind an https public URL sends HSTS, upgrades requests and names its cookies __Host-", async () => {
    const server = await start("server/main.mjs", { NEXTAUTH_URL: "https://switchboard.example.com" });
    const page = await fetch(`http://127.0.0.1:${server.port}/login`, { redirect: "manual" });
    expect(page.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");

    const csrf = await fetch(`http://127.0.0.1:${server.port}/api/auth/csrf`);
    const cookies = csrf.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__Host-next-auth\./);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Domain=/i);
    }

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(143);
    expect(fs.existsSync(path.join(dataDir, "switchboard.lock"))).toBe(false);
  }, 300_000);
});
