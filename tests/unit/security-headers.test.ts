import { describe, expect, it } from "vitest";
import { authCookies, isSessionCookie } from "@/lib/auth/cookies";
import { contentSecurityPolicy, newNonce } from "@/lib/http/security-headers";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("content security policy", () => {
  it("allows scripts only by this response's nonce and what they load", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc123==", dev: false, https: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds 'unsafe-eval' only in development and upgrade-insecure-requests only on https", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: true, https: false })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: false, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("next-auth cookies", () => {
  it("are __Host- (Secure, Path=/, no Domain) when the public URL is https", () => {
    for (const cookie of Object.values(authCookies(true))) {
      expect(cookie.name).toMatch(/^__Host-next-auth\./);
      expect(cookie.options).toMatchObject({ secure: true, path: "/", httpOnly: true, sameSite: "lax" });
      expect(cookie.options).not.toHaveProperty("domain");
    }
  });

  it("keep the plain names on http", () => {
    for (const cookie of Object.values(authCookies(false))) {
      expect(cookie.name).toMatch(/^next-auth\./);
      expect(cookie.options.secure).toBe(false);
    }
  });

  it("recognise a session cookie under either name, chunked or whole, and nothing else", () => {
    for (const name of ["next-auth.session-token", "__Host-next-auth.session-token", "next-auth.session-token.0", "__Host-next-auth.session-token.1"]) {
      expect(isSessionCookie(name), name).toBe(true);
    }
    for (const name of ["next-auth.csrf-token", "__Host-next-auth.csrf-token", "next-auth.session-tokenx", "x-next-auth.session-token", "__Secure-next-auth.session-token"]) {
      expect(isSessionCookie(name), name).toBe(false);
    }
  });
});
