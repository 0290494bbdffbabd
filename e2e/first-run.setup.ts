import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test as setup } from "./support/test";
import { ADMIN, ADMIN_STATE, SERVER_DATA_DIR, SERVER_LOG } from "./support/env";

// Runs once, before every other project. On an empty database the server
// prints a one-time setup link; /setup refuses anyone without it. The
// newcomer opens the printed link, creates the organization and its admin,
// and is signed in.

const PRINTED = /Open (http:\/\/\S+\/setup\?token=([A-Za-z0-9_-]{43}))/;

async function printedLink(): Promise<{ link: string; token: string }> {
  await expect.poll(() => PRINTED.test(fs.readFileSync(SERVER_LOG, "utf8")), { message: "the server prints the setup link" }).toBe(true);
  const [, link, token] = PRINTED.exec(fs.readFileSync(SERVER_LOG, "utf8"))!;
  return { link: link!, token: token! };
}

setup("first-run setup: refused without the printed link, creates the admin with it, and the link dies", async ({ page }) => {
  const { link, token } = await printedLink();
  // The same token is kept in the data directory, for the owner only.
  const file = path.join(SERVER_DATA_DIR, "setup-token");
  expect(fs.readFileSync(file, "utf8").trim()).toBe(token);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);

  // Without the token: the admin pages send a visitor to /setup, which only explains where the link is.
  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Setup needs the link from the server" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create admin account" })).toHaveCount(0);
  // With a wrong token: the same.
  await page.goto(`/setup?token=${randomBytes(32).toString("base64url")}`);
  await expect(page.getByRole("heading", { name: "Setup needs the link from the server" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);

  // The printed link.
  await page.goto(link);
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

  // Setup is one-time: the link is dead and the form is gone for good.
  await page.goto(link);
  await expect(page).not.toHaveURL(/\/setup/);
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);

  await page.context().storageState({ path: ADMIN_STATE });
});
