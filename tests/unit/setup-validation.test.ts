import { generateKeyPairSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import { getProvider, listProviders } from "@/lib/integrations/providers/registry";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import type { Provider } from "@/lib/integrations/providers/types";

function provider(key: string): Provider {
  const p = getProvider(key);
  if (!p) throw new Error(`missing provider ${key}`);
  return p;
}

function testPem(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

describe("validateSetupInput", () => {
  it("accepts valid input, drops unknown keys and empty optionals, applies defaults", () => {
    const r = validateSetupInput(provider("microsoft"), {
      client_id: " abc ",
      client_secret: "shh",
      tenant: "",
      evil: "x",
    });
    expect(r).toEqual({ ok: true, values: { client_id: "abc", client_secret: "shh", tenant: "common" } });
  });

  it("reports missing required fields by label", () => {
    const r = validateSetupInput(provider("openai"), {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.api_key).toBe("API key is required");
    const blank = validateSetupInput(provider("openai"), { api_key: "   " });
    expect(blank.ok).toBe(false);
  });

  it("checks numbers, selects, urls and emails", () => {
    const r = validateSetupInput(provider("smtp"), {
      host: "smtp.example.com",
      port: "abc",
      security: "ssl3",
      from_email: "not-an-email",
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors).sort()).toEqual(["from_email", "port", "security"]);
      expect(r.errors.security).toMatch(/starttls, tls, none/);
    }
    const ok = validateSetupInput(provider("smtp"), { host: "smtp.example.com", port: "465", security: "tls" });
    expect(ok).toEqual({ ok: true, values: { host: "smtp.example.com", port: "465", security: "tls" } });
    const defaults = validateSetupInput(provider("smtp"), { host: "smtp.example.com" });
    expect(defaults.ok && defaults.values.security).toBe("starttls");
    expect(validateSetupInput(provider("smtp"), { host: "smtp.example.com", port: "70000" }).ok).toBe(false);
    expect(validateSetupInput(provider("smtp"), { host: "http://smtp.example.com/" }).ok).toBe(false);

    const g = validateSetupInput(provider("generic_oauth2"), {
      client_id: "a",
      client_secret: "b",
      authorize_url: "javascript:alert(1)",
      token_url: "https://auth.example.com/token",
    });
    expect(g.ok).toBe(false);
    if (!g.ok) expect(Object.keys(g.errors)).toEqual(["authorize_url"]);
  });

  it("generic_oauth2 takes an issuer URL (discovery) or both endpoint URLs", () => {
    const creds = { client_id: "a", client_secret: "b" };
    const neither = validateSetupInput(provider("generic_oauth2"), creds);
    expect(neither.ok).toBe(false);
    if (!neither.ok) expect(Object.keys(neither.errors).sort()).toEqual(["authorize_url", "token_url"]);
    expect(validateSetupInput(provider("generic_oauth2"), { ...creds, issuer_url: "https://auth.example.com" }).ok).toBe(true);
    expect(validateSetupInput(provider("generic_oauth2"), { ...creds, authorize_url: "https://a.example/auth" }).ok).toBe(false);
  });

  it("checks the Allowed hosts list of every HTTP provider", () => {
    const bad = validateSetupInput(provider("openai"), { api_key: "sk-1", allowed_hosts: "https://evil.example/path?x" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(["allowed_hosts"]);
    const good = validateSetupInput(provider("openai"), { api_key: "sk-1", allowed_hosts: "api.example.com, *.example.org http://127.0.0.1:8080" });
    expect(good.ok && good.values.allowed_hosts).toBe("api.example.com, *.example.org http://127.0.0.1:8080");
    expect(provider("smtp").setupFields.some((f) => f.key === "allowed_hosts")).toBe(false);
  });

  it("validates sftp private keys as PEM and enforces the auth method's secret", () => {
    const base = { host: "files.example.com", username: "deploy" };
    const good = validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key", private_key: testPem() });
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.values.port).toBe("22");

    const openssh = [
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
      "QyNTUxOQAAACBvcGVuc3NoLXRlc3Qta2V5LW5vdC1yZWFsLWRhdGEAAAA=",
      "-----END OPENSSH PRIVATE KEY-----",
      "",
    ].join("\n");
    expect(validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key", private_key: openssh }).ok).toBe(true);

    const junk = "this is not a key, just some-secret-text 12345";
    const bad = validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key", private_key: junk });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.private_key).toBe("Private key must be PEM (-----BEGIN … PRIVATE KEY-----)");
      expect(JSON.stringify(bad.errors)).not.toContain(junk);
    }
    const mismatched = testPem().replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----");
    expect(validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key", private_key: mismatched }).ok).toBe(false);
    const badBody = "-----BEGIN PRIVATE KEY-----\nnot*base64!!\n-----END PRIVATE KEY-----";
    expect(validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key", private_key: badBody }).ok).toBe(false);

    const noKey = validateSetupInput(provider("sftp"), { ...base, auth_method: "private_key" });
    expect(!noKey.ok && noKey.errors.private_key).toMatch(/required/);
    const noPassword = validateSetupInput(provider("sftp"), { ...base, auth_method: "password" });
    expect(!noPassword.ok && noPassword.errors.password).toMatch(/required/);
    const withPassword = validateSetupInput(provider("sftp"), { ...base, auth_method: "password", password: " p w " });
    expect(withPassword.ok && withPassword.values.password).toBe(" p w ");
  });

  it("postgresql needs a connection string or host + database + user", () => {
    const pg = provider("postgresql");
    const none = validateSetupInput(pg, {});
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors.connection_string).toMatch(/connection string, or host, database and user/);

    expect(validateSetupInput(pg, { connection_string: "postgresql://u:p@db:5432/app" }).ok).toBe(true);
    expect(validateSetupInput(pg, { connection_string: "postgres://u@db/app" }).ok).toBe(true);
    const wrongScheme = validateSetupInput(pg, { connection_string: "mysql://u:hunter2@db/app" });
    expect(wrongScheme.ok).toBe(false);
    if (!wrongScheme.ok) expect(JSON.stringify(wrongScheme.errors)).not.toContain("hunter2");

    const fields = validateSetupInput(pg, { host: "db.example.com", database: "app", user: "svc", sslmode: "require" });
    expect(fields).toEqual({ ok: true, values: { host: "db.example.com", database: "app", user: "svc", sslmode: "require" } });
    const partial = validateSetupInput(pg, { host: "db.example.com" });
    expect(partial.ok).toBe(false);
    if (!partial.ok) expect(Object.keys(partial.errors).sort()).toEqual(["database", "user"]);
    // Field errors and the either/or rule are reported together.
    const both = validateSetupInput(pg, { port: "x" });
    expect(!both.ok && Object.keys(both.errors).sort()).toEqual(["connection_string", "port"]);
    expect(validateSetupInput(pg, { host: "db", database: "a", user: "u", sslmode: "maybe" }).ok).toBe(false);
  });

  it("never puts a submitted value in an error message", () => {
    const canary = "CANARY-9f8e7d6c5b4a";
    for (const p of listProviders()) {
      const attrs: Record<string, string> = {};
      for (const f of p.setupFields) attrs[f.key] = `${canary}\u0000 \n<script>`;
      const r = validateSetupInput(p, attrs);
      if (!r.ok) expect(JSON.stringify(r.errors), p.key).not.toContain(canary);
    }
  });

  it("normalizes the generic API key header prefix", () => {
    const r = validateSetupInput(provider("generic_api_key"), {
      base_url: "https://api.example.com",
      api_key: "k",
      header_prefix: "Token",
      validation_path: "/v1/me",
    });
    expect(r).toEqual({
      ok: true,
      values: {
        base_url: "https://api.example.com",
        api_key: "k",
        header_name: "Authorization",
        header_prefix: "Token ",
        validation_path: "/v1/me",
      },
    });
    const bad = validateSetupInput(provider("generic_api_key"), {
      base_url: "https://api.example.com",
      api_key: "k",
      header_name: "Bad Header:",
      validation_path: "v1/me",
    });
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(["header_name", "validation_path"]);
  });
});
