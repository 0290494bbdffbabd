import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getProvider, registerProviderModule, unregisterProviderModule } from "@/lib/integrations/providers/registry";
import { openRowSecrets, sealForRow } from "@/lib/integrations/service/connection-row";
import {
  addConnection,
  disconnect,
  getCredentials,
  getIntegrationByUuid,
  listConnections,
  removeConnection,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { auditRows, codeOf, missingUuid, settingsRow, unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

let testDb: TestDatabase;
let ctx: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
});
afterAll(() => testDb.teardown());

/** What an OAuth callback leaves behind: tokens in the encrypted blob, status connected. */
async function plantTokens(uuid: string, tokens: Record<string, string>): Promise<void> {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  const value = { ...(row.value as Record<string, unknown>), status: "connected", connected_at: new Date().toISOString() };
  const opened = openRowSecrets(row);
  if (!opened.ok) throw new Error(opened.reason);
  await prisma.setting.update({ where: { uuid }, data: { value, ...sealForRow(row, { ...opened.secrets, ...tokens }) } });
}

describe("disconnect", () => {
  it("oauth2: drops the tokens, keeps client_id and client_secret", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "google", name: "default" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { client_id: "cid.apps.googleusercontent.com", client_secret: "g-secret" } }));
    await plantTokens(uuid, { access_token: "ya29.access", refresh_token: "1//refresh" });
    expect(unwrap(await getCredentials(ctx, uuid)).credentials).toMatchObject({ access_token: "ya29.access" });

    // Google cannot be reached from the tests: revocation is best effort, the tokens are gone regardless.
    expect(unwrap(await disconnect(ctx, { uuid }))).toEqual({ disconnected: true, revocation: "failed" });
    // No account connected: consumers get a loud not_connected, never credentials without their token.
    expect(codeOf(await getCredentials(ctx, uuid))).toBe("not_connected");
    // The stored secrets keep the client secret, the setup keeps the client id.
    expect(openRowSecrets((await settingsRow(uuid))!)).toEqual({ ok: true, secrets: { client_secret: "g-secret" } });
    expect(unwrap(await getIntegrationByUuid(ctx, uuid))).toMatchObject({
      status: "disconnected",
      setup: { client_id: "cid.apps.googleusercontent.com" },
      secretsSet: ["client_secret"],
      connectedAt: null,
    });
  });

  it("oauth2: keeps the client secret even when the provider's module is no longer registered", async () => {
    const base = getProvider("github")!;
    registerProviderModule({ name: "Gone soon", providers: [{ ...base, key: "gone_oauth", name: "Gone OAuth" }] });
    const { uuid } = unwrap(await addConnection(ctx, { provider: "gone_oauth", name: "default" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { client_id: "gone-client", client_secret: "gone-secret" } }));
    await plantTokens(uuid, { access_token: "gone-access" });
    unregisterProviderModule("Gone soon");

    expect(unwrap(await disconnect(ctx, { uuid }))).toEqual({ disconnected: true });
    expect(codeOf(await getCredentials(ctx, uuid))).toBe("not_connected");
    expect(unwrap(await getIntegrationByUuid(ctx, uuid))).toMatchObject({ status: "disconnected", setup: { client_id: "gone-client" } });
    expect(openRowSecrets((await settingsRow(uuid))!)).toEqual({ ok: true, secrets: { client_secret: "gone-secret" } });
  });

  it("api_key: drops the key itself", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "openai", name: "default" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk-to-drop" } }));
    expect(unwrap(await disconnect(ctx, { uuid }))).toEqual({ disconnected: true });
    expect(codeOf(await getCredentials(ctx, uuid))).toBe("not_connected");
    expect(unwrap(await getIntegrationByUuid(ctx, uuid))).toMatchObject({ status: "disconnected", secretsSet: [] });
    expect(await settingsRow(uuid)).toMatchObject({ secret: null, keyVersion: null });
  });

  it("is a no-op (no error, no write, no audit) for a uuid that names no row, and refuses a malformed one", async () => {
    const audits = (await auditRows(ctx.orgId)).length;
    expect(unwrap(await disconnect(ctx, { uuid: missingUuid() }))).toEqual({ disconnected: false });
    expect(codeOf(await disconnect(ctx, { uuid: "not-a-uuid" }))).toBe("invalid_uuid");
    expect(await auditRows(ctx.orgId)).toHaveLength(audits);
  });
});

describe("removeConnection", () => {
  it("deletes the row; the uuid then resolves to nothing", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "stripe", name: "default" }));
    unwrap(await saveSetup(ctx, { uuid, attrs: { api_key: "sk_test_remove" } }));
    expect(unwrap(await removeConnection(ctx, { uuid }))).toEqual({ removed: true });
    expect(await settingsRow(uuid)).toBeNull();
    expect(codeOf(await getIntegrationByUuid(ctx, uuid))).toBe("not_configured");
    expect(codeOf(await getCredentials(ctx, uuid))).toBe("not_configured"); // the consumer's loud failure
    expect(await listConnections(ctx, "stripe")).toEqual([]);
  });

  it("answers removed:false for a uuid that is already gone, and writes no audit row", async () => {
    const { uuid } = unwrap(await addConnection(ctx, { provider: "stripe", name: "twice" }));
    unwrap(await removeConnection(ctx, { uuid }));
    const audits = (await auditRows(ctx.orgId)).length;
    expect(unwrap(await removeConnection(ctx, { uuid }))).toEqual({ removed: false });
    expect(codeOf(await removeConnection(ctx, { uuid: "nope" }))).toBe("invalid_uuid");
    expect(await auditRows(ctx.orgId)).toHaveLength(audits);
  });

  it("frees the name for a new connection with a new uuid", async () => {
    const first = unwrap(await addConnection(ctx, { provider: "stripe", name: "reuse" }));
    unwrap(await removeConnection(ctx, { uuid: first.uuid }));
    const second = unwrap(await addConnection(ctx, { provider: "stripe", name: "reuse" }));
    expect(second.uuid).not.toBe(first.uuid);
  });
});
