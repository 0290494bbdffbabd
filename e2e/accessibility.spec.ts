import { expectNoAxeViolations as expectNoViolations } from "./support/axe";
import { expect, test } from "./support/test";
import { addConnection, uniqueName } from "./support/connections";

// axe-core's WCAG 2.1 A/AA rules on every admin screen: labels, roles,
// contrast, landmarks. Violations are listed by rule and element. (Phone
// widths: small-screens.spec.ts.)
test("the admin screens pass axe's WCAG 2.1 AA checks", async ({ page }) => {
  test.slow(); // six axe scans: several seconds each on two shared cores
  await addConnection(page, "Slack", uniqueName("a11y"));
  await expectNoViolations(page, "the connection page");
  for (const path of ["/admin/settings/integrations", "/admin/audit", "/admin/settings/members", "/admin/settings/security"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoViolations(page, path);
  }
  await page.goto("/admin/settings/integrations");
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Add connection" })).toBeVisible();
  await expectNoViolations(page, "the add-connection dialog");
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("the sign-in page passes axe's WCAG 2.1 AA checks", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectNoViolations(page, "/login");
  });
});

test.describe("dark mode", () => {
  test.use({ colorScheme: "dark" });
  test("the list and a connection page keep AA contrast in the dark theme", async ({ page }) => {
    await addConnection(page, "Anthropic", uniqueName("dark"));
    await expectNoViolations(page, "the connection page (dark)");
    await page.goto("/admin/settings/integrations");
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoViolations(page, "/admin/settings/integrations (dark)");
  });
});
