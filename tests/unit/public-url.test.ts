import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-url";
import { oauthRedirectUri } from "@/lib/integrations/oauth/redirect-uri";

// The redirect URI operators register, and the base URL of every copy-paste
// example, come from configuration only: nothing a request carries (Host,
// X-Forwarded-Host) can reach them, so none of these functions takes a request.
describe("public URL", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("is NEXTAUTH_URL without a trailing slash, and the callback sits under it", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://switchboard.example.com/");
    resetEnvCache();
    expect(publicBaseUrl()).toBe("https://switchboard.example.com");
    expect(oauthRedirectUri()).toBe("https://switchboard.example.com/api/oauth/callback");
  });

  it("keeps a path prefix of NEXTAUTH_URL", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://example.com/switchboard");
    resetEnvCache();
    expect(oauthRedirectUri()).toBe("https://example.com/switchboard/api/oauth/callback");
  });

  it("falls back to http://localhost:PORT when no public URL is configured (next dev)", () => {
    vi.stubEnv("NEXTAUTH_URL", "");
    vi.stubEnv("PORT", "4123");
    resetEnvCache();
    expect(oauthRedirectUri()).toBe("http://localhost:4123/api/oauth/callback");
  });
});
