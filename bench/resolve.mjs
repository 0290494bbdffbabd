// Resolve over HTTP: POST /api/v1/connections/{uuid}/credentials with a
// consumer key (key verification, allow-list check and read accounting
// included) against a bare node:http baseline doing one primary-key read and
// one AES-256-GCM decrypt per request (bench/lib/baseline-server.mjs), both
// measured in this run on this machine.
//   1. saturation throughput of each (autocannon, fixed connections and duration);
//   2. p50/p99 at a fixed 500 req/s, open loop (bench/lib/open-loop.mjs).
// Load generators run in child processes, apart from both servers.
import { runJsonChild, startChild } from "./lib/child.mjs";
import { runAlone } from "./lib/context.mjs";

const TARGET_RATIO = 1.4;
const TARGET_P99_MS = 10;
const RATE = 500;

async function credentialsOf(url, headers) {
  const res = await fetch(url, { method: "POST", headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${new URL(url).pathname} answered ${res.status}${text.startsWith("{") ? `: ${text.slice(0, 200)}` : ""}`);
  return JSON.parse(text).credentials;
}

export async function run(ctx) {
  const seconds = ctx.quick ? 3 : 10;
  // Three keys for one connection: warm-ups, saturation, open loop — each phase stays within one key's per-minute limit.
  const seed = JSON.parse(await ctx.runTs("bench/seed/seed.ts", ["api-key", "3"]));
  const server = await ctx.startServer();
  const baselinePort = await ctx.freePort();
  const baseline = await startChild("baseline-server.mjs", { ...ctx.serverEnv, PORT: String(baselinePort) }, "baseline ready");
  try {
    const path = `/api/v1/connections/${seed.uuid}/credentials`;
    const as = (key) => ({ authorization: `Bearer ${key}` });
    const ours = { url: `${server.url}${path}`, method: "POST", headers: as(seed.keys[1]), warmupHeaders: as(seed.keys[0]) };
    const bare = { url: `http://127.0.0.1:${baselinePort}${path}`, method: "POST", headers: {} };
    // Both do the same job: the same row, the same plaintext.
    const [a, b] = [await credentialsOf(ours.url, ours.headers), await credentialsOf(bare.url, bare.headers)];
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("our endpoint and the baseline disagree on the credentials");

    const saturation = { connections: 32, durationSec: seconds, warmupSec: ctx.quick ? 1 : 3 };
    ctx.log(`resolve: saturating the baseline for ${seconds} s`);
    const satBare = await runJsonChild("saturate.mjs", { ...bare, ...saturation });
    ctx.log(`resolve: saturating /api/v1 for ${seconds} s`);
    const satOurs = await runJsonChild("saturate.mjs", { ...ours, ...saturation });

    const openLoop = { rate: RATE, durationSec: seconds, warmupSec: ctx.quick ? 1 : 3, connections: 64 };
    ctx.log(`resolve: ${RATE} req/s open loop for ${seconds} s against each`);
    const olBare = await runJsonChild("open-loop.mjs", { ...bare, ...openLoop });
    const olOurs = await runJsonChild("open-loop.mjs", { ...ours, headers: as(seed.keys[2]), ...openLoop });

    const failed = satOurs.non2xx + satOurs.errors + satOurs.timeouts + olOurs.failed;
    const ratio = satOurs.rps / satBare.rps;
    return {
      title: "resolve (credentials over HTTP)",
      rows: [
        { metric: "saturation throughput (32 connections)", value: satOurs.rps, unit: "req/s", baseline: satBare.rps, ratio, target: `≥ ${TARGET_RATIO}× baseline`, pass: ratio >= TARGET_RATIO },
        { metric: `p50 at ${RATE} req/s (open loop)`, value: olOurs.p50, unit: "ms", baseline: olBare.p50 },
        { metric: `p99 at ${RATE} req/s (open loop)`, value: olOurs.p99, unit: "ms", baseline: olBare.p99, target: `< ${TARGET_P99_MS} ms`, pass: olOurs.p99 < TARGET_P99_MS },
        { metric: "generator send lag p99 (open loop)", value: olOurs.sendLagP99, unit: "ms" },
        { metric: "failed or non-2xx answers (ours)", value: failed, target: "0", pass: failed === 0 },
      ],
      raw: { saturation: { ours: satOurs, baseline: satBare }, openLoop: { ours: olOurs, baseline: olBare } },
    };
  } finally {
    await baseline.stop();
    await server.stop();
  }
}

await runAlone(import.meta.url, run);
