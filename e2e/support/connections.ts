import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { dismissToast } from "./test";

export const LIST_PATH = "/admin/settings/integrations";
export const CONNECTION_URL = /\/admin\/settings\/integrations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A connection name no other test uses (tests share one server and database). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

export function uuidFromUrl(page: Page): string {
  const match = CONNECTION_URL.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not on a connection page: ${page.url()}`);
  return match[1]!;
}

/** Header "Add connection" → dialog → lands on the new connection's page. Returns its uuid. */
export async function addConnection(page: Page, providerName: string, name: string): Promise<string> {
  await page.goto(LIST_PATH);
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await dialog.getByLabel("Provider").selectOption({ label: providerName });
  await dialog.getByLabel("Connection name").fill(name);
  await dialog.getByRole("button", { name: "Add and configure" }).click();
  await expect(page).toHaveURL(CONNECTION_URL);
  await expect(page.getByTestId("connection-name")).toHaveText(name);
  return uuidFromUrl(page);
}

/** A setup field's input (password inputs are textboxes to assistive tech). */
export function secretInput(page: Page, fieldLabel: string) {
  return page.getByRole("textbox", { name: fieldLabel, exact: true });
}

/** On a connection page: types a secret into a (not yet stored) field and saves; waits for the test that follows a save. */
export async function saveSecret(page: Page, fieldLabel: string, value: string): Promise<void> {
  await secretInput(page, fieldLabel).fill(value);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByRole("button", { name: `Replace ${fieldLabel}` })).toBeVisible();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-outcome", /^(ok|failed|refused)$/);
}

/** The status badge in the connection page's header. */
export function headerStatus(page: Page) {
  return page.getByRole("main").locator("header [data-status]");
}
