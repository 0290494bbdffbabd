import { afterEach, describe, expect, it } from "vitest";
import { env, providerBaseUrlOverrides, resetEnvCache } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("env", () => {
  it("names the variable and the rule on a bad value", () => {
    process.env.DATABASE_URL = "mysql://nope";
    resetEnvCache();
    expect(() => env()).toThrow(/DATABASE_URL: must be a postgres/);
  });

  it("accepts only an http(s) public URL", () => {
    process.env.NEXTAUTH_URL = "ftp://files.example.com";
    resetEnvCache();
    expect(() => env()).toThrow(/NEXTAUTH_URL: must be an http:\/\/ or https:\/\/ URL/);
    process.env.NEXTAUTH_URL = "https://switchboard.example.com";
    resetEnvCache();
    expect(env().NEXTAUTH_URL).toBe("https://switchboard.example.com");
  });

  it("parses the provider base-URL overrides", () => {
    process.env.SWITCHBOARD_PROVIDER_BASE_URLS = "openai=http://127.0.0.1:4010, stripe=http://127.0.0.1:4011";
    resetEnvCache();
    expect(providerBaseUrlOverrides()).toEqual({ openai: "http://127.0.0.1:4010", stripe: "http://127.0.0.1:4011" });
  });

  it("defaults the connection limit to 50 and rejects nonsense", () => {
    delete process.env.SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER;
    resetEnvCache();
    expect(env().SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER).toBe(50);
    process.env.SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER = "lots";
    resetEnvCache();
    expect(() => env()).toThrow(/SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER/);
  });
});
