import { expect, test as setup } from "./support/test";
import { ADMIN, ADMIN_STATE } from "./support/env";

// Runs once, before every other project: the first visit on an empty database
// goes to /setup, which creates the organization and its admin and signs in.
setup("first-run setup creates the admin and signs in", async ({ page }) => {
  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Switchboard" })).toBeVisible();

  await page.getByLabel("Organization name").fill(ADMIN.orgName);
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();

  await expect(page).toHaveURL(/\/admin\/settings\/integrations$/);
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
  const nav = page.getByRole("complementary");
  await expect(nav.getByText(ADMIN.orgName)).toBeVisible();
  await expect(nav.getByText(ADMIN.email)).toBeVisible();
  await expect(page.getByText("No connections yet")).toBeVisible();

  // Setup is one-time: the form is gone for good.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup$/);

  await page.context().storageState({ path: ADMIN_STATE });
});
