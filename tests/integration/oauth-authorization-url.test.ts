import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { listProviders } from "@/lib/integrations/providers/registry";
import { addConnection, authorizationUrl, completeAuthorization, getIntegrationByUuid, saveSetup, type TServiceContext } from "@/lib/integrations/service";
import { REDIRECT_URI, storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import type { TTokenEndpoint } from "../support/standins/token-endpoint";
import { unwrap } from "../support/results";
import { setEnv } from "../support/test-db";

// The consent URL each built-in OAuth provider gets from authorizationUrl
// (connections set up through the service, as the form does), and the token
// URL and token answer quirks of Microsoft and GitHub against a scripted
// token endpoint reached through the documented base-URL override.

let ctx: TServiceContext;
let endpoint: TTokenEndpoint;

const oauth = oauthFixture({ tokenEndpoint: true });
beforeAll(() => ({ ctx, endpoint } = oauth));
afterEach(() => setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", undefined));

async function connection(provider: string, attrs: Record<string, string> = {}): Promise<string> {
  const { uuid } = unwrap(await addConnection(ctx, { provider, name: `${provider}-${Math.random().toString(36).slice(2, 8)}` }));
  unwrap(await saveSetup(ctx, { uuid, attrs: { client_id: `${provider}-client`, client_secret: `${provider}-secret`, ...attrs } }));
  return uuid;
}

async function consentUrl(uuid: string): Promise<URL> {
  return new URL(unwrap(await authorizationUrl(ctx, { uuid, redirectUri: REDIRECT_URI })).url);
}

/** What every consent URL carries: client, exact redirect URI, code flow and a 32-byte base64url state. */
function expectCommon(url: URL, clientId: string): void {
  const q = url.searchParams;
  expect(q.get("client_id")).toBe(clientId);
  expect(q.get("redirect_uri")).toBe(REDIRECT_URI);
  expect(q.get("response_type")).toBe("code");
  const state = q.get("state")!;
  expect(state).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(state, "base64url").length).toBeGreaterThanOrEqual(32);
}

describe("authorizationUrl per built-in provider", () => {
  it("Microsoft: the tenant is in the authorize URL (the default 'common' when none is set)", async () => {
    const tenant = await consentUrl(await connection("microsoft", { tenant: "contoso.onmicrosoft.com" }));
    expect(tenant.origin + tenant.pathname).toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    expectCommon(tenant, "microsoft-client");
    expect(tenant.searchParams.get("code_challenge_method")).toBe("S256");
    expect(tenant.searchParams.get("scope")).toBe("openid email profile offline_access User.Read");

    const common = await consentUrl(await connection("microsoft"));
    expect(common.pathname).toBe("/common/oauth2/v2.0/authorize");
  });

  it("Google: access_type=offline and prompt=consent, PKCE S256", async () => {
    const url = await consentUrl(await connection("google", { client_id: "cid.apps.googleusercontent.com" }));
    expect(url.origin + url.pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expectCommon(url, "cid.apps.googleusercontent.com");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("Slack (its registry flag turns PKCE off): no code_challenge, comma-separated scopes", async () => {
    expect(listProviders().find((p) => p.key === "slack")?.oauth?.pkce).toBe(false);
    const url = await consentUrl(await connection("slack"));
    expect(url.origin + url.pathname).toBe("https://slack.com/oauth/v2/authorize");
    expectCommon(url, "slack-client");
    expect(url.searchParams.has("code_challenge")).toBe(false);
    expect(url.searchParams.has("code_challenge_method")).toBe(false);
    expect(url.searchParams.get("scope")).toBe("chat:write,channels:read,users:read");
  });

  it("every other built-in OAuth provider sends PKCE S256 with a fresh state each time", async () => {
    const typed = { authorize_url: "https://idp.example.com/authorize", token_url: "https://idp.example.com/token" };
    const keys = listProviders()
      .filter((p) => p.authType === "oauth2" && p.oauth?.pkce)
      .map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(["google", "microsoft", "github", "generic_oauth2"]));
    for (const key of keys) {
      const uuid = await connection(key, key === "generic_oauth2" ? typed : {});
      const first = await consentUrl(uuid);
      const second = await consentUrl(uuid);
      expectCommon(first, `${key}-client`);
      expect(first.searchParams.get("code_challenge_method"), key).toBe("S256");
      expect(first.searchParams.get("code_challenge"), key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second.searchParams.get("state"), key).not.toBe(first.searchParams.get("state"));
      expect(second.searchParams.get("code_challenge"), key).not.toBe(first.searchParams.get("code_challenge"));
    }
  });
});

/** Drives the callback with a made-up code the scripted endpoint accepts. */
async function callback(uuid: string) {
  const url = await consentUrl(uuid);
  const params = new URLSearchParams({ code: "the-code", state: url.searchParams.get("state")! });
  return { url, outcome: await completeAuthorization(ctx, { params }) };
}

describe("the token call of Microsoft and GitHub (base-URL override to a scripted endpoint)", () => {
  it("Microsoft: the code is redeemed at the tenant's token URL with the PKCE verifier and the exact redirect URI", async () => {
    setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `microsoft=${endpoint.origin}`);
    const uuid = await connection("microsoft", { tenant: "contoso.onmicrosoft.com" });
    endpoint.requests.length = 0;
    const { url, outcome } = await callback(uuid);
    expect(url.origin + url.pathname).toBe(`${endpoint.origin}/contoso.onmicrosoft.com/oauth2/v2.0/authorize`);
    expect(unwrap(outcome.result)).toEqual({ account: "ada@example.com" });
    const [token] = endpoint.tokenRequests();
    expect(token!.path).toBe("/contoso.onmicrosoft.com/oauth2/v2.0/token");
    expect(token!.form.get("grant_type")).toBe("authorization_code");
    expect(token!.form.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(token!.form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it("GitHub: asks for JSON, and a token answer without expires_in stores no expiry", async () => {
    setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `github=${endpoint.origin}`);
    const uuid = await connection("github");
    endpoint.requests.length = 0;
    endpoint.answer = () => ({ body: { access_token: "gho_never_expires", token_type: "bearer", scope: "read:user,user:email" } });
    endpoint.profile = { id: 42, login: "ada", email: "ada@example.com" };
    const { outcome } = await callback(uuid);
    expect(unwrap(outcome.result)).toEqual({ account: "ada@example.com" });
    const [token] = endpoint.tokenRequests();
    expect(token!.path).toBe("/login/oauth/access_token");
    expect(token!.headers.accept).toBe("application/json");
    const shown = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(shown.status).toBe("connected");
    expect(shown.expiresAt).toBeNull();
    expect(shown.scopes).toEqual(["read:user", "user:email"]);
    expect(await storedSecrets(uuid)).toMatchObject({ access_token: "gho_never_expires" });
    expect((await storedSecrets(uuid)).refresh_token).toBeUndefined();
  });

  it("GitHub: the same from a form-encoded answer (expires_in absent), and an expiring one from expires_in", async () => {
    setEnv("SWITCHBOARD_PROVIDER_BASE_URLS", `github=${endpoint.origin}`);
    endpoint.answer = () => ({ contentType: "application/x-www-form-urlencoded", body: { access_token: "gho_form", token_type: "bearer", scope: "read:user" } });
    const formUuid = await connection("github");
    expect((await callback(formUuid)).outcome.result.ok).toBe(true);
    expect(unwrap(await getIntegrationByUuid(ctx, formUuid)).expiresAt).toBeNull();

    // The control: the same path stores an expiry when the answer has one.
    endpoint.answer = () => ({ contentType: "application/x-www-form-urlencoded", body: { access_token: "ghu_expiring", token_type: "bearer", expires_in: "28800" } });
    const expiringUuid = await connection("github");
    expect((await callback(expiringUuid)).outcome.result.ok).toBe(true);
    const expiresAt = new Date(unwrap(await getIntegrationByUuid(ctx, expiringUuid)).expiresAt!).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(28_000_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(28_800_000);
  });
});
