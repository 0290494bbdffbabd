import { describe, expect, it } from "vitest";
import { allowedRules, isUrlAllowed, parseAllowedHosts } from "@/lib/integrations/allowed-hosts";
import { provider, withProviderEnv } from "../support/providers";

const setEnv = withProviderEnv();
const allowed = (key: string, url: string, setup: Record<string, string> = {}) => isUrlAllowed(new URL(url), allowedRules(provider(key), setup));

describe("a connection's own hosts", () => {
  it("built-ins: the registry's API hosts over https only; nothing else", () => {
    expect(allowed("github", "https://api.github.com/user/repos")).toBe(true);
    expect(allowed("github", "http://api.github.com/user")).toBe(false);
    expect(allowed("github", "https://api.github.com:8443/user")).toBe(false);
    expect(allowed("github", "https://evil.example/?to=api.github.com")).toBe(false);
    expect(allowed("github", "https://api.github.com.evil.example/")).toBe(false);
    expect(allowed("openai", "https://api.openai.com/v1/models")).toBe(true);
    expect(allowed("google", "https://www.googleapis.com/drive/v3/files")).toBe(true);
    expect(allowed("google", "https://gmail.googleapis.com/gmail/v1/users/me/messages")).toBe(false);
  });

  it("the per-connection Allowed hosts list: exact hosts, *.subdomains, explicit http and ports", () => {
    const setup = { allowed_hosts: "gmail.googleapis.com, *.example.org http://127.0.0.1:8080" };
    expect(allowed("google", "https://gmail.googleapis.com/x", setup)).toBe(true);
    expect(allowed("google", "https://a.example.org/x", setup)).toBe(true);
    expect(allowed("google", "https://example.org/x", setup)).toBe(false);
    expect(allowed("google", "http://127.0.0.1:8080/x", setup)).toBe(true);
    expect(allowed("google", "https://127.0.0.1:8080/x", setup)).toBe(false);
    expect(allowed("google", "http://127.0.0.1:8081/x", setup)).toBe(false);
    expect(parseAllowedHosts("https://x.example/path")).toBeNull();
    expect(parseAllowedHosts("x.example:99999")).toBeNull();
  });

  it("*.example.com matches exactly one label: not the apex, not deeper, not lookalikes", () => {
    const setup = { allowed_hosts: "*.example.com" };
    expect(allowed("google", "https://api.example.com/x", setup)).toBe(true);
    expect(allowed("google", "https://API.Example.com/x", setup)).toBe(true);
    expect(allowed("google", "https://example.com/x", setup)).toBe(false);
    expect(allowed("google", "https://a.b.example.com/x", setup)).toBe(false);
    expect(allowed("google", "https://evil.attacker.example.com/x", setup)).toBe(false);
    expect(allowed("google", "https://evilexample.com/x", setup)).toBe(false);
    expect(allowed("google", "https://api.evilexample.com/x", setup)).toBe(false);
    expect(allowed("google", "https://api.example.com.evil.test/x", setup)).toBe(false);
    expect(allowed("google", "https://api.example.com./x", setup)).toBe(false);
  });

  it("generic providers: the hosts the operator typed", () => {
    expect(allowed("generic_api_key", "https://api.acme.test/v1/x", { base_url: "https://api.acme.test" })).toBe(true);
    expect(allowed("generic_api_key", "https://other.test/", { base_url: "https://api.acme.test" })).toBe(false);
    const oidc = { userinfo_url: "https://id.acme.test/userinfo", issuer_url: "https://login.acme.test" };
    expect(allowed("generic_oauth2", "https://id.acme.test/other", oidc)).toBe(true);
    expect(allowed("generic_oauth2", "https://login.acme.test/userinfo", oidc)).toBe(true);
    expect(allowed("generic_oauth2", "https://api.acme.test/", oidc)).toBe(false);
  });

  it("follows the base-URL override (tests and proxies)", () => {
    setEnv({ SWITCHBOARD_PROVIDER_BASE_URLS: "github=http://127.0.0.1:4010" });
    expect(allowed("github", "http://127.0.0.1:4010/user")).toBe(true);
    expect(allowed("github", "https://api.github.com/user")).toBe(false);
  });
});
