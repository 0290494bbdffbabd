import { describe, expect, it } from "vitest";

import { isKnownIcon, providerIcon } from "@/lib/integrations/providers/icons";
import { ZProvider } from "@/lib/integrations/providers/provider-schema";
import { getProvider, listProviders } from "@/lib/integrations/providers/registry";
import { providerUrlTemplates, templatePlaceholders } from "@/lib/integrations/providers/url-template";
import type { AuthType } from "@/lib/integrations/providers/types";
import { provider, withProviderEnv } from "../support/providers";

withProviderEnv();

const SPEC_PROVIDERS: Record<string, AuthType> = {
  google: "oauth2",
  microsoft: "oauth2",
  slack: "oauth2",
  github: "oauth2",
  github_token: "api_key",
  openai: "api_key",
  openrouter: "api_key",
  mistral: "api_key",
  deepseek: "api_key",
  xai: "api_key",
  elevenlabs: "api_key",
  anthropic: "api_key",
  stripe: "api_key",
  sendgrid: "api_key",
  brevo: "api_key",
  telegram: "bot_token",
  discord: "bot_token",
  aws_ses: "key_secret",
  s3: "key_secret",
  twilio: "key_secret",
  smtp: "credentials",
  postgresql: "credentials",
  sftp: "credentials",
  generic_oauth2: "oauth2",
  generic_api_key: "api_key",
};

