import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/lib/db";
import { setEnv } from "@/tests/support/test-db";

// `npm start` as an operator runs it: scripts/start.mjs (generate, build when
// stale, then the server in the same process) on the embedded database in a
// temp directory and a free port. Runs in both test modes: it never touches
// DATABASE_URL's server. Needs a build; `npm test` builds before this suite,
// and start.mjs builds itself when the build is missing or stale.

const ROOT = path.resolve(import.meta.dirname, "../..");
const MIGRATIONS = fs.readdirSync(path.join(ROOT, "prisma/migrations")).filter((d) => fs.statSync(path.join(ROOT, "prisma/migrations", d)).isDirectory());

let dataDir: string;
let server: ChildProcess | undefined;
const savedDataDir = process.env.SWITCHBOARD_DATA_DIR;
const savedDatabaseUrl = process.env.DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, check: () => T | undefined, exited: () => boolean, output: () => string): Promise<T> {
  for (let i = 0; i < 2400; i++) {
    const value = check();
    if (value !== undefined) return value;
    if (exited()) throw new Error(`server exited before ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}:\n${output()}`);
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
  if (server?.exitCode === null && server.pid) process.kill(-server.pid, "SIGKILL");
  await closeDb();
  setEnv("SWITCHBOARD_DATA_DIR", savedDataDir);
  setEnv("DATABASE_URL", savedDatabaseUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("opens the database before announcing the URL and stops exactly once on a double Ctrl+C", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: "", SWITCHBOARD_LOG_LEVEL: "info" };
    // Not NODE_ENV (vitest sets "test"; npm start runs with its default, production) nor a public URL.
    Reflect.deleteProperty(env, "NODE_ENV");
    Reflect.deleteProperty(env, "NEXTAUTH_URL");
    // Its own process group, like a terminal's foreground job: Ctrl+C signals the whole group.
    const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    server = child;
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

    const announcement = `Switchboard is ready on http://localhost:${port}`;
    await until("the URL announcement", () => (output.includes(announcement) ? true : undefined), () => child.exitCode !== null, () => output);
    expect(output).toMatch(new RegExp(`${announcement} \\(started in \\d+\\.\\d s\\)`));
    // The database was opened and migrated before the URL was printed, so the first request does not wait for it.
    const dbReady = output.indexOf('"message":"database ready"');
    expect(dbReady).toBeGreaterThan(-1);
    expect(dbReady).toBeLessThan(output.indexOf(announcement));

    // The first request after the announcement is served by this process, on the open database.
    const first = await fetch(`http://127.0.0.1:${port}/login`, { redirect: "manual" });
    expect([200, 307]).toContain(first.status);
    expect(output.match(/"message":"database ready"/g)).toHaveLength(1);
    expect(fs.existsSync(path.join(dataDir, "switchboard.lock"))).toBe(true);

    // Ctrl+C twice in a row, to the whole process group.
    process.kill(-child.pid!, "SIGINT");
    process.kill(-child.pid!, "SIGINT");
    const { code } = await exited;
    expect(code).toBe(130);
    expect(output.match(/Stopping Switchboard/g)).toHaveLength(1);
    expect(output).toContain("Switchboard stopped.");
    expect(fs.existsSync(path.join(dataDir, "switchboard.lock"))).toBe(false);

    // The data is intact: it opens again with the row from before and every migration recorded once.
    const prisma = await db();
    expect(await prisma.organization.findMany({ select: { name: true } })).toEqual([{ name: "Kept across restarts" }]);
    const applied = await prisma.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(applied[0]!.n).toBe(MIGRATIONS.length);
  }, 300_000);
});
