import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { getIntegrationByUuid, saveSetup, validateConnection, type TServiceContext } from "@/lib/integrations/service";
import { addGenericConnection, allowLoopbackOutbound, connect, REDIRECT_URI, storedSecrets } from "../support/oauth";
import { GOOGLE_PATHS, startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";
import { unwrap } from "../support/results";
import { captureConsole, createFirstOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "../support/test-db";

// Test Connection on an OAuth connection obtained from the oidc-provider
// stand-in: the userinfo probe with the stored access token, and a token that
// has expired (or expires within the skew) is refreshed first instead of
// being reported as rejected.

let testDb: TestDatabase;
let standin: TOidcStandin;
let ctx: TServiceContext;
let uuid: string;
let logs: ConsoleCapture;
const SKEW_SECONDS = 60;

beforeAll(async () => {
  logs = captureConsole();
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  setEnv("SWITCHBOARD_TOKEN_REFRESH_SKEW_SECONDS", String(SKEW_SECONDS));
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: 3600 });
  ctx = await createFirstOrg();
  uuid = await addGenericConnection(ctx, standin);
  // Discovery fills the authorization and token endpoints; the probe reads the userinfo URL from the setup.
  unwrap(await saveSetup(ctx, { uuid, attrs: { userinfo_url: `${standin.issuer}${GOOGLE_PATHS.userinfo}`, client_secret: standin.clientSecret } }));
  await connect(ctx, uuid);
});
afterAll(async () => {
  logs?.restore();
  await standin?.close();
  await testDb?.teardown();
});
beforeEach(() => standin.resetCounters());

/** Our stored expiry `inMs` from now; the provider forgets every access token it issued (as when they expire). */
async function expireIn(inMs: number): Promise<void> {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), expires_at: new Date(Date.now() + inMs).toISOString() } } });
  expect(standin.expireAccessTokens()).toBeGreaterThan(0);
}

describe("Test Connection (validateConnection) on an OAuth connection", () => {
  it("passes with the stored access token, without a refresh", async () => {
    const tested = unwrap(await validateConnection(ctx, { uuid }));
    expect(tested.result, JSON.stringify(tested.result)).toMatchObject({ ok: true });
    expect(tested.connection.status).toBe("connected");
    expect(standin.counters.refreshes).toBe(0);
  });

  it.each([
    ["has expired", -1000],
    ["expires within the skew", (SKEW_SECONDS / 2) * 1000],
  ])("refreshes an access token that %s before the userinfo probe, and passes", async (_label, inMs) => {
    const before = await storedSecrets(uuid);
    await expireIn(inMs);
    const tested = unwrap(await validateConnection(ctx, { uuid }));
    expect(tested.result, JSON.stringify(tested.result)).toMatchObject({ ok: true });
    expect(standin.counters.refreshes).toBe(1);
    const after = await storedSecrets(uuid);
    expect(after.access_token).not.toBe(before.access_token);
    const stored = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(stored.status).toBe("connected");
    expect(stored.validationStatus).not.toMatch(/401|rejected/i);
  });

  it("a refresh the provider refuses is the answer (Reconnect required), not a 401 from userinfo", async () => {
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { ...(await storedSecrets(uuid)), refresh_token: "revoked-or-unknown" }) });
    await expireIn(-1000);
    const tested = await validateConnection(ctx, { uuid });
    expect(tested.ok ? "ok" : tested.error.code).toBe("reconnect_required");
    const stored = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(stored.status).toBe("error");
    expect(stored.validationStatus).toMatch(/^Reconnect required/);
  });
});
