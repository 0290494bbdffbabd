import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCOVERY_PER_ORG_PER_MINUTE, clearDiscoveryCache } from "@/lib/integrations/oauth/discovery";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { getProvider } from "@/lib/integrations/providers/registry";
import { allowLoopbackOutbound } from "../support/oauth";
import { sendJson, startHttpServer, type THttpStandIn } from "../support/standins/http-server";
import { setupTestDatabase, type TestDatabase } from "../support/test-db";

// generic_oauth2's issuer URL discovery against a small local server that
// serves path-style issuers (https://host/tenant/v2.0, as Microsoft Entra
// and multi-tenant Keycloak use): the metadata URL follows OpenID Connect
// Discovery, then RFC 8414; a document naming another issuer is refused;
// metadata is cached; cache misses are rate-limited per organization
// (the shared limiter on the real database).

let testDb: TestDatabase;
let server: THttpStandIn;
/** Path → the issuer its metadata document claims. */
const documents = new Map<string, string>();
const requested: string[] = [];

function metadata(issuer: string) {
  return { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, userinfo_endpoint: `${issuer}/userinfo` };
}

beforeAll(async () => {
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  server = await startHttpServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requested.push(path);
    const issuer = documents.get(path);
    if (issuer) sendJson(res, 200, metadata(issuer));
    else sendJson(res, 404, { error: "not_found" });
  });
});
afterAll(async () => {
  await server?.close();
  await testDb?.teardown();
});
beforeEach(() => {
  requested.length = 0;
  documents.clear();
  clearDiscoveryCache();
});

const generic = () => getProvider("generic_oauth2")!;
const resolve = (issuerUrl: string, orgId: string = randomUUID()) =>
  resolveOAuthServer(generic(), { client_id: "c", issuer_url: issuerUrl }, { client_secret: "cs" }, { orgId });

describe("path-style issuers", () => {
  it("OpenID Connect: {issuer}/.well-known/openid-configuration", async () => {
    const issuer = `${server.origin}/tenant-a/v2.0`;
    documents.set("/tenant-a/v2.0/.well-known/openid-configuration", issuer);
    const { as } = await resolve(issuer);
    expect(as.issuer).toBe(issuer);
    expect(as.token_endpoint).toBe(`${issuer}/token`);
    expect(requested).toEqual(["/tenant-a/v2.0/.well-known/openid-configuration"]);
  });

  it("RFC 8414 only: after the OpenID 404, https://host/.well-known/oauth-authorization-server/tenant/v2.0", async () => {
    const issuer = `${server.origin}/tenant-b/v2.0`;
    documents.set("/.well-known/oauth-authorization-server/tenant-b/v2.0", issuer);
    // The RFC 8414 path of the origin, which must not be what a path-style issuer reads.
    documents.set("/.well-known/oauth-authorization-server", server.origin);
    const { as } = await resolve(issuer);
    expect(as.authorization_endpoint).toBe(`${issuer}/authorize`);
    expect(requested).toEqual(["/tenant-b/v2.0/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant-b/v2.0"]);
  });

  it("a document that names another issuer is refused (issuer_mismatch), under either rule, and is not cached", async () => {
    const entered = `${server.origin}/evil/v2.0`;
    documents.set("/evil/v2.0/.well-known/openid-configuration", `${server.origin}/victim/v2.0`);
    documents.set("/.well-known/oauth-authorization-server/evil/v2.0", `${server.origin}/victim/v2.0`);
    const refused = resolve(entered);
    await expect(refused).rejects.toMatchObject({
      code: "issuer_mismatch",
      message: `The provider's metadata is for the issuer ${server.origin}/victim/v2.0, not ${entered}. Enter the issuer URL exactly as the provider states it.`,
    });
    expect(requested).toHaveLength(2);
    await expect(resolve(entered)).rejects.toMatchObject({ code: "issuer_mismatch" });
    expect(requested).toHaveLength(4);
  });

  it("the issuer's origin alone does not stand in for a path-style issuer", async () => {
    documents.set("/.well-known/openid-configuration", server.origin);
    documents.set("/.well-known/oauth-authorization-server", server.origin);
    await expect(resolve(`${server.origin}/tenant-c/v2.0`)).rejects.toMatchObject({ code: "invalid_response" });
    expect(requested).toEqual(["/tenant-c/v2.0/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/tenant-c/v2.0"]);
  });
});

describe("cache and rate limit", () => {
  it("metadata is cached: a second resolve and 20 concurrent ones make no further request", async () => {
    const issuer = `${server.origin}/cached`;
    documents.set("/cached/.well-known/openid-configuration", issuer);
    const orgId = randomUUID();
    await Promise.all(Array.from({ length: 20 }, () => resolve(issuer, orgId)));
    await resolve(issuer, orgId);
    expect(requested).toEqual(["/cached/.well-known/openid-configuration"]);
  });

  it(`an organization gets ${DISCOVERY_PER_ORG_PER_MINUTE} uncached discoveries a minute, then rate_limited before any request; other organizations are not affected`, async () => {
    const orgId = randomUUID();
    const issuers = Array.from({ length: DISCOVERY_PER_ORG_PER_MINUTE + 1 }, (_, i) => `${server.origin}/t${i}`);
    for (const issuer of issuers) documents.set(`${new URL(issuer).pathname}/.well-known/openid-configuration`, issuer);
    for (const issuer of issuers.slice(0, -1)) await resolve(issuer, orgId);
    expect(requested).toHaveLength(DISCOVERY_PER_ORG_PER_MINUTE);

    const over = resolve(issuers.at(-1)!, orgId);
    await expect(over).rejects.toMatchObject({ code: "rate_limited" });
    await expect(over).rejects.toThrow(/^Too many provider metadata reads for your organization\. Try again in \d+ s\.$/);
    expect(requested).toHaveLength(DISCOVERY_PER_ORG_PER_MINUTE);
    // Cached issuers are still served to the limited organization.
    await resolve(issuers[0]!, orgId);
    // Failed discoveries count as well: an unknown issuer is limited just the same.
    await expect(resolve(`${server.origin}/unknown`, orgId)).rejects.toMatchObject({ code: "rate_limited" });
    expect(requested).toHaveLength(DISCOVERY_PER_ORG_PER_MINUTE);

    await resolve(issuers.at(-1)!, randomUUID());
    expect(requested).toHaveLength(DISCOVERY_PER_ORG_PER_MINUTE + 1);
  });
});
