import type { Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { addConnection, LIST_PATH, saveSecret, uniqueName } from "./support/connections";
import { dismissToast, expect, test } from "./support/test";

// A 390 px phone: nothing pans sideways on any admin page, connection rows
// are stacked cards with their actions in reach, and the navigation is a menu.
test.use({ viewport: { width: 390, height: 844 } });

const ADMIN_PAGES = [LIST_PATH, "/admin/audit", "/admin/audit/api-calls", "/admin/settings/members", "/admin/settings/security", "/admin/settings/api-keys", "/admin/profile"];

/** The page cannot scroll sideways: nothing is wider than the viewport. */
async function expectNoSidewaysPan(page: Page, label: string): Promise<void> {
  const widths = await page.evaluate(() => ({ viewport: window.innerWidth, document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  expect(widths.document, `${label}: document width`).toBeLessThanOrEqual(widths.viewport);
  expect(widths.body, `${label}: body width`).toBeLessThanOrEqual(widths.viewport);
}

/** An element lies entirely inside the viewport's width. */
async function expectWithinViewport(page: Page, box: { x: number; width: number } | null, label: string): Promise<void> {
  expect(box, label).not.toBeNull();
  expect(box!.x, label).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, label).toBeLessThanOrEqual(page.viewportSize()!.width);
}

test("no admin page is wider than a 390 px phone, and each passes axe there", async ({ page }) => {
  test.slow(); // ten axe scans: several seconds each on two shared cores
  const name = uniqueName("phone-with-a-rather-long-connection-name");
  await addConnection(page, "Amazon SES", name);
  await expectNoSidewaysPan(page, "the connection page");
  await expectNoAxeViolations(page, "the connection page at 390 px");
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await expectNoSidewaysPan(page, path);
    await expectNoAxeViolations(page, `${path} at 390 px`);
  }
  await page.goto(LIST_PATH);
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Add connection" })).toBeVisible();
  await expectNoSidewaysPan(page, "the add-connection dialog");
  await expectNoAxeViolations(page, "the add-connection dialog at 390 px");
});

test("connection rows are stacked cards whose actions work on a phone", async ({ page }) => {
  const name = uniqueName("card");
  const uuid = await addConnection(page, "OpenAI", name);
  await saveSecret(page, "API key", `sk-${uniqueName("card")}`);
  await page.goto(LIST_PATH);

  const card = page.locator(`tr[data-connection="${uuid}"]`);
  await expect(card).toBeVisible();
  await expectWithinViewport(page, await card.boundingBox(), "the card");
  // Stacked: the name above the account, the account above the actions, each with its caption.
  const nameBox = (await card.getByRole("link", { name, exact: true }).boundingBox())!;
  const accountBox = (await card.getByText("Account", { exact: true }).boundingBox())!;
  const actions = card.getByRole("button", { name: `Disconnect OpenAI “${name}”` });
  const actionBox = (await actions.boundingBox())!;
  expect(accountBox.y).toBeGreaterThan(nameBox.y);
  expect(actionBox.y).toBeGreaterThan(accountBox.y);
  await expect(card.getByText("Last tested", { exact: true })).toBeVisible();
  // The column headers are for screen readers only here.
  await expect(page.getByRole("columnheader", { name: "Account" })).not.toBeInViewport();

  for (const action of [`Configure OpenAI “${name}”`]) await expectWithinViewport(page, await card.getByRole("link", { name: action }).boundingBox(), action);
  for (const action of [`Disconnect OpenAI “${name}”`, `Remove OpenAI “${name}”`]) {
    await expectWithinViewport(page, await card.getByRole("button", { name: action }).boundingBox(), action);
  }
  await actions.click();
  await dismissToast(page, `Disconnected OpenAI “${name}”.`);
  await expect(card.locator("[data-status]")).toHaveText("Disconnected");
  await expectNoSidewaysPan(page, "the list after an action");
});

test("the navigation collapses into a menu that opens, navigates, closes and signs out", async ({ page }) => {
  await page.goto(LIST_PATH);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Integrations" })).toHaveAttribute("aria-current", "page");
  await expectNoSidewaysPan(page, "the open menu");
  await expectNoAxeViolations(page, "the open menu at 390 px");

  // Escape closes it and returns focus to the button.
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // Following a link closes it on the new page.
  await menu.click();
  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // The account box is in the menu too: signing out is in reach on a phone.
  await menu.click();
  await expect(page.getByRole("complementary").getByText("Admin", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
