import { expectNoAxeViolations as expectNoViolations } from "./support/axe";
import { expect, test } from "./support/test";
import { addConnection, uniqueName } from "./support/connections";
import { createKeyInUi } from "./support/api-keys";
import { ADMIN } from "./support/env";
import { inviteMemberShowingLink } from "./support/members";

// axe-core's WCAG 2.1 A/AA rules on every admin screen: labels, roles,
// contrast, landmarks. Violations are listed by rule and element. (Phone
// widths: small-screens.spec.ts.)
test("the admin screens pass axe's WCAG 2.1 AA checks", async ({ page }) => {
  test.setTimeout(120_000); // nine screens, each a full axe scan, on a shared 2-core machine
  await addConnection(page, "Slack", uniqueName("a11y"));
  await expectNoViolations(page, "the connection page");
  const paths = ["/admin/settings/integrations", "/admin/audit", "/admin/audit/api-calls", "/admin/settings/members", "/admin/settings/security"];
  for (const path of [...paths, "/admin/settings/api-keys", "/admin/api-docs", "/admin/profile"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoViolations(page, path);
  }
  await page.goto("/admin/settings/integrations");
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Add connection" })).toBeVisible();
  await expectNoViolations(page, "the add-connection dialog");
});

test("the API key screens pass axe: the form, the shown-once key, the revoke dialog", async ({ page }) => {
  const name = uniqueName("a11y-key");
  await createKeyInUi(page, { name, scope: "admin" });
  await expectNoViolations(page, "the new key panel");
  await page.getByRole("button", { name: "Done, I stored it" }).click();
  await page.getByRole("radio", { name: /^Consumer —/ }).check();
  await expectNoViolations(page, "the consumer key form");
  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: /^Revoke / }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoViolations(page, "the revoke dialog");
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
    for (const path of ["/admin/settings/api-keys", "/admin/api-docs", "/admin/audit"]) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      await expectNoViolations(page, `${path} (dark)`);
    }
  });
});
