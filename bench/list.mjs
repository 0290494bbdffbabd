// Bench scenario: the integrations list for an organization with 1,000
// connections vs one with 50, measured in one run on one server.
//
//   node bench/list.mjs            (alone: own database, build if needed, own server)
//   run(ctx) from the bench runner  (ctx = { databaseUrl, startServer(env) → { url, stop, pid? }, log })
//
// Per organization: sequential p50/p95 of page 1 and of a later page, req/s
// and p99 at 20 concurrent clients, HTML and RSC bytes (raw and gzipped),
// SQL statements per page view (counted on the wire by a relay in front of
// PostgreSQL, bench/lib/pg-statement-counter.mjs), and, when the server's pid is
// known, its CPU time per view (steady even on a busy machine). Figures only: no timing
// assertion anywhere in the test suite.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { Pool } from "undici";
import { buildState } from "../scripts/build-state.mjs";
import { freePort } from "../scripts/lib/free-port.mjs";
import { createOrgWithAdmin, seedConnections, signIn } from "./lib/list-fixtures.mjs";
import { startStatementCounter } from "./lib/pg-statement-counter.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LIST_PATH = "/admin/settings/integrations";
const SEQUENTIAL = 60;
const CONCURRENCY = 20;
const ROUNDS = 4;
const SLICE_SECONDS = 1.5;
const CLOCK_TICKS = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux
const TARGETS = { ratio: 0.8, p95Ms: 150, gzipKb: 100, statements: 3 };

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function getPage(pool, pathAndQuery, cookie, extraHeaders = {}) {
  let res = await pool.request({ method: "GET", path: pathAndQuery, headers: { cookie, ...extraHeaders } });
  if (res.statusCode === 307 && extraHeaders.rsc && String(res.headers.location).includes("_rsc")) {
    // Next.js answers an RSC request without its cache-busting `_rsc` parameter with a redirect to the address that has it.
    await res.body.dump();
    res = await pool.request({ method: "GET", path: String(res.headers.location), headers: { cookie, ...extraHeaders } });
  }
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw new Error(`GET ${pathAndQuery} answered ${res.statusCode} ${res.headers.location ?? ""}`);
  return body;
}

/**
 * Interleaved, so both organizations see the same machine: each round times one
 * request of every target in turn (sequential), then gives every target a slice of
 * CONCURRENCY closed-loop clients. Targets: [{ key, path, cookie }].
 */
