import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { freePort } from "@/scripts/lib/free-port.mjs";

// The production server (server/main.mjs, as `npm start` runs it after its
// build) as a child process on a test's PostgreSQL database and a free port.
// It inherits the test's keys (SWITCHBOARD_ENCRYPTION_KEYS, the API key
// pepper) so both read the same rows. Needs a build (`npm run build`).

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXTAUTH_SECRET = randomBytes(32).toString("base64");

export type TAppServer = {
  url: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM and wait for the exit (its shutdown flushes what it counted); resolves with the exit code. */
  stop(): Promise<number | null>;
};

export async function startAppServer(opts: { databaseUrl: string; env?: Record<string, string> }): Promise<TAppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SWITCHBOARD_HOST: "127.0.0.1",
    DATABASE_URL: opts.databaseUrl,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET,
    SWITCHBOARD_LOG_LEVEL: "info",
    ...opts.env,
  };
  // Not vitest's "test": the server runs as in production.
  Reflect.deleteProperty(env, "NODE_ENV");
  const child: ChildProcess = spawn(process.execPath, ["server/main.mjs"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = `Switchboard is ready on http://localhost:${port}`;
  for (let i = 0; i < 1200 && !output.includes(ready); i++) {
    if (child.exitCode !== null) throw new Error(`server exited before announcing its URL:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!output.includes(ready)) {
    child.kill("SIGKILL");
    throw new Error(`no URL announcement within 120 s:\n${output}`);
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
