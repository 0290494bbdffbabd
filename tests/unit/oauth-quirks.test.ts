import { describe, expect, it } from "vitest";
import { identityFromProfile, normalizeTokenResponse, tokenRequestHeaders } from "@/lib/integrations/oauth/quirks";

async function normalized(provider: string, body: string, init: ResponseInit & { type?: string } = {}) {
  const response = await normalizeTokenResponse(provider, new Response(body, { status: init.status ?? 200, headers: { "content-type": init.type ?? "application/json" } }));
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("token response quirks", () => {
  it("GitHub: asked for JSON; a form-encoded answer still parses; 200 + error becomes an error; no expires_in = no expiry", async () => {
    expect(tokenRequestHeaders("github")).toEqual({ accept: "application/json" });
    const form = await normalized("github", "access_token=gho_abc&scope=read%3Auser&token_type=bearer", { type: "application/x-www-form-urlencoded" });
    expect(form).toEqual({ status: 200, json: { access_token: "gho_abc", scope: "read:user", token_type: "bearer" } });
    const error = await normalized("github", JSON.stringify({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." }));
    expect(error.status).toBe(400);
    expect(error.json.error).toBe("bad_verification_code");
  });

  it("Slack: ok:false is an error; the bot token type is bearer; a user-only grant is lifted from authed_user", async () => {
    expect(await normalized("slack", JSON.stringify({ ok: false, error: "invalid_code" }))).toEqual({ status: 400, json: { error: "invalid_code" } });
    const bot = await normalized("slack", JSON.stringify({ ok: true, access_token: "xoxb-1", token_type: "bot", scope: "chat:write", team: { id: "T1" } }));
    expect(bot.json).toMatchObject({ access_token: "xoxb-1", token_type: "bearer" });
    const user = await normalized("slack", JSON.stringify({ ok: true, authed_user: { id: "U1", scope: "search:read", access_token: "xoxp-1", token_type: "user", refresh_token: "xoxe-1", expires_in: 43200 } }));
    expect(user.json).toMatchObject({ access_token: "xoxp-1", refresh_token: "xoxe-1", expires_in: 43200, scope: "search:read" });
  });

  it("Microsoft and Google: the ID token (issuer per tenant, or without scheme) is dropped; identity comes from userinfo", async () => {
    for (const provider of ["microsoft", "google"]) {
      const r = await normalized(provider, JSON.stringify({ access_token: "eyJ0", token_type: "Bearer", expires_in: 3599, id_token: "a.b.c", refresh_token: "r" }));
      expect(r.json, provider).not.toHaveProperty("id_token");
      expect(r.json.refresh_token).toBe("r");
    }
    const generic = await normalized("generic_oauth2", JSON.stringify({ access_token: "x", token_type: "Bearer", id_token: "a.b.c" }));
    expect(generic.json.id_token).toBe("a.b.c");
  });

  it("an answer that is not JSON becomes a 502 without a body", async () => {
    const response = await normalizeTokenResponse("google", new Response("<html>oops</html>", { status: 200, headers: { "content-type": "text/html" } }));
    expect(response.status).toBe(502);
  });

  it("reads the account from OIDC claims, GitHub's /user and Slack's auth.test", () => {
    expect(identityFromProfile("google", { sub: "1", email: "ada@example.com", name: "Ada" })).toEqual({ id: "1", email: "ada@example.com", name: "Ada" });
    expect(identityFromProfile("github", { id: 42, login: "octo", email: null })).toEqual({ id: "42", email: null, name: "octo" });
    expect(identityFromProfile("slack", { ok: true, user: "ada", team: "Acme", user_id: "U1" })).toEqual({ id: "U1", email: null, name: "ada (Acme)" });
  });
});
