import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// A second app process on the same PostgreSQL database (the e2e server's), to
// show that changes made through one instance reach browsers on another.

export type TSecondServer = { baseURL: string; stop(): Promise<void> };

export async function startSecondServer(opts: { port: number; databaseUrl: string; logFile: string }): Promise<TSecondServer> {
  const baseURL = `http://127.0.0.1:${opts.port}`;
  const log = fs.createWriteStream(opts.logFile, { flags: "a" });
  // The same server `npm start` runs (server/main.mjs), on another port.
  const child: ChildProcess = spawn(process.execPath, [path.join("server", "main.mjs")], {
    env: {
      ...process.env,
      PORT: String(opts.port),
      SWITCHBOARD_HOST: "127.0.0.1",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET!,
      DATABASE_URL: opts.databaseUrl,
      SWITCHBOARD_ENCRYPTION_KEYS: process.env.E2E_ENCRYPTION_KEYS ?? "",
      SWITCHBOARD_API_KEY_PEPPER: process.env.E2E_API_KEY_PEPPER ?? "",
      SWITCHBOARD_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`second server exited with ${child.exitCode}; see ${opts.logFile}`);
    try {
      const res = await fetch(`${baseURL}/api/auth/csrf`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("second server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseURL,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}
