import { describe, expect, it } from "vitest";
import { redact } from "@/lib/logger";

describe("log redaction", () => {
  it("replaces secret-looking keys at any depth and keeps the rest", () => {
    const out = redact({
      uuid: "u-1",
      apiKey: "sk-canary-1",
      nested: { client_secret: "canary-2", provider: "google", list: [{ access_token: "canary-3", name: "work" }] },
    });
    expect(out).toEqual({
      uuid: "u-1",
      apiKey: "<redacted>",
      nested: { client_secret: "<redacted>", provider: "google", list: [{ access_token: "<redacted>", name: "work" }] },
    });
    expect(JSON.stringify(out)).not.toMatch(/canary/);
  });
});
