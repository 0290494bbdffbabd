import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TARGET_REFUSED_MESSAGE } from "@/lib/integrations/outbound";
import {
  addConnection,
  authorizationUrl,
  completeAuthorization,
  getIntegrationByUuid,
  refreshAccessToken,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { installLoopbackGuard } from "../support/loopback-guard";
import { REDIRECT_URI, storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import { outboundTestEnv } from "../support/outbound-env";
import { startHttpServer, type THttpStandIn } from "../support/standins/http-server";
import type { TTokenEndpoint } from "../support/standins/token-endpoint";
import { unwrap } from "../support/results";

// OAuth back-channel calls go through the outbound policy: a token endpoint
// or userinfo URL on a local, private or metadata address (typed, or a name
// that resolves there) is refused before any connection is made, and the
// callback stores nothing. The loopback stand-ins count the connections they
// accept; the loopback guard stops any packet that would leave the machine.

let ctx: TServiceContext;
let endpoint: TTokenEndpoint;
let userinfo: THttpStandIn;

installLoopbackGuard();
const outbound = outboundTestEnv();
// The outbound policy is what these tests exercise: each opens exactly what it needs.
const oauth = oauthFixture({ allowLoopback: false, tokenEndpoint: true });

beforeAll(async () => {
  ({ ctx, endpoint } = oauth);
  userinfo = await startHttpServer((_req, res) => res.end(JSON.stringify({ sub: "u", email: "leak@example.com" })));
});
afterAll(async () => {
  await userinfo?.close();
});

let n = 0;
async function connection(urls: { token: string; userinfo?: string }): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name: `idp-${++n}` }));
  const attrs: Record<string, string> = { client_id: "cid", client_secret: "csecret", authorize_url: "https://idp.example.com/authorize", token_url: urls.token };
  if (urls.userinfo) attrs.userinfo_url = urls.userinfo;
  unwrap(await saveSetup(ctx, { uuid, attrs }));
  return uuid;
}

async function callback(uuid: string) {
  const state = new URL(unwrap(await authorizationUrl(ctx, { uuid, redirectUri: REDIRECT_URI })).url).searchParams.get("state")!;
  return (await completeAuthorization(ctx, { params: new URLSearchParams({ code: "the-code", state }) })).result;
}

const connections = () => endpoint.connections() + userinfo.connections();

describe("the token endpoint on an internal address", () => {
  it("the control: the allow-listed stand-in redeems the code", async () => {
    outbound.allow([`127.0.0.1:${endpoint.port}`]);
    const uuid = await connection({ token: `${endpoint.origin}/token` });
    const before = endpoint.connections();
    expect(unwrap(await callback(uuid))).toEqual({ account: "the authorized account" });
    expect(endpoint.connections()).toBeGreaterThan(before);
  });

  const cases: [string, () => string, Record<string, string[]>?][] = [
    ["loopback, not allow-listed", () => `${endpoint.origin}/token`],
    ["a private address", () => "https://10.0.0.1/token"],
    ["the metadata address", () => "https://169.254.169.254/latest/token"],
    ["a name resolving to a private address", () => "https://idp.corp.test/token", { "idp.corp.test": ["10.0.0.1"] }],
    ["a name resolving to loopback", () => `https://idp.loop.test:${endpoint.port}/token`, { "idp.loop.test": ["127.0.0.1"] }],
  ];
  for (const [label, url, answers] of cases) {
    it(`${label}: the code exchange is refused before connecting, nothing stored`, async () => {
      if (answers) outbound.resolve(answers);
      const uuid = await connection({ token: url() });
      const before = connections();
      const result = await callback(uuid);
      expect(result.ok ? "ok" : result.error.code).toBe("oauth_failed");
      expect(result.ok ? "" : result.error.message).toContain(TARGET_REFUSED_MESSAGE);
      expect(connections()).toBe(before);
      expect(unwrap(await getIntegrationByUuid(ctx, uuid)).status).not.toBe("connected");
      expect((await storedSecrets(uuid)).access_token).toBeUndefined();
    });
  }

  it("a refresh at a token endpoint no longer allow-listed is refused before connecting", async () => {
    outbound.allow([`127.0.0.1:${endpoint.port}`]);
    const uuid = await connection({ token: `${endpoint.origin}/token` });
    unwrap(await callback(uuid));
    outbound.allow([]);
    const before = connections();
    const result = await refreshAccessToken(ctx, { uuid });
    expect(result.ok ? "ok" : result.error.code).toBe("refresh_failed");
    expect(result.ok ? "" : result.error.message).toContain(TARGET_REFUSED_MESSAGE);
    expect(connections()).toBe(before);
  });
});

describe("the userinfo URL on an internal address", () => {
  const cases: [string, () => string][] = [
    ["loopback, not allow-listed", () => `${userinfo.origin}/userinfo`],
    ["the metadata address", () => "https://169.254.169.254/userinfo"],
  ];
  for (const [label, url] of cases) {
    it(`${label}: the account is not read from it (no connection); the tokens from the allowed endpoint are kept`, async () => {
      outbound.allow([`127.0.0.1:${endpoint.port}`]);
      const uuid = await connection({ token: `${endpoint.origin}/token`, userinfo: url() });
      const before = userinfo.connections();
      expect(unwrap(await callback(uuid))).toEqual({ account: "the authorized account" });
      expect(userinfo.connections()).toBe(before);
      expect(unwrap(await getIntegrationByUuid(ctx, uuid)).account?.email ?? null).toBeNull();
    });
  }

  it("the control: allow-listed, the account is read from it", async () => {
    outbound.allow([`127.0.0.1:${endpoint.port}`, `127.0.0.1:${userinfo.port}`]);
    const uuid = await connection({ token: `${endpoint.origin}/token`, userinfo: `${userinfo.origin}/userinfo` });
    expect(unwrap(await callback(uuid))).toEqual({ account: "leak@example.com" });
  });
});
