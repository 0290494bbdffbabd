import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { addConnection, uniqueName } from "./support/connections";
import { ADMIN } from "./support/env";
import { inviteMemberShowingLink } from "./support/members";

// axe-core's WCAG 2.1 A/AA rules on every admin screen: labels, roles,
// contrast, landmarks. Violations are listed by rule and element.
async function expectNoViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `accessibility violations on ${label}`).toEqual([]);
}

test("the admin screens pass axe's WCAG 2.1 AA checks", async ({ page }) => {
  await addConnection(page, "Slack", uniqueName("a11y"));
  await expectNoViolations(page, "the connection page");
  for (const path of ["/admin/settings/integrations", "/admin/audit", "/admin/settings/members", "/admin/settings/security", "/admin/profile"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoViolations(page, path);
  }
  await page.goto("/admin/settings/integrations");
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Add connection" })).toBeVisible();
  await expectNoViolations(page, "the add-connection dialog");
});

test("the members screens (invite link, role and remove dialogs) and the invite page pass axe's WCAG 2.1 AA checks", async ({ page, browser, baseURL }) => {
  test.slow(); // seven axe scans and a second browser
  const email = `a11y-${Date.now()}@example.test`;
  const link = await inviteMemberShowingLink(page, email);
  await expectNoViolations(page, "the members page with an invite link shown");
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: `Change role of ${ADMIN.email}` }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoViolations(page, "the change-role dialog");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Remove ${ADMIN.email}` }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoViolations(page, "the remove-member dialog");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.goto("/admin/profile");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoViolations(page, "the sign-out-everywhere dialog");

  const visitor = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const invitePage = await visitor.newPage();
  await invitePage.goto(link);
  await expect(invitePage.getByRole("button", { name: "Set password and join" })).toBeVisible();
  await expectNoViolations(invitePage, "the invite page");
  await invitePage.goto("/invite?token=not-a-token");
  await expect(invitePage.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await expectNoViolations(invitePage, "the invite page for a dead link");
  await visitor.close();
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
