import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { authenticatedRequest, getIntegrationByUuid, type TServiceContext } from "@/lib/integrations/service";
import { readSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import type { TOidcStandin } from "../support/standins/oidc-server";
import { auditRows, unwrap } from "../support/results";

// A provider that gave no refresh token (or one dropped since): when the
// upstream answers 401 there is nothing to renew with. The connection turns
// to error with "Reconnect required", and neither that call nor later ones
// go round a refresh/retry loop: one upstream call each, no token call.

let standin: TOidcStandin;
let ctx: TServiceContext;
let uuid: string;
let resource: string;

const oauth = oauthFixture({ oidc: { accessTokenTtlSeconds: 3600 } });
beforeAll(async () => {
  ({ standin, ctx, uuid, resource } = oauth);
  // The stored connection keeps its access token but has no refresh token.
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  const { refresh_token: dropped, ...secrets } = readSecrets(row);
  expect(dropped).toBeTruthy();
  await prisma.setting.update({ where: { uuid }, data: sealForRow(row, secrets) });
});

describe("an upstream 401 for an OAuth connection without a refresh token", () => {
  it("sets status error with 'Reconnect required' after one upstream call and no token call", async () => {
    standin.resetCounters();
    expect(unwrap(await authenticatedRequest(ctx, uuid, { method: "GET", url: resource })).status).toBe(200);
    expect(standin.expireAccessTokens()).toBeGreaterThan(0);
    standin.resetCounters();

    const failed = await authenticatedRequest(ctx, uuid, { method: "GET", url: resource });
    expect(failed.ok ? "ok" : failed.error.code).toBe("reconnect_required");
    expect(failed.ok ? "" : failed.error.message).toMatch(/^Reconnect required: the provider gave no refresh token/);
    expect(standin.counters).toMatchObject({ resourceCalls: 1, resource401: 1, refreshes: 0, refreshErrors: [] });

    const shown = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(shown.status).toBe("error");
    expect(shown.validationStatus).toMatch(/^Reconnect required: /);
    const failures = (await auditRows(ctx.orgId)).filter((r) => r.targetId === uuid && r.action === "token_refresh_failed");
    expect(failures).toHaveLength(1);
  });

  it("later calls, 20 at once, make one upstream call each and never a token call, and audit nothing more", async () => {
    standin.resetCounters();
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticatedRequest(ctx, uuid, { method: "GET", url: resource })));
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(Array(20).fill("reconnect_required"));
    expect(standin.counters).toMatchObject({ resourceCalls: 20, resource401: 20, refreshes: 0 });
    const failures = (await auditRows(ctx.orgId)).filter((r) => r.targetId === uuid && r.action === "token_refresh_failed");
    expect(failures).toHaveLength(1);
  });
});
