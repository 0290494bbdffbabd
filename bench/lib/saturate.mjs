// Saturation throughput with autocannon, run as a child process: a short
// warm-up, then `connections` keep-alive connections sending as fast as
// answers come back for `durationSec`.
//
// argv[2]: JSON { url, method, headers, warmupHeaders?, body?, connections, durationSec, warmupSec }
// stdout: JSON { rps, total, non2xx, errors, timeouts, p50, p99 } (latency in ms)
import autocannon from "autocannon";

const opts = JSON.parse(process.argv[2]);
const request = { url: opts.url, method: opts.method ?? "GET", headers: opts.headers, body: opts.body };

if (opts.warmupSec > 0) await autocannon({ ...request, headers: opts.warmupHeaders ?? opts.headers, connections: opts.connections, duration: opts.warmupSec });
const r = await autocannon({ ...request, connections: opts.connections, duration: opts.durationSec });
process.stdout.write(
  JSON.stringify({
    rps: Math.round(r.requests.total / opts.durationSec),
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
  }) + "\n",
);
