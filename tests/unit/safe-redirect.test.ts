import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

const HOME = "/admin";

describe("safeRedirectPath", () => {
  it.each([
    ["/admin/audit?action=disconnected", "/admin/audit?action=disconnected"],
    ["/admin/settings/integrations/0190b5a4-0000-7000-8000-000000000001", "/admin/settings/integrations/0190b5a4-0000-7000-8000-000000000001"],
    ["/admin/../admin/audit", "/admin/audit"],
    ["/admin/./audit#top", "/admin/audit#top"],
    ["/admin/audit?target=integration%3Astripe%3Adefault", "/admin/audit?target=integration%3Astripe%3Adefault"],
  ])("keeps the same-site path %s", (input, expected) => {
    expect(safeRedirectPath(input, HOME)).toBe(expected);
  });

  // The review's four: dot segments normalise a path into a protocol-relative URL.
  it.each(["/.//evil.com", "/..//evil.com", "/%2e//evil.com", "/a/..//evil.com/x"])("refuses %j, which normalises to //evil.com", (input) => {
    expect(safeRedirectPath(input, HOME)).toBe(HOME);
  });

  it.each([
    undefined,
    "",
    "admin",
    "evil.com",
    "//evil.com",
    "///evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "\\\\evil.com",
    "/%5Cevil.com",
    "/%5C%5Cevil.com",
    "/%2F%2Fevil.com",
    "/%2f/evil.com",
    "/%252e%252e//evil.com",
    "/%2e%2e//evil.com",
    "/admin/%2e%2e/%2e%2e//evil.com",
    "/././/evil.com",
    "/a/b/../..//evil.com",
    "https://evil.com/x",
    "http:/evil.com",
    "//evil.com@app.local",
    "/https://evil.com",
    "/javascript:alert(1)",
    "javascript:alert(1)",
    "/\tevil",
    "/\t/evil.com",
    "/\n/evil.com",
    "/%09/evil.com",
    "/%0d%0aSet-Cookie:x",
    "/%00",
    "/%E0%A4%A",
  ])("refuses %j", (input) => {
    expect(safeRedirectPath(input, HOME)).toBe(HOME);
  });

  it("refuses a path longer than any link of ours", () => {
    expect(safeRedirectPath(`/${"a".repeat(3000)}`, HOME)).toBe(HOME);
  });

  it("never returns anything a browser would read as another origin", () => {
    const tricky = ["/.//x", "/..//x", "/%2e/%2e//x", "/a/%2e%2e//x", "/%2e%2e%2f/x", "/a/..%2f/x", "/?//x", "/#//x"];
    for (const input of tricky) {
      const out = safeRedirectPath(input, HOME);
      expect(out.startsWith("//"), `${input} → ${out}`).toBe(false);
      expect(new URL(out, "http://app.local").origin, `${input} → ${out}`).toBe("http://app.local");
    }
  });
});
