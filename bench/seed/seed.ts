// Seeds for the bench scenarios, run with tsx by ctx.runTs (the server's own
// environment: same database, same encryption keys and API key pepper). Each
// command creates its own organization (inserted directly, as the tests'
// createOrg does, so the first-admin setup stays free for a scenario that
// signs in) and prints one JSON line on stdout.
//
//   api-key [keys]               an OpenAI connection with an API key + `keys` consumer keys for it (default 1;
//                                one per load phase keeps each phase inside the per-key rate limit)
//   oauth <token-url>            a generic OAuth 2.0 connection whose access token expired + a consumer key
//   bulk <count> <readable>      `count` OpenAI connections (rows cloned with SQL, each sealed for its own
//                                uuid by the app's cipher) + a consumer key for the first `readable`
import { randomBytes, randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { createApiKey } from "@/lib/api-keys/service/create-api-key";
import { closeDb, db } from "@/lib/db";
import type { TActor } from "@/lib/audit/types";
import { addConnection, saveSetup, settingsKey, type TServiceContext } from "@/lib/integrations/service";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { secretsWithTokens, valueWithTokens } from "@/lib/integrations/service/oauth-connection";
import type { TConnectionValue } from "@/lib/integrations/connection-value";

type TResultLike<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

function unwrap<T>(r: TResultLike<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function newOrg(label: string): Promise<TServiceContext> {
  const prisma = await db();
  const suffix = randomUUID().slice(0, 8);
  const org = await prisma.organization.create({ data: { name: `Bench ${label} ${suffix}` } });
  const user = await prisma.user.create({ data: { email: `bench-${label}-${suffix}@example.com`, passwordHash: "not-a-real-hash" } });
  await prisma.membership.create({ data: { orgId: org.id, userId: user.id, role: "admin" } });
  const actor: TActor = { type: "user", id: user.id, label: user.email };
  return { orgId: org.id, actor };
}

async function consumerKey(ctx: TServiceContext, uuids: string[]): Promise<string> {
  return unwrap(await createApiKey(ctx, { name: "bench consumer", scope: "consumer", expiresIn: "never", allowedConnections: uuids })).key;
}

async function apiKeyConnection(ctx: TServiceContext, name = "default"): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name }));
  unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: `sk-bench-${randomBytes(16).toString("hex")}` } }));
  return uuid;
}

async function seedApiKey(keyCount: number) {
  const ctx = await newOrg("resolve");
  const uuid = await apiKeyConnection(ctx);
  const keys = [];
  for (let i = 0; i < keyCount; i++) keys.push(await consumerKey(ctx, [uuid]));
  return { orgId: ctx.orgId, uuid, key: keys[0], keys };
}

async function seedOAuth(tokenUrl: string) {
  const ctx = await newOrg("refresh");
  const { uuid } = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name: "bench" }));
  const authorizeUrl = new URL("/authorize", tokenUrl).toString();
  unwrap(await saveSetup(ctx, { uuid, attrs: { client_id: "bench-client", client_secret: "bench-client-secret", authorize_url: authorizeUrl, token_url: tokenUrl } }));
  // As if an account had connected an hour ago and its access token just expired.
  const prisma = await db();
  const row = await prisma.setting.findFirstOrThrow({ where: { uuid, orgId: ctx.orgId } });
  const tokens = { accessToken: "at-expired", refreshToken: "rt-initial", expiresAt: new Date(Date.now() - 60_000), scopes: [], idTokenClaims: null };
  const value = { ...valueWithTokens(row.value as TConnectionValue, tokens), connected_at: new Date(Date.now() - 3_600_000).toISOString() };
  const secrets = secretsWithTokens({ client_secret: "bench-client-secret" }, tokens);
  await prisma.setting.update({ where: { uuid, orgId: ctx.orgId }, data: { value, ...sealForRow(row, secrets) } });
  return { orgId: ctx.orgId, uuid, key: await consumerKey(ctx, [uuid]) };
}

async function seedBulk(count: number, readable: number) {
  const ctx = await newOrg("rotation");
  const template = await apiKeyConnection(ctx, "bench-0");
  const prisma = await db();
  const row = await prisma.setting.findFirstOrThrow({ where: { uuid: template, orgId: ctx.orgId } });
  const uuids = [template];
  const BATCH = 1_000;
  for (let start = 1; start < count; start += BATCH) {
    const data = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const uuid = uuidv7();
      const name = `bench-${i}`;
      uuids.push(uuid);
      const secrets = { api_key: `sk-bench-${randomBytes(16).toString("hex")}` };
      data.push({ uuid, orgId: ctx.orgId, key: settingsKey("openai", name), value: { ...(row.value as object), name }, createdById: row.createdById, ...sealForRow({ uuid, orgId: ctx.orgId }, secrets) });
    }
    await prisma.setting.createMany({ data });
  }
  const allowed = uuids.slice(0, readable);
  return { orgId: ctx.orgId, uuids: allowed, count: uuids.length, key: await consumerKey(ctx, allowed) };
}

async function main(): Promise<unknown> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "api-key") return seedApiKey(Number(args[0] ?? 1));
  if (command === "oauth" && args[0]) return seedOAuth(args[0]);
  if (command === "bulk") return seedBulk(Number(args[0] ?? 10_000), Number(args[1] ?? 100));
  throw new Error("usage: seed.ts api-key [keys] | oauth <token-url> | bulk <count> <readable>");
}

main()
  .then(async (out) => {
    console.log(JSON.stringify(out));
    await closeDb();
  })
  .catch(async (err: Error) => {
    console.error(err.stack ?? err.message);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