async function measure(ctx, pool, targets, serverPid) {
  const seq = new Map(targets.map((t) => [t.key, []]));
  const cpu = new Map(targets.map((t) => [t.key, 0]));
  for (let i = 0; i < SEQUENTIAL; i++) {
    for (const t of targets) {
      const cpuBefore = cpuMs(serverPid);
      const started = performance.now();
      await getPage(pool, t.path, t.cookie);
      seq.get(t.key).push(performance.now() - started);
      cpu.set(t.key, cpu.get(t.key) + cpuMs(serverPid) - cpuBefore);
    }
  }
  const load = new Map(targets.map((t) => [t.key, { times: [], seconds: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    ctx.log(`${CONCURRENCY} concurrent clients, round ${round + 1} of ${ROUNDS}`);
    for (const t of targets) await concurrentSlice(pool, t, load.get(t.key));
  }
  const out = {};
  for (const t of targets) {
    const times = seq.get(t.key).sort((a, b) => a - b);
    const l = load.get(t.key);
    l.times.sort((a, b) => a - b);
    const cpuPerView = serverPid ? cpu.get(t.key) / SEQUENTIAL : NaN;
    out[t.key] = { p50: percentile(times, 50), p95: percentile(times, 95), rps: l.times.length / l.seconds, p99: percentile(l.times, 99), cpuPerView };
  }
  return out;
}

/**
 * CPU time (user + system) the server process has used, from /proc (Linux), or
 * 0 when unknown. Unlike latency, it hardly moves when other work shares the
 * machine, so it tells render cost apart from a busy host.
 */
function cpuMs(pid) {
  if (!pid) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CONCURRENCY clients, each sending its next request when its last one answered, for SLICE_SECONDS. */
async function concurrentSlice(pool, target, acc) {
  let firstError;
  let errors = 0;
  const started = performance.now();
  const until = started + SLICE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await getPage(pool, target.path, target.cookie);
          acc.times.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  acc.seconds += (performance.now() - started) / 1000;
  if (firstError) throw new Error(`${errors} requests failed under load: ${firstError.message}`);
}

async function statementsPerView(pool, counter, pathAndQuery, cookie) {
  await getPage(pool, pathAndQuery, cookie); // warm: ciphertexts on this page are checked once per process
  await new Promise((r) => setTimeout(r, 200));
  counter.reset();
  await getPage(pool, pathAndQuery, cookie);
  await new Promise((r) => setTimeout(r, 200)); // anything the view sends after its response
  return counter.statements();
}

async function sizesAndStatements(ctx, pool, counter, org) {
  const html = await getPage(pool, LIST_PATH, org.cookie);
  const rsc = await getPage(pool, LIST_PATH, org.cookie, { rsc: "1" });
  const statements = await statementsPerView(pool, counter, LIST_PATH, org.cookie);
  const statementsLater = await statementsPerView(pool, counter, `${LIST_PATH}?page=${org.laterPage}`, org.cookie);
  ctx.log(`${org.label}: statements per view of page 1:\n  ${statements.map((s) => s.replace(/\s+/g, " ").slice(0, 160)).join("\n  ")}`);
  return { html, rsc, statements: statements.length, statementsLater: statementsLater.length };
}

const ms = (x) => Math.round(x * 10) / 10;
const kb = (b) => Math.round((b / 1024) * 10) / 10;

function rowsFor(label, laterPage, first, later, sizes) {
  const gz = kb(gzipSync(sizes.html).length + gzipSync(sizes.rsc).length);
  const rows = [];
  for (const [page, m] of laterPage === 1 ? [[1, first]] : [[1, first], [laterPage, later]]) {
    rows.push(
      { metric: `${label}: page ${page} sequential p50`, value: ms(m.p50), unit: "ms" },
      { metric: `${label}: page ${page} sequential p95`, value: ms(m.p95), unit: "ms", target: `< ${TARGETS.p95Ms}`, pass: m.p95 < TARGETS.p95Ms },
      ...(Number.isNaN(m.cpuPerView) ? [] : [{ metric: `${label}: page ${page} server CPU per view`, value: ms(m.cpuPerView), unit: "ms" }]),
      { metric: `${label}: page ${page} at ${CONCURRENCY} clients`, value: Math.round(m.rps), unit: "req/s" },
      { metric: `${label}: page ${page} p99 at ${CONCURRENCY} clients`, value: ms(m.p99), unit: "ms" },
    );
  }
  rows.push(
    { metric: `${label}: page 1 HTML raw / gzipped`, value: `${kb(sizes.html.length)} / ${kb(gzipSync(sizes.html).length)}`, unit: "KB" },
    { metric: `${label}: page 1 RSC raw / gzipped`, value: `${kb(sizes.rsc.length)} / ${kb(gzipSync(sizes.rsc).length)}`, unit: "KB" },
    { metric: `${label}: page 1 HTML + RSC gzipped`, value: gz, unit: "KB", target: `< ${TARGETS.gzipKb}`, pass: gz < TARGETS.gzipKb },
    {
      metric: `${label}: SQL statements per view (page 1 / page ${laterPage})`,
      value: `${sizes.statements} / ${sizes.statementsLater}`,
      unit: "",
      target: `≤ ${TARGETS.statements}`,
      pass: Math.max(sizes.statements, sizes.statementsLater) <= TARGETS.statements,
    },
  );
  return rows;
}

function ratioRow(metric, value, baseline) {
  const ratio = value / baseline;
  return { metric, value: Math.round(value), unit: "req/s", baseline: Math.round(baseline), ratio: Math.round(ratio * 100) / 100, target: `≥ ${TARGETS.ratio}`, pass: ratio >= TARGETS.ratio };
}

export async function run(ctx) {
  const counter = await startStatementCounter(ctx.databaseUrl);
  // The run's own key (one database serves every scenario: the rotation scenario re-encrypts these rows too).
  const keyEntry = ctx.serverEnv?.SWITCHBOARD_ENCRYPTION_KEYS ?? `1:${randomBytes(32).toString("base64")}`;
  const server = await ctx.startServer({ DATABASE_URL: counter.url, SWITCHBOARD_ENCRYPTION_KEYS: keyEntry });
  const sql = new pg.Client({ connectionString: ctx.databaseUrl });
  const pool = new Pool(server.url, { connections: CONCURRENCY });
  try {
    await sql.connect();
    const suffix = randomBytes(3).toString("hex");
    const password = `bench-${randomBytes(12).toString("hex")}`;
    const small = await createOrgWithAdmin(sql, { orgName: "Bench 50", email: `small-${suffix}@bench.example`, password });
    const big = await createOrgWithAdmin(sql, { orgName: "Bench 1000", email: `big-${suffix}@bench.example`, password });
    ctx.log("seeding 50 + 1,000 connections");
    await seedConnections(sql, { orgId: small.orgId, count: 50, keyEntry });
    await seedConnections(sql, { orgId: big.orgId, count: 1000, keyEntry });
    await sql.query("ANALYZE settings");
    // The small org has one page: its last page is page 1.
    const orgs = {
      small: { label: "50 connections", cookie: await signIn(server.url, small), laterPage: 1 },
      big: { label: "1,000 connections", cookie: await signIn(server.url, big), laterPage: 11 },
    };
    const targets = [
      { key: "small", path: LIST_PATH, cookie: orgs.small.cookie },
      { key: "big", path: LIST_PATH, cookie: orgs.big.cookie },
      { key: "bigLater", path: `${LIST_PATH}?page=${orgs.big.laterPage}`, cookie: orgs.big.cookie },
    ];
    for (const t of targets) for (let i = 0; i < 5; i++) await getPage(pool, t.path, t.cookie); // warm-up
    ctx.log("sequential requests, then concurrent clients (interleaved across the organizations)");
    const m = await measure(ctx, pool, targets, server.pid);
    const sizesSmall = await sizesAndStatements(ctx, pool, counter, orgs.small);
    const sizesBig = await sizesAndStatements(ctx, pool, counter, orgs.big);
    return {
      title: "Integrations list: 1,000 connections vs 50 (one run, one server)",
      rows: [
        ...rowsFor(orgs.small.label, 1, m.small, m.small, sizesSmall),
        ...rowsFor(orgs.big.label, orgs.big.laterPage, m.big, m.bigLater, sizesBig),
        ratioRow(`req/s at ${CONCURRENCY} clients, page 1: 1,000 vs 50`, m.big.rps, m.small.rps),
        ratioRow(`req/s at ${CONCURRENCY} clients: 1,000 page ${orgs.big.laterPage} vs 50 page 1`, m.bigLater.rps, m.small.rps),
      ],
    };
  } finally {
    await pool.close();
    await sql.end().catch(() => {});
    await server.stop();
    await counter.close();
  }
}

// ——— standalone: node bench/list.mjs ———

/** server/main.mjs as `npm start` runs it after its build step; resolves once it announces its URL. */
async function startServer(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "server", "main.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      SWITCHBOARD_HOST: "127.0.0.1",
      SWITCHBOARD_API_KEY_PEPPER: `1:${randomBytes(32).toString("base64")}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      SWITCHBOARD_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  for (let i = 0; i < 600 && !output.includes("Switchboard is ready on"); i++) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!output.includes("Switchboard is ready on")) throw new Error(`server did not start:\n${output}`);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

function printTable({ title, rows }) {
  console.log(`\n${title}\n`);
  const cells = rows.map((r) => [r.metric, `${r.value} ${r.unit}`.trim(), r.baseline ?? "", r.ratio ?? "", r.target ?? "", r.pass === undefined ? "" : r.pass ? "pass" : "FAIL"]);
  const head = ["metric", "value", "baseline", "ratio", "target", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  for (const line of [head, widths.map((w) => "-".repeat(w)), ...cells]) console.log(line.map((c, i) => String(c).padEnd(widths[i])).join("  "));
}

async function standalone() {
  const adminUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  if (buildState(ROOT) !== "fresh") {
    console.log("[bench:list] building (npm run build)");
    const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const dbName = `switchboard_bench_list_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
  try {
    const result = await run({ databaseUrl, startServer, log: (m) => console.log(`[bench:list] ${m}`) });
    printTable(result);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  standalone().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
