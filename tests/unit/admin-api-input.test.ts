import { describe, expect, it } from "vitest";
import { credentialAttrs } from "@/lib/admin-api/credential-value";
import { parseIntegrationKey } from "@/lib/admin-api/integration-key";
import { ZSetCredentialsBody } from "@/lib/admin-api/schemas";
import { REDACTED, redactParams } from "@/lib/telemetry/redact-params";
import { provider, withProviderEnv } from "../support/providers";

withProviderEnv();

describe("{key} of the admin API", () => {
  it("is provider (= provider:default) or provider:name, canonical without :default", () => {
    expect(parseIntegrationKey("openai")).toEqual({ ok: true, key: { provider: "openai", name: "default", canonical: "openai" } });
    expect(parseIntegrationKey("openai:default")).toEqual({ ok: true, key: { provider: "openai", name: "default", canonical: "openai" } });
    expect(parseIntegrationKey("openai:billing-2")).toEqual({ ok: true, key: { provider: "openai", name: "billing-2", canonical: "openai:billing-2" } });
    expect(parseIntegrationKey("OpenAI")).toEqual({ ok: false, problem: "not_in_catalog_shape" });
    expect(parseIntegrationKey("open ai")).toEqual({ ok: false, problem: "not_in_catalog_shape" });
    expect(parseIntegrationKey("openai:bad name")).toEqual({ ok: false, problem: "invalid_name" });
    expect(parseIntegrationKey("openai:a:b")).toEqual({ ok: false, problem: "invalid_name" });
    expect(parseIntegrationKey("openai:")).toEqual({ ok: false, problem: "invalid_name" });
  });
});

describe("PUT's value", () => {
  it("is 1–8192 characters, a string or an object of strings", () => {
    expect(ZSetCredentialsBody.safeParse({ value: "x" }).success).toBe(true);
    expect(ZSetCredentialsBody.safeParse({ value: "x".repeat(8192) }).success).toBe(true);
    expect(ZSetCredentialsBody.safeParse({ value: "x".repeat(8193) }).success).toBe(false);
    expect(ZSetCredentialsBody.safeParse({ value: "" }).success).toBe(false);
    expect(ZSetCredentialsBody.safeParse({ value: 5 }).success).toBe(false);
    expect(ZSetCredentialsBody.safeParse({}).success).toBe(false);
    expect(ZSetCredentialsBody.safeParse({ value: { host: "db" } }).success).toBe(true);
    expect(ZSetCredentialsBody.safeParse({ value: { host: "x".repeat(8200) } }).success).toBe(false);
    expect(ZSetCredentialsBody.safeParse({ value: { port: 5432 } }).success).toBe(false);
  });

  it("sets the one secret of a single-secret provider, or the fields of a multi-field one", () => {
    expect(credentialAttrs(provider("openai"), "sk-1")).toEqual({ ok: true, attrs: { api_key: "sk-1" } });
    expect(credentialAttrs(provider("openai"), '{"api_key":"sk-2"}')).toEqual({ ok: true, attrs: { api_key: "sk-2" } });
    // A JSON-looking secret that names no field is still the secret.
    expect(credentialAttrs(provider("openai"), '{"weird":"secret"}')).toEqual({ ok: true, attrs: { api_key: '{"weird":"secret"}' } });
    expect(credentialAttrs(provider("postgresql"), { connection_string: "postgres://u:p@h/db" })).toEqual({ ok: true, attrs: { connection_string: "postgres://u:p@h/db" } });
    expect(credentialAttrs(provider("postgresql"), '{"host":"h","database":"d","user":"u"}')).toEqual({ ok: true, attrs: { host: "h", database: "d", user: "u" } });
    const plain = credentialAttrs(provider("postgresql"), "hunter2-canary");
    expect(plain).toMatchObject({ ok: false });
    expect(JSON.stringify(plain)).not.toContain("hunter2-canary");
    // An unknown field is counted, never named (the name is the caller's input).
    const unknown = credentialAttrs(provider("twilio"), { account_sid: "AC1", "nope<canary>": "x" });
    expect(unknown).toMatchObject({ ok: false, message: expect.stringMatching(/^1 unknown field for Twilio\. Fields: /) });
    expect(JSON.stringify(unknown)).not.toContain("canary");
  });
});

describe("telemetry redaction", () => {
  const policy = { declared: ["integration_key", "value", "note"], sensitive: ["value"] };
  it("replaces every sensitive parameter with <redacted>, whatever its type, and cuts long strings", () => {
    const out = redactParams({ integration_key: "openai", value: { api_key: "canary-1" }, note: "n".repeat(1000) }, policy);
    expect(out).toEqual({ integration_key: "openai", value: REDACTED, note: `${"n".repeat(256)}…` });
    expect(redactParams({ value: "canary-2" }, policy)).toEqual({ value: "<redacted>" });
    expect(redactParams("not an object", policy)).toEqual({});
    expect(JSON.stringify(redactParams({ value: ["canary-3"] }, policy))).not.toContain("canary");
  });

  it("keeps only declared parameters (the rest only counted), and a declared one only as a plain value", () => {
    const out = redactParams({ integration_key: { api_key: "canary-4" }, note: ["canary-5"], api_key: "canary-6", "canary-7": 1 }, policy);
    expect(out).toEqual({ integration_key: "<object>", note: "<array>", _undeclared: 2 });
    expect(JSON.stringify(out)).not.toContain("canary");
    expect(redactParams({ note: 3, integration_key: null }, policy)).toEqual({ note: 3, integration_key: null });
  });
});
