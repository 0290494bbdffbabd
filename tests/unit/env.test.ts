import { afterEach, describe, expect, it } from "vitest";
import { env, providerBaseUrlOverrides, resetEnvCache } from "@/lib/env";
import { parseLaunchEnv } from "@/lib/launch-env.mjs";

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

  it("validates the launcher's PORT and SWITCHBOARD_HOST with the same rules as the app", () => {
    expect(parseLaunchEnv({})).toEqual({ PORT: 3000, SWITCHBOARD_HOST: "127.0.0.1" });
    expect(parseLaunchEnv({ PORT: "8080", SWITCHBOARD_HOST: "0.0.0.0" })).toEqual({ PORT: 8080, SWITCHBOARD_HOST: "0.0.0.0" });
    for (const bad of ["http", "0", "70000", "80.5"]) {
      expect(() => parseLaunchEnv({ PORT: bad })).toThrow(/PORT: must be a port number/);
      process.env.PORT = bad;
      resetEnvCache();
      expect(() => env()).toThrow(/PORT: must be a port number/);
    }
    expect(() => parseLaunchEnv({ SWITCHBOARD_HOST: "0.0.0.0; rm -rf" })).toThrow(/SWITCHBOARD_HOST: must be an interface address/);
    process.env.PORT = "4000";
    process.env.SWITCHBOARD_HOST = "::";
    resetEnvCache();
    expect(env()).toMatchObject({ PORT: 4000, SWITCHBOARD_HOST: "::" });
  });

  it("accepts trusted proxies as IP addresses and CIDR ranges only", () => {
    delete process.env.SWITCHBOARD_TRUSTED_PROXIES;
    resetEnvCache();
    expect(env().SWITCHBOARD_TRUSTED_PROXIES).toEqual([]);
    process.env.SWITCHBOARD_TRUSTED_PROXIES = "10.0.0.2, 172.16.0.0/12,::1, fd00::/8";
    resetEnvCache();
    expect(env().SWITCHBOARD_TRUSTED_PROXIES).toEqual(["10.0.0.2", "172.16.0.0/12", "::1", "fd00::/8"]);
    for (const bad of ["proxy.internal", "10.0.0.0/33", "10.0.0.300", "*"]) {
      process.env.SWITCHBOARD_TRUSTED_PROXIES = `10.0.0.2,${bad}`;
      resetEnvCache();
      expect(() => env(), bad).toThrow(/SWITCHBOARD_TRUSTED_PROXIES.*IP addresses or CIDR ranges/);
    }
  });

  it("defaults the session idle timeout to two hours and refuses nonsense", () => {
    delete process.env.SWITCHBOARD_SESSION_IDLE_MINUTES;
    resetEnvCache();
    expect(env().SWITCHBOARD_SESSION_IDLE_MINUTES).toBe(120);
    process.env.SWITCHBOARD_SESSION_IDLE_MINUTES = "30";
    resetEnvCache();
    expect(env().SWITCHBOARD_SESSION_IDLE_MINUTES).toBe(30);
    for (const bad of ["0", "-5", "soon", "1.5"]) {
      process.env.SWITCHBOARD_SESSION_IDLE_MINUTES = bad;
      resetEnvCache();
      expect(() => env(), bad).toThrow(/SWITCHBOARD_SESSION_IDLE_MINUTES/);
    }
  });
});
