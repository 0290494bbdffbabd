import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { addConnection, authorizationUrl, completeAuthorization, getIntegrationByUuid, refreshAccessToken, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { readSecrets, REDIRECT_URI, storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import { grant, type TTokenEndpoint } from "../support/standins/token-endpoint";
import { auditRows, unwrap } from "../support/results";

// Refresh answers the oidc-provider stand-in never gives (it always
// rotates): a provider that omits the refresh token, and an invalid_grant
// because another worker (outside the lease: an older instance) rotated the
// refresh token meanwhile. A scripted token endpoint answers instead.

let ctx: TServiceContext;
let endpoint: TTokenEndpoint;

const oauth = oauthFixture({ tokenEndpoint: true });
beforeAll(() => ({ ctx, endpoint } = oauth));

/** A generic_oauth2 connection with typed URLs on the scripted endpoint, connected with access-1 / refresh-1. */
async function connected(name: string): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name }));
  const base = endpoint.origin;
  const attrs = { client_id: "cid", client_secret: "csecret", authorize_url: `${base}/authorize`, token_url: `${base}/token`, userinfo_url: `${base}/userinfo` };
  unwrap(await saveSetup(ctx, { uuid, attrs }));
  endpoint.answer = () => grant(1);
  const state = new URL(unwrap(await authorizationUrl(ctx, { uuid, redirectUri: REDIRECT_URI })).url).searchParams.get("state")!;
  unwrap((await completeAuthorization(ctx, { params: new URLSearchParams({ code: "c", state }) })).result);
  expect(await storedSecrets(uuid)).toMatchObject({ access_token: "access-1", refresh_token: "refresh-1" });
  endpoint.requests.length = 0;
  return uuid;
}

async function audits(uuid: string): Promise<string[]> {
  return (await auditRows(ctx.orgId)).filter((r) => r.targetId === uuid).map((r) => r.action);
}

beforeEach(() => {
  endpoint.requests.length = 0;
});

describe("a refresh answer without a refresh token", () => {
  it("keeps the stored refresh token, stores the new access token, and spends the kept one next time", async () => {
    const uuid = await connected("omits");
    endpoint.answer = (_req, n) => ({ body: { access_token: `access-omit-${n}`, token_type: "Bearer", expires_in: 3600 } });

    expect(unwrap(await refreshAccessToken(ctx, { uuid }))).toMatchObject({ accessToken: "access-omit-1", refreshed: true });
    expect(await storedSecrets(uuid)).toMatchObject({ access_token: "access-omit-1", refresh_token: "refresh-1" });

    expect(unwrap(await refreshAccessToken(ctx, { uuid }))).toMatchObject({ accessToken: "access-omit-2", refreshed: true });
    expect(endpoint.tokenRequests().map((r) => [r.form.get("grant_type"), r.form.get("refresh_token")])).toEqual([
      ["refresh_token", "refresh-1"],
      ["refresh_token", "refresh-1"],
    ]);
    expect(unwrap(await getIntegrationByUuid(ctx, uuid)).status).toBe("connected");
  });

  it("the control: a rotated refresh token in the answer replaces the stored one", async () => {
    const uuid = await connected("rotates");
    endpoint.answer = () => grant(7);
    unwrap(await refreshAccessToken(ctx, { uuid }));
    expect(await storedSecrets(uuid)).toMatchObject({ access_token: "access-7", refresh_token: "refresh-7" });
  });
});

describe("invalid_grant: the row is re-read first", () => {
  it("uses the token another worker rotated meanwhile: no error status, no failure audited", async () => {
    const uuid = await connected("rotated-meanwhile");
    const prisma = await db();
    endpoint.answer = async () => {
      // Another worker redeemed refresh-1 a moment earlier and stored its answer.
      const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
      const secrets = { ...readSecrets(row), access_token: "access-other", refresh_token: "refresh-other" };
      await prisma.setting.update({ where: { uuid }, data: sealForRow(row, secrets) });
      return { status: 400, body: { error: "invalid_grant", error_description: "refresh token already used" } };
    };

    const result = await refreshAccessToken(ctx, { uuid, staleAccessToken: "access-1" });
    expect(unwrap(result)).toMatchObject({ accessToken: "access-other", refreshed: false });
    expect(endpoint.tokenRequests()).toHaveLength(1);
    const shown = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(shown.status).toBe("connected");
    expect(shown.validationStatus ?? "").not.toMatch(/Reconnect required/);
    expect(await storedSecrets(uuid)).toMatchObject({ access_token: "access-other", refresh_token: "refresh-other" });
    expect(await audits(uuid)).not.toContain("token_refresh_failed");
  });

  it("the control: invalid_grant with nothing rotated sets error + 'Reconnect required' and audits it", async () => {
    const uuid = await connected("dead-grant");
    endpoint.answer = () => ({ status: 400, body: { error: "invalid_grant" } });
    const result = await refreshAccessToken(ctx, { uuid, staleAccessToken: "access-1" });
    expect(result.ok ? "ok" : result.error.code).toBe("reconnect_required");
    const shown = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(shown.status).toBe("error");
    expect(shown.validationStatus).toMatch(/^Reconnect required: /);
    expect(await audits(uuid)).toContain("token_refresh_failed");
  });
});
