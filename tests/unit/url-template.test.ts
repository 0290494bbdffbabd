import { describe, expect, it } from "vitest";

import { fillTemplate } from "@/lib/integrations/providers/url-template";

describe("fillTemplate", () => {
  it("fills and encodes placeholders", () => {
    expect(fillTemplate("https://api.telegram.org/bot{bot_token}/getMe", { bot_token: "123:AB/c?d" })).toBe(
      "https://api.telegram.org/bot123%3AAB%2Fc%3Fd/getMe",
    );
    expect(fillTemplate("https://login.microsoftonline.com/{tenant}/x", { tenant: "common" })).toBe(
      "https://login.microsoftonline.com/common/x",
    );
  });

  it("inserts {+url} values as URLs and leaves missing optional parts empty", () => {
    expect(fillTemplate("{+base_url}{+validation_path}", { base_url: "https://api.example.com", validation_path: "/v1/me?x=1" })).toBe(
      "https://api.example.com/v1/me?x=1",
    );
    expect(fillTemplate("{+base_url}{+validation_path}", { base_url: "https://api.example.com" })).toBe(
      "https://api.example.com",
    );
    expect(fillTemplate("{+u}", { u: "https://x.example/a b\n%zz%41" })).toBe("https://x.example/a%20b%0A%25zz%41");
  });

  it("throws on a missing required placeholder without echoing values", () => {
    expect(() => fillTemplate("https://x/{tenant}/y", { other: "s3cr3t" })).toThrow(/tenant/);
    try {
      fillTemplate("https://x/{tenant}/y", { other: "s3cr3t" });
    } catch (e) {
      expect(String(e)).not.toContain("s3cr3t");
    }
  });
});
