import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Everything the workers printed (the canary test scans it). */
export const workerOutput: string[] = [];

export type TWorker = { started: Promise<void>; go(): void; result: Promise<Record<string, number>> };

/** Starts tests/fixtures/oauth-worker.ts in its own Node process (tsx, react-server conditions). */
export function startWorker(env: Record<string, string>): TWorker {
  const child: ChildProcessWithoutNullStreams = spawn(
    path.join(ROOT, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "tests/fixtures/oauth-worker.ts"],
    { cwd: ROOT, env: { ...process.env, ...env } },
  );
  let stdout = "";
  let stderr = "";
  let onReady!: () => void;
  const started = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes("ready\n")) onReady();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<Record<string, number>>((resolve, reject) => {
    child.on("close", (code) => {
      workerOutput.push(stdout, stderr);
      const line = stdout.split("\n").find((l) => l.startsWith("result "))?.slice(7);
      if (code !== 0 || !line) reject(new Error(`worker exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve((JSON.parse(line) as { tally: Record<string, number> }).tally);
    });
  });
  return { started, go: () => child.stdin.write("go\n"), result };
}
