import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { settingsKey } from "@/lib/integrations/settings-key";
import type { TServiceContext } from "@/lib/integrations/service";
import { apiClient, keyListUpstreamForFile, newKey } from "../support/admin-api";
import { recordEvents, type TEventRecorder } from "../support/event-recorder";
import { installLoopbackGuard } from "../support/loopback-guard";
import { readSecrets } from "../support/oauth";
import { startRouteServer, type TRouteServer } from "../support/route-server";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// An admin-API PUT over an existing connection writes what the UI's setup
// form would (saveSetup's merge): obtained OAuth tokens and the account
// survive a change that does not move a destination, are dropped when one
// moves, and a status change reaches the live-status channel (the settings trigger).

let testDb: TestDatabase;
let server: TRouteServer;
let api: ReturnType<typeof apiClient>;
let events: TEventRecorder;
let org: TServiceContext;
let admin: string;

installLoopbackGuard();
const { upstream } = keyListUpstreamForFile();

beforeAll(async () => {
  testDb = await setupTestDatabase();
  server = await startRouteServer();
  api = apiClient(server.url);
  events = await recordEvents();
  org = await createFirstOrg();
  admin = (await newKey(org, "admin")).key;
});
afterAll(async () => {
  events?.stop();
  await stopConnectionEvents();
  await server.close();
  await testDb.teardown();
});

const put = (integration: string, value: unknown) => api.call("PUT", `/api/admin/integrations/${integration}/credentials`, { key: admin, body: { value } });

async function rowOf(key: string) {
  const prisma = await db();
  return prisma.setting.findUniqueOrThrow({ where: { orgId_key: { orgId: org.orgId, key: settingsKey(key) } } });
}

/** Makes the row look as the OAuth flow (or a failed test) left it. */
async function overwriteState(key: string, state: Record<string, string | string[]>, extraSecrets: Record<string, string> = {}) {
  const prisma = await db();
  const row = await rowOf(key);
  await prisma.setting.update({
    where: { uuid: row.uuid },
    data: { value: { ...(row.value as object), ...state }, ...sealForRow(row, { ...readSecrets(row), ...extraSecrets }) },
  });
  return row.uuid;
}

describe("admin API PUT over an existing connection", () => {
  it("publishes a status change on the live-status channel, as the setup form does", async () => {
    // A new connection is announced with its first status.
    expect((await put("openai", upstream().accept(`canary-${randomBytes(6).toString("hex")}`))).status).toBe(200);
    const uuid = (await rowOf("openai")).uuid;
    await events.waitFor(() => events.changesOf(uuid).length === 1);
    // A failed test left it in error (written behind the app's back: the trigger announces that too).
    await overwriteState("openai", { status: "error", validation_status: "failed" });
    await events.waitFor(() => events.changesOf(uuid).length === 2);
    expect((await put("openai", upstream().accept(`canary-${randomBytes(6).toString("hex")}`))).status).toBe(200);
    await events.waitFor(() => events.changesOf(uuid).length === 3);
    expect(events.changesOf(uuid)).toEqual(["configured", "error", "configured"]);
    expect(await rowOf("openai")).toMatchObject({ value: expect.objectContaining({ status: "configured", validation_status: null }) });
  });

  it("keeps OAuth tokens and the account when no destination changes, drops them (disconnected, published) when one does", async () => {
    const base = {
      client_id: "cid",
      client_secret: "canary-client-secret",
      authorize_url: "https://auth.example.com/authorize",
      token_url: "https://auth.example.com/token",
      userinfo_url: "https://auth.example.com/userinfo",
    };
    expect((await put("generic_oauth2:idp", base)).status).toBe(200);
    const connected = { status: "connected", external_account_email: "ada@example.com", scopes: ["openid"], connected_at: new Date().toISOString() };
    const uuid = await overwriteState("generic_oauth2:idp", connected, { access_token: "canary-at", refresh_token: "canary-rt" });
    await events.waitFor(() => events.changesOf(uuid).at(-1) === "connected");
    const heard = events.changesOf(uuid).length;

    // Scopes and the authorization URL only matter at the next Connect; a new client secret is typed.
    const kept = await put("generic_oauth2:idp", { ...base, client_secret: "canary-client-secret-2", scopes: "openid email", authorize_url: "https://auth.example.com/authorize2" });
    expect(kept.status).toBe(200);
    let row = await rowOf("generic_oauth2:idp");
    expect(row.uuid).toBe(uuid);
    expect(readSecrets(row)).toEqual({ client_secret: "canary-client-secret-2", access_token: "canary-at", refresh_token: "canary-rt" });
    const setup = Object.fromEntries(Object.entries(base).filter(([k]) => k !== "client_secret"));
    expect(row.value).toMatchObject({ ...connected, setup: { ...setup, scopes: "openid email", authorize_url: "https://auth.example.com/authorize2" } });
    expect(events.changesOf(uuid).slice(heard)).toEqual([]); // connected before and after

    // A new token URL would receive the refresh token: tokens and account are dropped.
    const moved = await put("generic_oauth2:idp", { ...base, token_url: "https://auth2.example.com/token" });
    expect(moved.status).toBe(200);
    row = await rowOf("generic_oauth2:idp");
    expect(readSecrets(row)).toEqual({ client_secret: "canary-client-secret" });
    expect(row.value).toMatchObject({ status: "disconnected", external_account_email: null, scopes: [], connected_at: null, secrets_set: ["client_secret"] });
    await events.waitFor(() => events.changesOf(uuid).length > heard);
    expect(events.changesOf(uuid).slice(heard)).toEqual(["disconnected"]);
  });
});
