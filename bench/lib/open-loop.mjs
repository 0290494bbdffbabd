// Open-loop load at a fixed rate, run as a child process (never inside the
// server's process): request i is due at t0 + i/rate whether or not earlier
// ones have answered, and its latency counts from that due time, not from
// when it was actually sent — so a stalled server shows up in the
// percentiles instead of silently slowing the sender (coordinated omission).
// autocannon's overallRate sends each second's quota in a burst; this does not.
// The first warmupSec of requests go out at the same rate but are not counted:
// they open the pool's connections and warm both servers (JIT, the consumer
// key's verification, the database pool) so the figures describe steady state.
//
// argv[2]: JSON { url, method, headers, body?, rate, durationSec, warmupSec?, connections }
// stdout: JSON { sent, warmup, ok, failed, statuses, p50, p90, p99, max, sendLagP99, achievedRate } (ms)
import { performance } from "node:perf_hooks";
import { Pool } from "undici";

const opts = JSON.parse(process.argv[2]);
const url = new URL(opts.url);
const pool = new Pool(url.origin, { connections: opts.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 });
const warmup = Math.round(opts.rate * (opts.warmupSec ?? 0));
const total = warmup + Math.round(opts.rate * opts.durationSec);
const interval = 1000 / opts.rate;
const latencies = new Float64Array(total).fill(NaN);
const sendLag = new Float64Array(total);
const statuses = {};
let done = 0;
let ok = 0;
let finished = false;

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const dueAt = (i) => t0 + i * interval;

function fire(i, due) {
  sendLag[i] = performance.now() - due;
  pool
    .request({ path: url.pathname + url.search, method: opts.method ?? "GET", headers: opts.headers, body: opts.body })
    .then(async ({ statusCode, body }) => {
      await body.text();
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) ok++;
    })
    .catch((err) => {
      statuses[err.code ?? "error"] = (statuses[err.code ?? "error"] ?? 0) + 1;
    })
    .finally(() => {
      if (finished) return;
      latencies[i] = performance.now() - due;
      if (++done === total) finish();
    });
}

const t0 = performance.now() + 20;
let next = 0;
function tick() {
  // Everything due by now goes out, late or not; then sleep until the next due time.
  const now = performance.now();
  while (next < total && t0 + next * interval <= now) {
    fire(next, dueAt(next));
    next++;
  }
  if (next < total) setTimeout(tick, Math.max(0, dueAt(next) - performance.now()));
}
const started = t0;
setTimeout(tick, 20);
// A request still unanswered 30 s after the last one was due counts as failed, with its latency so far.
const deadline = setTimeout(finish, ((opts.warmupSec ?? 0) + opts.durationSec) * 1000 + 30_000);

async function finish() {
  if (finished) return;
  finished = true;
  clearTimeout(deadline);
  const now = performance.now();
  for (let i = 0; i < total; i++) {
    if (!Number.isNaN(latencies[i])) continue;
    latencies[i] = now - dueAt(i);
    statuses.unanswered = (statuses.unanswered ?? 0) + 1;
  }
  const elapsed = (now - started) / 1000;
  // Percentiles of the measured requests only; failures of any request (warm-up included) count.
  const sorted = Float64Array.from(latencies.subarray(warmup)).sort();
  const lag = Float64Array.from(sendLag.subarray(warmup)).sort();
  const r = (v) => Math.round(v * 100) / 100;
  process.stdout.write(
    JSON.stringify({
      sent: total,
      warmup,
      ok,
      failed: total - ok,
      statuses,
      p50: r(percentile(sorted, 50)),
      p90: r(percentile(sorted, 90)),
      p99: r(percentile(sorted, 99)),
      max: r(sorted[sorted.length - 1]),
      sendLagP99: r(percentile(lag, 99)),
      achievedRate: r(total / elapsed),
    }) + "\n",
  );
  await pool.destroy();
  process.exit(0);
}
