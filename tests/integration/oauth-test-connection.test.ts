import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { getIntegrationByUuid, validateConnection, type TServiceContext } from "@/lib/integrations/service";
import { storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import { GOOGLE_PATHS, type TOidcStandin } from "../support/standins/oidc-server";
import { unwrap } from "../support/results";

// Test Connection on an OAuth connection obtained from the oidc-provider
// stand-in: the userinfo probe with the stored access token, and a token that
// has expired (or expires within the skew) is refreshed first instead of
// being reported as rejected.

let standin: TOidcStandin;
let ctx: TServiceContext;
let uuid: string;
const SKEW_SECONDS = 60;

const oauth = oauthFixture({
  captureLogs: true,
  env: { SWITCHBOARD_TOKEN_REFRESH_SKEW_SECONDS: String(SKEW_SECONDS) },
  oidc: {
    accessTokenTtlSeconds: 3600,
    // Discovery fills the authorization and token endpoints; the probe reads the userinfo URL from the setup.
    setup: (s) => ({ userinfo_url: `${s.issuer}${GOOGLE_PATHS.userinfo}`, client_secret: s.clientSecret }),
  },
});
beforeAll(() => ({ standin, ctx, uuid } = oauth));

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
