import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger, redact } from "@/lib/logger";
import { listProviders, registerProviderModule, unregisterProviderModule } from "@/lib/integrations/providers/registry";
import { PROTOCOL_SECRET_FIELDS } from "@/lib/integrations/providers/token-fields";
import { minimalProvider, withProviderEnv } from "../support/providers";

withProviderEnv();

/** Every line the logger printed (quietly: the canaries are not echoed to the test output). */
let printed: string[] = [];
const out = { text: () => printed.join("\n") };
beforeEach(() => {
  process.env.SWITCHBOARD_LOG_LEVEL = "debug";
  resetEnvCache();
  printed = [];
  for (const m of ["log", "error"] as const) vi.spyOn(console, m).mockImplementation((line: string) => void printed.push(line));
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.SWITCHBOARD_LOG_LEVEL;
  resetEnvCache();
});

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Logs `canary` under `key` flat, nested, in an array and camel-cased, at every level; returns what was printed. */
function logEverywhere(key: string, canary: string): string {
  const fields = {
    [key]: canary,
    attrs: { provider: "p", [key]: canary },
    list: [{ deeper: { [camel(key)]: canary } }],
    [key.toUpperCase()]: canary,
  };
  logger.debug("d", fields);
  logger.info("i", fields);
  logger.warn("w", fields);
  logger.error("e", fields);
  return out.text();
}

describe("log redaction", () => {
  it("replaces secret-looking keys at any depth and keeps the rest", () => {
    const result = redact({
      uuid: "u-1",
      apiKey: "sk-canary-1",
      nested: { client_secret: "canary-2", provider: "google", list: [{ access_token: "canary-3", name: "work" }] },
    });
    expect(result).toEqual({
      uuid: "u-1",
      apiKey: "<redacted>",
      nested: { client_secret: "<redacted>", provider: "google", list: [{ access_token: "<redacted>", name: "work" }] },
    });
  });

  it("hides every secret setup field of every provider, however it is nested or spelled", () => {
    const fields = listProviders().flatMap((p) => p.setupFields.filter((f) => f.secret).map((f) => `${p.key}.${f.key}`));
    // connection_string (postgresql) and passphrase (sftp) escaped the old word list.
    expect(fields).toEqual(expect.arrayContaining(["postgresql.connection_string", "sftp.passphrase", "s3.secret_access_key"]));
    for (const [i, field] of fields.entries()) {
      const key = field.split(".")[1]!;
      const canary = `canary-${i}-${key}`;
      const printed = logEverywhere(key, canary);
      expect(printed, field).not.toContain(canary);
      expect(printed, field).toContain('"<redacted>"');
    }
    expect(out.text().split("\n").length).toBe(fields.length * 4);
  });

  it("hides tokens and protocol secrets: the OAuth code, refresh and id tokens, headers", () => {
    for (const key of [...PROTOCOL_SECRET_FIELDS, "Set-Cookie", "Proxy-Authorization"]) {
      const canary = `canary-proto-${key}`;
      expect(logEverywhere(key, canary), key).not.toContain(canary);
    }
    for (const key of ["access_token", "refresh_token", "id_token", "code", "code_verifier"]) expect(PROTOCOL_SECRET_FIELDS).toContain(key);
  });

  it("hides a secret field a module contributes at runtime, whatever its name", () => {
    const novel = "webhook_signing_material";
    expect(logEverywhere(novel, "canary-before")).toContain("canary-before"); // not secret-looking by name alone
    try {
      registerProviderModule({
        name: "Test webhooks",
        providers: [
          minimalProvider("test_webhooks", {
            setupFields: [
              { key: "api_key", label: "API key", type: "password", required: true, secret: true },
              { key: novel, label: "Signing material", type: "textarea", required: true, secret: true },
            ],
          }),
        ],
      });
      expect(logEverywhere(novel, "canary-after")).not.toContain("canary-after");
    } finally {
      unregisterProviderModule("Test webhooks");
    }
  });

  it("removes the password of a URL written into any string, and keeps harmless fields", () => {
    logger.info("connecting", {
      target: "postgresql://app:canary-url-pw@db.example.com:5432/app",
      note: "see https://user:canary-2@example.com/x and smtp://mail:canary-3@smtp.example.com",
      provider: "postgresql",
      count: 3,
    });
    const printed = out.text();
    for (const c of ["canary-url-pw", "canary-2", "canary-3"]) expect(printed).not.toContain(c);
    const line = JSON.parse(printed) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", message: "connecting", provider: "postgresql", count: 3 });
    expect(line.target).toBe("postgresql://app:<redacted>@db.example.com:5432/app");
  });
});
