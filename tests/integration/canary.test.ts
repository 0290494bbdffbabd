import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newKeyEntry } from "@/lib/integrations/crypto/key-ring";
import {
  addConnection,
  getCredentials,
  getIntegrationByUuid,
  listIntegrations,
  loadAllConnections,
  renameConnection,
  rotateEncryptionKeys,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, unwrap } from "../support/results";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// A unique secret per auth type. After every operation that touches it, the
// plaintext must appear nowhere in the database (ciphertext only), in audit
// metadata, in what the service returns (getCredentials aside) or in logs.
const CANARY = {
  api_key: `canary-api-${randomBytes(12).toString("hex")}`,
  key_secret: `canary-keysecret-${randomBytes(12).toString("hex")}`,
  password: `canary-password-${randomBytes(12).toString("hex")}`,
  client_secret: `canary-oauth-${randomBytes(12).toString("hex")}`,
};
const ALL = Object.values(CANARY);

let testDb: TestDatabase;
let ctx: TServiceContext;
let logs: ConsoleCapture;
/** Everything the service handed back, except getCredentials (whose job is to return the secret). */
const returned: unknown[] = [];

type Hit = { table: string; column: string };

/** Every text, varchar, json(b) and bytea column of every table in the public schema that contains `needle`. */
async function findEverywhere(needle: string): Promise<Hit[]> {
  const prisma = await db();
  const columns = await prisma.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
    SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')`;
  const hits: Hit[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const match =
      type === "bytea" ? `position(convert_to($1, 'UTF8') in "${column}") > 0` : `strpos("${column}"::text, $1) > 0`;
    const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "public"."${table}" WHERE ${match}`,
      needle,
    );
    if (rows[0]!.n > 0) hits.push({ table, column });
  }
  return hits;
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  logs = captureConsole();
  ctx = await createFirstOrg();
  const add = async (provider: string, attrs: Record<string, string>) => {
    const conn = unwrap(await addConnection(ctx, { provider, name: "default" }));
    returned.push(conn, await saveSetup(ctx, { uuid: conn.uuid, attrs }));
    return conn.uuid;
  };
  const openai = await add("openai", { api_key: CANARY.api_key });
  const twilio = await add("twilio", { account_sid: "AC123", key_sid: "SK123", key_secret: CANARY.key_secret });
  const smtp = await add("smtp", { host: "smtp.example.com", username: "mailer", password: CANARY.password });
  await add("google", { client_id: "cid.apps.googleusercontent.com", client_secret: CANARY.client_secret });

  // Every other path the secrets travel: reads, renames, re-saves, refused input, listing, rotation.
  for (const uuid of [openai, twilio, smtp]) {
    expect(Object.values(unwrap(await getCredentials(ctx, uuid)).credentials).some((v) => ALL.includes(v))).toBe(true);
    returned.push(await getIntegrationByUuid(ctx, uuid));
  }
  returned.push(await renameConnection(ctx, { uuid: openai, name: "renamed" }));
  returned.push(await saveSetup(ctx, { uuid: openai, attrs: { api_key: "" } }));
  returned.push(await saveSetup(ctx, { uuid: smtp, attrs: { port: CANARY.password } })); // refused: not a number
  returned.push(await saveSetup(ctx, { uuid: twilio, attrs: { account_sid: CANARY.key_secret } })); // refused: not AC…
  returned.push(await listIntegrations(ctx), await loadAllConnections(ctx, ["openai", "twilio", "smtp", "google"]));
  setEnv("SWITCHBOARD_ENCRYPTION_KEYS", `${process.env.SWITCHBOARD_ENCRYPTION_KEYS},${newKeyEntry(2)}`);
  returned.push(await rotateEncryptionKeys({ actor: { type: "system", label: "canary" }, batchSize: 2 }));
});
afterAll(async () => {
  logs.restore();
  await testDb.teardown();
});

describe("canary secrets", () => {
  it("the scanner finds a marker where one is stored (text, jsonb and bytea), so a clean scan means something", async () => {
    const prisma = await db();
    const marker = `marker-${randomBytes(8).toString("hex")}`;
    const conn = unwrap(await addConnection(ctx, { provider: "aws_ses", name: "marker" }));
    unwrap(await saveSetup(ctx, { uuid: conn.uuid, attrs: { access_key_id: marker, secret_access_key: "x", region: "us-east-1" } }));
    await prisma.oAuthState.create({
      data: {
        orgId: ctx.orgId,
        userId: ctx.actor.type === "user" ? ctx.actor.id : "",
        connectionUuid: conn.uuid,
        stateHash: marker,
        codeVerifier: Buffer.from(`prefix-${marker}-suffix`, "utf8"),
        redirectUri: "http://localhost/cb",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const hits = await findEverywhere(marker);
    await prisma.oAuthState.deleteMany({ where: { stateHash: marker } });
    expect(hits).toEqual(
      expect.arrayContaining([
        { table: "settings", column: "value" },
        { table: "oauth_states", column: "state_hash" },
        { table: "oauth_states", column: "code_verifier" },
      ]),
    );
  });

  it.each(Object.entries(CANARY))("%s: appears in no text, varchar, jsonb or bytea column of any table", async (_field, canary) => {
    expect(await findEverywhere(canary)).toEqual([]);
  });

  it("is stored, encrypted, under the newest key (the canaries were really saved)", async () => {
    const prisma = await db();
    const rows = await prisma.setting.findMany({ where: { orgId: ctx.orgId, secret: { not: null } } });
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.keyVersion))).toEqual(new Set([2]));
  });

  it("appears in no audit row's metadata", async () => {
    const audits = await auditRows(ctx.orgId);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["connection_added", "setup_saved", "connection_renamed", "keys_rotated"]));
    const text = JSON.stringify(audits);
    for (const canary of ALL) expect(text).not.toContain(canary);
  });

  it("appears in nothing the service returned except getCredentials, refused input included", () => {
    const text = JSON.stringify(returned);
    expect(text).toContain("invalid_setup");
    for (const canary of ALL) expect(text).not.toContain(canary);
  });

  it("appears in no console output captured during all of the above", () => {
    console.log("capture check: console output is being recorded");
    const text = logs.text();
    expect(text).toContain("capture check");
    for (const canary of ALL) expect(text).not.toContain(canary);
  });
});
