// Refresh single-flight: one OAuth connection whose access token has expired,
// two server processes on one database, 200 callers at once (100 per
// process) asking for its credentials. Counts the token endpoint's calls
// (target exactly 1: one per process would be the naive in-process
// single-flight) and the callers that failed or got anything but the new token.
import { Pool } from "undici";
import { runAlone } from "./lib/context.mjs";
import { startTokenEndpoint } from "./lib/token-endpoint.mjs";

const CALLERS = 200;

export async function run(ctx) {
  const endpoint = await startTokenEndpoint({ initialRefreshToken: "rt-initial" });
  const servers = [];
  try {
    const seed = JSON.parse(await ctx.runTs("bench/seed/seed.ts", ["oauth", endpoint.tokenUrl]));
    // The outbound policy refuses loopback unless opened; open exactly the stand-in's port.
    const env = { SWITCHBOARD_OUTBOUND_ALLOW: `127.0.0.1:${endpoint.port}` };
    servers.push(...(await Promise.all([ctx.startServer(env), ctx.startServer(env)])));
    const headers = { authorization: `Bearer ${seed.key}` };
    const pools = servers.map((s) => new Pool(s.url, { connections: CALLERS / servers.length }));
    // Warm both processes (and their key caches) with a metadata read, which never refreshes.
    for (const pool of pools) {
      const { statusCode, body } = await pool.request({ path: `/api/v1/connections/${seed.uuid}`, method: "GET", headers });
      const text = await body.text();
      if (statusCode !== 200) throw new Error(`metadata read answered ${statusCode}: ${text.slice(0, 300)}`);
    }
    if (endpoint.counts.calls !== 0) throw new Error("the token endpoint was called before the callers started");

    ctx.log(`refresh: ${CALLERS} concurrent callers over ${servers.length} processes`);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: CALLERS }, async (_, i) => {
        try {
          const { statusCode, body } = await pools[i % pools.length].request({ path: `/api/v1/connections/${seed.uuid}/credentials`, method: "POST", headers });
          const text = await body.text();
          return statusCode === 200 ? JSON.parse(text).credentials.access_token : `HTTP ${statusCode}`;
        } catch (err) {
          return `error ${err.code ?? err.message}`;
        }
      }),
    );
    const wallMs = performance.now() - started;
    await Promise.all(pools.map((p) => p.close()));
    const fresh = "at-1";
    const failed = answers.filter((a) => a !== fresh).length;
    return {
      title: "refresh (single flight)",
      rows: [
        { metric: `token endpoint calls for ${CALLERS} callers over 2 processes`, value: endpoint.counts.calls, target: "exactly 1", pass: endpoint.counts.calls === 1 },
        { metric: "callers failed or not given the new token", value: failed, target: "0", pass: failed === 0 },
        { metric: "refused refresh tokens (spent/lost)", value: endpoint.counts.invalidGrant, target: "0", pass: endpoint.counts.invalidGrant === 0 },
        { metric: `time until all ${CALLERS} answered`, value: Math.round(wallMs), unit: "ms" },
      ],
      // Outcomes by kind, never the token values themselves.
      raw: { newToken: answers.filter((a) => a === fresh).length, otherToken: answers.filter((a) => a !== fresh && !/^(HTTP|error) /.test(a)).length, failures: answers.filter((a) => /^(HTTP|error) /.test(a)) },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await endpoint.close();
  }
}

await runAlone(import.meta.url, run);
