import { describe, expect, it } from "vitest";

import { withBaseUrl } from "@/lib/integrations/providers/base-url-override";
import {
  getProvider,
  listProviders,
  registerProviderModule,
  unregisterProviderModule,
  usedByModules,
} from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";
import { minimalProvider, provider, withProviderEnv } from "../support/providers";

const setEnv = withProviderEnv();

describe("lookups and modules", () => {
  it("getProvider accepts key and key:name", () => {
    expect(getProvider("google:work")?.key).toBe("google");
    expect(getProvider("google")?.key).toBe("google");
    expect(getProvider("nope")).toBeUndefined();
    expect(getProvider("nope:google")).toBeUndefined();
  });

  it("names no module that real code does not register", () => {
    // "AI Assistant" and "Mailer" were declared without any code behind them.
    expect(usedByModules()).toEqual({});
    for (const p of listProviders()) expect(usedByModules()[p.key], p.key).toBeUndefined();
  });

  it("a module that only declares what it uses shows up under those providers, and leaves with unregister", () => {
    try {
      registerProviderModule({ name: "Test Mailer", uses: ["smtp", "sendgrid", "smtp"] });
      registerProviderModule({ name: "Test Assistant", uses: ["openai", "smtp"] });
      expect(usedByModules()).toEqual({ smtp: ["Test Mailer", "Test Assistant"], sendgrid: ["Test Mailer"], openai: ["Test Assistant"] });
    } finally {
      unregisterProviderModule("Test Mailer");
      unregisterProviderModule("Test Assistant");
    }
    expect(usedByModules()).toEqual({});
  });

  it("registers a module's providers and uses, and rejects duplicates", () => {
    try {
      registerProviderModule({
        name: "Test CRM",
        providers: [minimalProvider("test_crm")],
        uses: ["openai"],
      });
      expect(getProvider("test_crm")?.name).toBe("Test test_crm");
      expect(usedByModules().test_crm).toEqual(["Test CRM"]);
      expect(usedByModules().openai).toEqual(["Test CRM"]);

      expect(() => registerProviderModule({ name: "Other", providers: [minimalProvider("openai")] })).toThrow(
        /duplicate provider key "openai"/,
      );
      expect(() => registerProviderModule({ name: "Other", providers: [minimalProvider("test_crm")] })).toThrow(
        /duplicate provider key "test_crm".*Test CRM/,
      );
      expect(() =>
        registerProviderModule({ name: "Twice", providers: [minimalProvider("dup_x"), minimalProvider("dup_x")] }),
      ).toThrow(/duplicate provider key "dup_x"/);
      expect(() => registerProviderModule({ name: "Test CRM" })).toThrow(/already registered/);
      // A rejected module registers nothing.
      expect(getProvider("dup_x")).toBeUndefined();
      expect(usedByModules().dup_x).toBeUndefined();
    } finally {
      unregisterProviderModule("Test CRM");
    }
    expect(getProvider("test_crm")).toBeUndefined();
  });

  it("rejects invalid providers", () => {
    const bad: [string, Provider][] = [
      ["bad key", minimalProvider("Bad-Key")],
      [
        "password not secret",
        minimalProvider("bad_secret", {
          setupFields: [{ key: "api_key", label: "Key", type: "password", required: true, secret: false }],
        }),
      ],
      [
        "unknown placeholder",
        minimalProvider("bad_placeholder", {
          validate: { kind: "http", method: "GET", url: "https://x.example/{nope}", auth: { type: "bearer", field: "api_key" } },
        }),
      ],
      [
        "relative URL",
        minimalProvider("bad_url", {
          validate: { kind: "http", method: "GET", url: "/v1/me", auth: { type: "bearer", field: "api_key" } },
        }),
      ],
      ["oauth2 without oauth", minimalProvider("bad_oauth", { authType: "oauth2", validate: { kind: "oauth_userinfo" } })],
      [
        "unknown auth field",
        minimalProvider("bad_auth", {
          validate: { kind: "http", method: "GET", url: "https://x.example/", auth: { type: "bearer", field: "token" } },
        }),
      ],
      ["bad capability", minimalProvider("bad_cap", { capabilities: ["teleport" as never] })],
      [
        "destination naming no secret",
        minimalProvider("bad_destination", {
          setupFields: [
            { key: "api_key", label: "API key", type: "password", required: true, secret: true },
            { key: "base_url", label: "Base URL", type: "text", required: true, secret: false, destinationFor: ["base_url"] },
          ],
        }),
      ],
    ];
    for (const [label, p] of bad) {
      expect(() => registerProviderModule({ name: `Bad ${label}`, providers: [p] }), label).toThrow(/invalid/);
      expect(getProvider(p.key), label).toBeUndefined();
    }
  });
});