describe("registry integrity", () => {
  const all = () => listProviders();

  it("lists every spec provider with the right auth type", () => {
    for (const [key, authType] of Object.entries(SPEC_PROVIDERS)) {
      expect(getProvider(key)?.authType, key).toBe(authType);
    }
    expect(all().length).toBeGreaterThanOrEqual(Object.keys(SPEC_PROVIDERS).length);
  });

  it("has unique, well-formed provider keys and is sorted by name", () => {
    const keys = all().map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[a-z0-9_]+$/);
    const names = all().map((p) => p.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  });

  it("every provider passes ZProvider and carries real metadata", () => {
    for (const p of all()) {
      const parsed = ZProvider.safeParse(p);
      expect(parsed.success, `${p.key}: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
      expect(p.enabled, p.key).toBe(true);
      expect(p.description.length, p.key).toBeGreaterThan(10);
      expect(p.docsUrl, p.key).toMatch(/^https:\/\//);
      expect(p.instructions?.length ?? 0, p.key).toBeGreaterThanOrEqual(2);
      expect(p.instructions?.length ?? 0, p.key).toBeLessThanOrEqual(4);
      expect(p.capabilities.length, p.key).toBeGreaterThan(0);
    }
  });

  it("has unique, valid setup field keys; password and well-known secret fields are secret", () => {
    const secretKeys = new Set([
      "client_secret",
      "api_key",
      "secret_access_key",
      "key_secret",
      "bot_token",
      "password",
      "private_key",
      "passphrase",
      "connection_string",
    ]);
    for (const p of all()) {
      const keys = p.setupFields.map((f) => f.key);
      expect(new Set(keys).size, p.key).toBe(keys.length);
      for (const f of p.setupFields) {
        expect(f.key, `${p.key}.${f.key}`).toMatch(/^[a-z0-9_]+$/);
        expect(f.label.length, `${p.key}.${f.key}`).toBeGreaterThan(0);
        if (f.type === "password") expect(f.secret, `${p.key}.${f.key}`).toBe(true);
        if (secretKeys.has(f.key)) expect(f.secret, `${p.key}.${f.key}`).toBe(true);
        if (f.type === "select") expect(f.options?.length ?? 0, `${p.key}.${f.key}`).toBeGreaterThan(0);
      }
    }
  });

  it("oauth2 providers have https authorize/token URLs and client credentials fields", () => {
    const oauth = all().filter((p) => p.authType === "oauth2");
    expect(oauth.map((p) => p.key)).toEqual(expect.arrayContaining(["google", "microsoft", "slack", "github"]));
    for (const p of oauth) {
      expect(p.oauth, p.key).toBeDefined();
      const keys = p.setupFields.map((f) => f.key);
      expect(keys, p.key).toEqual(expect.arrayContaining(["client_id", "client_secret"]));
      expect(p.setupFields.find((f) => f.key === "client_id")?.secret, p.key).toBe(false);
      expect(p.setupFields.find((f) => f.key === "client_secret")?.secret, p.key).toBe(true);
      expect(p.validate.kind, p.key).toBe("oauth_userinfo");
      for (const url of [p.oauth?.authorizeUrl ?? "", p.oauth?.tokenUrl ?? ""]) {
        if (p.key === "generic_oauth2") {
          // The operator types these (or an issuer URL instead: setup-validation's cross-field rule).
          const m = /^\{\+([a-z0-9_]+)\}$/.exec(url);
          expect(m, url).not.toBeNull();
          const field = p.setupFields.find((f) => f.key === m?.[1]);
          expect(field?.format).toBe("url");
        } else {
          expect(url, p.key).toMatch(/^https:\/\/[a-z0-9.{}-]+\//);
        }
      }
    }
  });

  it("non-oauth providers have no oauth config", () => {
    for (const p of all().filter((x) => x.authType !== "oauth2")) expect(p.oauth, p.key).toBeUndefined();
  });

  it("http validate URLs are absolute https (or operator-supplied) and reference existing fields", () => {
    for (const p of all()) {
      if (p.validate.kind !== "http") continue;
      if (p.key === "generic_api_key") expect(p.validate.url).toMatch(/^\{\+base_url\}/);
      else expect(p.validate.url, p.key).toMatch(/^https:\/\/[^/]+\//);
      const a = p.validate.auth;
      const refs =
        a.type === "basic" ? [a.usernameField, a.passwordField] : [a.field];
      for (const r of refs) expect(p.setupFields.some((f) => f.key === r), `${p.key}: ${r}`).toBe(true);
    }
  });

  it("every {placeholder} in a URL names an existing setup field", () => {
    for (const p of all()) {
      const keys = new Set(p.setupFields.map((f) => f.key));
      for (const { where, url } of providerUrlTemplates(p)) {
        for (const ph of templatePlaceholders(url)) expect(keys.has(ph), `${p.key} ${where} {${ph}}`).toBe(true);
        // No stray braces that the template filler would not understand.
        expect(url.replace(/\{\+?[a-z0-9_]+\}/g, ""), `${p.key} ${where}`).not.toMatch(/[{}]/);
      }
    }
  });

  it("uses the documented probes and URLs", () => {
    const v = (k: string) => provider(k).validate;
    expect(v("openai")).toMatchObject({ kind: "http", method: "GET", url: "https://api.openai.com/v1/models", auth: { type: "bearer" } });
    expect(v("anthropic")).toMatchObject({
      url: "https://api.anthropic.com/v1/models?limit=1000",
      auth: { type: "header", header: "x-api-key" },
      headers: { "anthropic-version": "2023-06-01" },
    });
    expect(v("stripe")).toMatchObject({ url: "https://api.stripe.com/v1/balance", auth: { type: "bearer" } });
    expect(v("telegram")).toMatchObject({
      url: "https://api.telegram.org/bot{+bot_token}/getMe",
      auth: { type: "path", field: "bot_token", pattern: "^\\d+:[A-Za-z0-9_-]{30,}$" },
      checks: [{ path: "ok", equals: true }],
      accountPath: "result.username",
    });
    expect(v("discord")).toMatchObject({
      url: "https://discord.com/api/v10/users/@me",
      auth: { type: "header", header: "Authorization", prefix: "Bot " },
    });
    expect(v("sendgrid")).toMatchObject({ url: "https://api.sendgrid.com/v3/scopes" });
    expect(v("brevo")).toMatchObject({ url: "https://api.brevo.com/v3/account", auth: { type: "header", header: "api-key" } });
    expect(v("elevenlabs")).toMatchObject({ url: "https://api.elevenlabs.io/v1/user", auth: { header: "xi-api-key" } });
    expect(v("github_token")).toMatchObject({ url: "https://api.github.com/user", accountPath: "login" });
    expect(v("openrouter")).toMatchObject({ url: "https://openrouter.ai/api/v1/key" });
    expect(v("smtp")).toEqual({ kind: "smtp" });
    expect(v("postgresql")).toEqual({ kind: "postgresql" });
    expect(v("sftp")).toEqual({ kind: "sftp" });

    const google = provider("google").oauth;
    expect(google?.defaultScopes).toEqual(["openid", "email", "profile"]);
    expect(google?.extraAuthParams).toEqual({ access_type: "offline", prompt: "consent" });
    const ms = provider("microsoft");
    expect(ms.oauth?.authorizeUrl).toBe("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize");
    expect(ms.oauth?.defaultScopes).toEqual(["openid", "email", "profile", "offline_access", "User.Read"]);
    expect(ms.setupFields.find((f) => f.key === "tenant")?.default).toBe("common");
    expect(provider("slack").oauth?.authorizeUrl).toBe("https://slack.com/oauth/v2/authorize");
  });

  it("every icon is a known logo or glyph (details in provider-icons.test.ts)", () => {
    for (const p of all()) expect(isKnownIcon(p.icon), `${p.key}: ${p.icon}`).toBe(true);
    expect(providerIcon("google")).toMatchObject({ kind: "logo", title: "Google" });
  });

  it("marks the fields that decide where a secret is sent, and covers every secret of such a provider", () => {
    const TOKENS = ["access_token", "refresh_token", "id_token"];
    for (const p of all()) {
      const secrets = p.setupFields.filter((f) => f.secret).map((f) => f.key);
      const destinations = p.setupFields.filter((f) => f.destinationFor);
      // A field that names a host or a whole URL (other than the authorization URL, which only the browser visits) is a destination:
      // a `{+field}` placeholder that starts a URL or sits in its authority. (An encoded `{field}` in a host, like
      // s3.{region}.amazonaws.com, cannot hold "/", "@" or ":", so it cannot leave the fixed domain.)
      const inTemplates = providerUrlTemplates(p)
        .filter(({ where }) => where !== "oauth.authorizeUrl")
        .flatMap(({ url }) => [.../^(?:https?:\/\/[^/]*?)?\{\+([a-z0-9_]+)\}/.exec(url)?.slice(1) ?? []]);
      for (const f of p.setupFields) {
        const mustBe = f.format === "hostname" || (f.format === "url" && f.key !== "authorize_url") || inTemplates.includes(f.key);
        if (mustBe) expect(f.destinationFor, `${p.key}.${f.key} decides where secrets go`).toBeDefined();
        for (const s of f.destinationFor ?? []) expect([...secrets, ...TOKENS], `${p.key}.${f.key} → ${s}`).toContain(s);
      }
      if (destinations.length === 0) continue;
      const covered = new Set([...destinations.flatMap((d) => d.destinationFor ?? []), ...destinations.filter((d) => d.secret).map((d) => d.key)]);
      for (const s of secrets) expect(covered.has(s), `${p.key}.${s} travels to a destination that no field names`).toBe(true);
    }
    const marked = all().flatMap((p) => p.setupFields.filter((f) => f.destinationFor).map((f) => `${p.key}.${f.key}`));
    expect(marked).toEqual(
      expect.arrayContaining([
        "generic_api_key.base_url",
        "generic_oauth2.token_url",
        "generic_oauth2.userinfo_url",
        "generic_oauth2.revoke_url",
        "s3.endpoint",
        "smtp.host",
        "sftp.host",
        "postgresql.host",
        "postgresql.connection_string",
      ]),
    );
  });

  it("only providers with a probe talk about testing (every built-in has one)", () => {
    // "test-mode keys (sk_test_…)" is Stripe's vocabulary, not a promise.
    const promise = /\btest(?:ed|ing|s)?\b(?!-mode)|Test Connection/i;
    for (const p of all()) {
      expect(p.validate.kind, p.key).not.toBe("none");
      if (p.validate.kind !== "none") continue;
      const texts = [p.description, ...(p.instructions ?? []), ...p.setupFields.flatMap((f) => [f.label, f.help ?? "", f.placeholder ?? ""])];
      for (const t of texts) expect(t, p.key).not.toMatch(promise);
    }
  });

  it("returns frozen providers that callers cannot corrupt", () => {
    const p = provider("openai");
    expect(Object.isFrozen(p)).toBe(true);
    expect(() => {
      (p as { enabled: boolean }).enabled = false;
    }).toThrow();
  });
});
