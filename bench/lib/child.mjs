// Load generators and the baseline server run in their own processes, so the
// process under test never shares an event loop with the one measuring it.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Runs bench/lib/<script> with one JSON argument; resolves with the JSON it prints. */
export function runJsonChild(script, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, script), JSON.stringify(args)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.once("exit", (code) => {
      const line = out.trim().split("\n").at(-1);
      if (code === 0 && line) return resolve(JSON.parse(line));
      reject(new Error(`${script} exited with code ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Starts a long-running child that prints `readyLine` once it serves; resolves { pid, stop() }. */
export function startChild(script, env, readyLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, script)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const exited = new Promise((r) => child.once("exit", r));
    const onData = (c) => {
      output += c;
      if (output.includes(readyLine)) resolve({ pid: child.pid, stop: () => (child.kill("SIGTERM"), exited) });
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with code ${code} before it was ready: ${output.slice(-2000)}`)));
  });
}