describe("platform switches", () => {
  it("disables providers listed in SWITCHBOARD_DISABLED_PROVIDERS", () => {
    expect(provider("openai").enabled).toBe(true);
    setEnv({ SWITCHBOARD_DISABLED_PROVIDERS: "openai, stripe" });
    expect(provider("openai").enabled).toBe(false);
    expect(provider("stripe").enabled).toBe(false);
    expect(provider("anthropic").enabled).toBe(true);
    expect(listProviders().filter((p) => !p.enabled).map((p) => p.key).sort()).toEqual(["openai", "stripe"]);
  });

  it("rewrites origins from SWITCHBOARD_PROVIDER_BASE_URLS and keeps paths", () => {
    setEnv({ SWITCHBOARD_PROVIDER_BASE_URLS: "openai=http://127.0.0.1:4010,google=http://localhost:4011" });
    const openai = provider("openai");
    expect(openai.validate).toMatchObject({ url: "http://127.0.0.1:4010/v1/models" });
    expect(openai.apiBaseUrl).toBe("http://127.0.0.1:4010/v1");
    const google = provider("google");
    expect(google.oauth?.authorizeUrl).toBe("http://localhost:4011/o/oauth2/v2/auth");
    expect(google.oauth?.tokenUrl).toBe("http://localhost:4011/token");
    expect(google.oauth?.userinfoUrl).toBe("http://localhost:4011/v1/userinfo");
    expect(google.oauth?.revokeUrl).toBe("http://localhost:4011/revoke");
    // Others untouched.
    expect(provider("anthropic").validate).toMatchObject({ url: "https://api.anthropic.com/v1/models?limit=1000" });
  });

  it("withBaseUrl handles placeholders, queries, mount paths and operator URLs", () => {
    const ms = withBaseUrl(provider("microsoft"), "http://127.0.0.1:9000");
    expect(ms.oauth?.authorizeUrl).toBe("http://127.0.0.1:9000/{tenant}/oauth2/v2.0/authorize");
    expect(ms.oauth?.userinfoUrl).toBe("http://127.0.0.1:9000/oidc/userinfo");

    const tg = withBaseUrl(provider("telegram"), "http://127.0.0.1:9000/");
    expect(tg.validate).toMatchObject({ url: "http://127.0.0.1:9000/bot{+bot_token}/getMe" });

    // Placeholders in the host part still have a well-defined origin.
    const ses = withBaseUrl(provider("aws_ses"), "http://127.0.0.1:9000");
    expect(ses.apiBaseUrl).toBe("http://127.0.0.1:9000");

    const custom = withBaseUrl(
      minimalProvider("q", {
        validate: {
          kind: "http",
          method: "GET",
          url: "https://api.example.com:8443/v1/me?x=1&y=2#frag",
          auth: { type: "bearer", field: "api_key" },
        },
      }),
      "http://proxy.local:8080/mount/",
    );
    expect(custom.validate).toMatchObject({ url: "http://proxy.local:8080/mount/v1/me?x=1&y=2#frag" });

    // Operator-typed URLs have no origin to rewrite.
    const generic = withBaseUrl(provider("generic_oauth2"), "http://127.0.0.1:9000");
    expect(generic.oauth?.authorizeUrl).toBe("{+authorize_url}");

    // The input is not modified.
    expect(provider("microsoft").oauth?.authorizeUrl).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
    expect(() => withBaseUrl(provider("openai"), "not a url")).toThrow(/Invalid base URL/);
  });
});
