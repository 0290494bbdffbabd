import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

const HOME = "/admin/settings/integrations";

describe("safeRedirectPath", () => {
  it.each([
    ["/admin/audit?action=disconnected", "/admin/audit?action=disconnected"],
    ["/admin/settings/integrations/0190b5a4-0000-7000-8000-000000000001", "/admin/settings/integrations/0190b5a4-0000-7000-8000-000000000001"],
    ["/admin/../admin/audit", "/admin/audit"],
  ])("keeps the same-site path %s", (input, expected) => {
    expect(safeRedirectPath(input, HOME)).toBe(expected);
  });

  it.each([undefined, "", "admin", "//evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example/x", "/\tevil", "javascript:alert(1)", "/%0d%0aSet-Cookie:x"])(
    "refuses %j",
    (input) => {
      const out = safeRedirectPath(input, HOME);
      expect(out === HOME || !/evil|javascript/.test(out)).toBe(true);
      expect(new URL(out, "http://app.local").origin).toBe("http://app.local");
    },
  );

  it("refuses backslash and protocol-relative forms outright", () => {
    expect(safeRedirectPath("/\\evil.example", HOME)).toBe(HOME);
    expect(safeRedirectPath("//evil.example", HOME)).toBe(HOME);
  });
});
