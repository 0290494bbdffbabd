import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { clearDiscoveryCache, DISCOVERY_PER_ORG_PER_MINUTE } from "@/lib/integrations/oauth/discovery";
import { createLimiter } from "@/lib/rate-limit/service/limiter";
import type { TServiceContext } from "@/lib/integrations/service";
import { newKey } from "../support/admin-api";
import { consumerFixture, type TDataPlane } from "../support/consumer-fixture";
import { addGenericConnection, connect, REDIRECT_URI } from "../support/oauth";
import { startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";

// M2: a refresh the organization's OAuth discovery quota blocks is a rate
// limit (429 with Retry-After), not "no such connection" (404): clients take
// a 404 as "removed" and may unpin the uuid. Every service error code has an
// explicit mapping in lib/consumer-api/routes.ts (a compile-time exhaustive
// Record), so no new code can turn into a silent 404.

let ctx: TServiceContext;
let standin: TOidcStandin;
let plane: TDataPlane;

const consumer = consumerFixture({ captureLogs: true, allowLoopback: true, afterPlane: () => standin?.close() });
beforeAll(async () => {
  ({ ctx, plane } = consumer);
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: 600 });
});

describe("a refresh blocked by the discovery quota", () => {
  it("answers 429 rate_limited with Retry-After on /credentials and /proxy, never 404", async () => {
    const uuid = await addGenericConnection(ctx, standin);
    await connect(ctx, uuid);
    const key = (await newKey(ctx, "consumer", { allowedConnections: [uuid] })).key;

    // The token is inside the refresh skew, the issuer's metadata is no longer cached, and the org used up its quota.
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), expires_at: new Date(Date.now() - 1000).toISOString() } } });
    clearDiscoveryCache();
    const quota = createLimiter({ keyPrefix: "oauth-discovery:org", points: DISCOVERY_PER_ORG_PER_MINUTE, durationSeconds: 60 });
    for (let i = 0; i < DISCOVERY_PER_ORG_PER_MINUTE; i++) await quota.consume(ctx.orgId);

    for (const what of ["credentials", "proxy"] as const) {
      const res = await fetch(`${plane.url}/api/v1/connections/${uuid}/${what}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: what === "proxy" ? JSON.stringify({ method: "GET", path: `${standin.issuer}/me` }) : undefined,
      });
      const body = (await res.json()) as { error?: { code: string } };
      expect([what, res.status, body.error?.code]).toEqual([what, 429, "rate_limited"]);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  }, 60_000);
});
