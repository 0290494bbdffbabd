import { afterEach, describe, expect, it } from "vitest";
import { setOutboundResolver } from "@/lib/integrations/outbound";
import { resolveOAuthServer } from "@/lib/integrations/oauth/endpoints";
import { runProbe } from "@/lib/integrations/probes/run-probe";
import { getProvider } from "@/lib/integrations/providers/registry";

// OAuth endpoints carry codes, client secrets and tokens: https only, except
// loopback stand-ins. Refused before any lookup or connection.

const generic = () => getProvider("generic_oauth2")!;
const secrets = { client_secret: "cs-canary" };
afterEach(() => setOutboundResolver(null));

describe("OAuth endpoints must be https", () => {
  it.each([
    ["authorization", { authorize_url: "http://idp.example.com/auth", token_url: "https://idp.example.com/token" }],
    ["token", { authorize_url: "https://idp.example.com/auth", token_url: "http://idp.example.com/token" }],
    ["userinfo", { authorize_url: "https://idp.example.com/auth", token_url: "https://idp.example.com/token", userinfo_url: "http://idp.example.com/me" }],
  ])("a plain-http %s URL is refused", async (what, urls) => {
    await expect(resolveOAuthServer(generic(), { client_id: "c", ...urls }, secrets, { orgId: "org" })).rejects.toMatchObject({
      code: "insecure_endpoint",
      message: expect.stringContaining(`The ${what} URL must use https://`),
    });
  });

  it("a plain-http issuer is refused before discovery (no lookup)", async () => {
    let lookups = 0;
    setOutboundResolver(async () => (lookups++, [{ address: "93.184.216.34", family: 4 }]));
    await expect(resolveOAuthServer(generic(), { client_id: "c", issuer_url: "http://idp.example.com" }, secrets, { orgId: "org" })).rejects.toMatchObject({ code: "insecure_endpoint" });
    expect(lookups).toBe(0);
  });

  it("https endpoints, and plain http on loopback (stand-ins), are accepted", async () => {
    const https = await resolveOAuthServer(generic(), { client_id: "c", authorize_url: "https://idp.example.com/auth", token_url: "https://idp.example.com/token" }, secrets, { orgId: "org" });
    expect(https.as.token_endpoint).toBe("https://idp.example.com/token");
    const loop = await resolveOAuthServer(generic(), { client_id: "c", authorize_url: "http://127.0.0.1:9/auth", token_url: "http://127.0.0.1:9/token" }, secrets, { orgId: "org" });
    expect(loop.as.token_endpoint).toBe("http://127.0.0.1:9/token");
  });

  it("the userinfo probe does not send the access token over plain http", async () => {
    let lookups = 0;
    setOutboundResolver(async () => (lookups++, [{ address: "93.184.216.34", family: 4 }]));
    const r = await runProbe(generic(), { userinfo_url: "http://idp.example.com/me", access_token: "at-canary" });
    expect(r).toMatchObject({ ok: false, code: "invalid_input", message: "The userinfo URL must use https://." });
    expect(lookups).toBe(0);
  });
});
