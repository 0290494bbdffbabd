// Key rotation under load: 10,000 connections sealed with key 1, a server
// that already has key 2 in its ring (the documented order: add the key to
// every instance, then run the command), and `npm run keys:rotate`
// re-encrypting every row while reader loops keep asking the server for the
// credentials of 100 of them. Every answer must be a 200 with the plaintext
// seen before the rotation.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import pg from "pg";
import { Pool } from "undici";
import { runAlone } from "./lib/context.mjs";

const READERS = 2;

/** Runs `npm run keys:rotate`; resolves the rows it reports and the time between its first and last line of progress. */
function rotate(ctx, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "keys:rotate"], { cwd: ctx.root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let startedAt;
    child.stdout.setEncoding("utf8").on("data", (c) => {
      if (startedAt === undefined && /Re-encrypting/.test(out + c)) startedAt = performance.now();
      out += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.once("exit", (code) => {
      const endedAt = performance.now();
      const done = /Done: (\d+) secret/.exec(out);
      if (code !== 0 || !done) return reject(new Error(`keys:rotate exited with code ${code}:\n${err.slice(-2000)}${out.slice(-2000)}`));
      resolve({ rotated: Number(done[1]), seconds: (endedAt - (startedAt ?? endedAt)) / 1000 });
    });
  });
}

export async function run(ctx) {
  const count = ctx.quick ? 2_000 : 10_000;
  const oldKey = ctx.serverEnv.SWITCHBOARD_ENCRYPTION_KEYS;
  const ring = `${oldKey},2:${randomBytes(32).toString("base64")}`;
  ctx.log(`rotation: seeding ${count.toLocaleString("en-US")} connections`);
  const seed = JSON.parse(await ctx.runTs("bench/seed/seed.ts", ["bulk", String(count), "100"]));
  const server = await ctx.startServer({ SWITCHBOARD_ENCRYPTION_KEYS: ring });
  const pool = new Pool(server.url, { connections: READERS });
  const headers = { authorization: `Bearer ${seed.key}` };
  const read = async (uuid) => {
    const { statusCode, body } = await pool.request({ path: `/api/v1/connections/${uuid}/credentials`, method: "POST", headers });
    const text = await body.text();
    return statusCode === 200 ? JSON.stringify(JSON.parse(text).credentials) : null;
  };
  try {
    const before = new Map();
    for (const uuid of seed.uuids) {
      const plain = await read(uuid);
      if (plain === null) throw new Error(`reading ${uuid} before the rotation failed`);
      before.set(uuid, plain);
    }

    const tally = { reads: 0, failed: 0 };
    let running = true;
    const readers = Array.from({ length: READERS }, async (_, r) => {
      for (let i = r; running; i += READERS) {
        const uuid = seed.uuids[i % seed.uuids.length];
        const plain = await read(uuid).catch(() => null);
        tally.reads++;
        if (plain !== before.get(uuid)) tally.failed++;
      }
    });
    ctx.log("rotation: npm run keys:rotate with reader loops running");
    let result;
    try {
      result = await rotate(ctx, { ...ctx.serverEnv, SWITCHBOARD_ENCRYPTION_KEYS: ring });
    } finally {
      // Whatever the command's outcome, the readers stop (a failed rotation must not leave them spinning).
      running = false;
      await Promise.all(readers);
    }

    const db = new pg.Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    const { rows } = await db.query("SELECT count(*)::int AS n FROM settings WHERE org_id = $1 AND key_version = 2", [seed.orgId]);
    await db.end();
    const onNewKey = rows[0].n;
    return {
      title: `key rotation (${count.toLocaleString("en-US")} rows)`,
      rows: [
        { metric: "rows re-encrypted per second", value: Math.round(result.rotated / result.seconds), unit: "rows/s" },
        { metric: "rows on the new key afterwards", value: onNewKey, target: `${count.toLocaleString("en-US")}`, pass: onNewKey === count },
        { metric: "credential reads during the rotation", value: tally.reads },
        { metric: "failed reads (error or changed plaintext)", value: tally.failed, target: "0", pass: tally.failed === 0 },
      ],
      raw: { rotated: result.rotated, seconds: result.seconds, reads: tally.reads, failed: tally.failed },
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

await runAlone(import.meta.url, run);
