import { randomBytes } from "node:crypto";
import pg from "pg";

// The local PostgreSQL server as the PostgreSQL probe's stand-in: a login
// role and a database made for one test file, dropped afterwards.

const ADMIN_URL = process.env.SWITCHBOARD_TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export type TProbeRole = { user: string; password: string; database: string; port: number; noLoginUser: string; drop(): Promise<void> };

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createProbeRole(): Promise<TProbeRole> {
  const id = randomBytes(5).toString("hex");
  const user = `sb_probe_${id}`;
  const noLoginUser = `sb_probe_${id}_nologin`;
  const database = `sb_probe_${id}`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  await admin(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  await admin(`CREATE ROLE ${noLoginUser} NOLOGIN`);
  await admin(`CREATE DATABASE ${database} OWNER ${user}`);
  return {
    user,
    password,
    database,
    noLoginUser,
    port: Number(new URL(ADMIN_URL).port || 5432),
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin(`DROP ROLE IF EXISTS ${user}`);
      await admin(`DROP ROLE IF EXISTS ${noLoginUser}`);
    },
  };
}
