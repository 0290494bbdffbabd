import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The embedded database (PGlite in SWITCHBOARD_DATA_DIR) across real
// processes: one process at a time, and a SIGTERM closes it cleanly. Runs in
// both test modes: it never touches DATABASE_URL's server.

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURE = path.join(ROOT, "tests/fixtures/hold-embedded-db.ts");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

type Held = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> };

let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-embedded-"));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): Held {
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "test" };
  // tsx runs the fixture in a child node and forwards SIGTERM to it.
  const child = spawn(TSX, ["--conditions=react-server", FIXTURE], { cwd: ROOT, env });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function ready(held: Held): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const match = /ready (\d+)/.exec(held.stdout());
    if (match) return Number(match[1]);
    if (held.child.exitCode !== null) throw new Error(`holder exited: ${held.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("holder never became ready");
}

describe("embedded database across processes", () => {
  it("refuses a second process, closes cleanly on SIGTERM and keeps what was written", async () => {
    const first = start();
    expect(await ready(first)).toBe(1);
    const lockFile = path.join(dataDir, "switchboard.lock");
    expect(fs.readFileSync(lockFile, "utf8")).toMatch(/^\d+$/);

    // A second process (a CLI, a second `npm start`) fails with a clear message and writes nothing.
    const second = start();
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/The embedded database in .* is in use by another process \(pid \d+\)/);

    // SIGTERM: the database is closed and the lock released before the process exits.
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(143);
    expect(fs.existsSync(lockFile)).toBe(false);

    // The next process opens the same data and sees the first row (its own makes two).
    const third = start();
    expect(await ready(third)).toBe(2);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(143);
  }, 120_000);

  it("takes over a lock left by a process that died", async () => {
    const lockFile = path.join(dataDir, "switchboard.lock");
    fs.writeFileSync(lockFile, "2147483646"); // no such process
    const held = start();
    expect(await ready(held)).toBe(3);
    expect(fs.readFileSync(lockFile, "utf8")).not.toBe("2147483646");
    held.child.kill("SIGTERM");
    expect(await held.exited).toBe(143);
  }, 120_000);
});
