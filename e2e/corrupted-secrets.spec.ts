import { dismissToast, expect, test } from "./support/test";
import { expectNoAxeViolations } from "./support/axe";
import { addConnection, LIST_PATH, secretInput, uniqueName } from "./support/connections";
import { DB_KIND } from "./support/env";
import { tamperRow, withForeignKey } from "./support/tamper";

test("secrets that no longer decrypt show as unreadable, and the operator enters them again", async ({ page }) => {
  const name = uniqueName("tampered");
  let uuid = "";
  const save = async () => {
    uuid = await addConnection(page, "OpenAI", name);
    await secretInput(page, "API key").fill(`sk-${uniqueName("canary")}`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await dismissToast(page, "Settings saved.");
  };
  if (DB_KIND === "postgres") {
    await save();
    await tamperRow(uuid, "UPDATE settings SET secret = set_byte(secret, 20, get_byte(secret, 20) # 1) WHERE uuid = $1::uuid");
  } else {
    await withForeignKey(page, save);
  }

  // The list says so on the row, instead of "•••• set" or a crash.
  await page.goto(LIST_PATH);
  const row = page.locator(`tr[data-connection="${uuid}"]`);
  await expect(row.getByTestId("secrets-unreadable")).toHaveText("Secrets unreadable — re-enter them");
  await expectNoAxeViolations(page, "the list with an unreadable connection");

  // The form explains, and asks for the key again: nothing claims it is set.
  await row.getByRole("link", { name: `Configure OpenAI “${name}”` }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Secrets unreadable — re-enter them" });
  await expect(alert).toContainText("Type every secret again and save");
  await expect(page.getByTestId("secret-set-api_key")).toHaveCount(0);
  await expect(secretInput(page, "API key")).toBeEditable();
  await expectNoAxeViolations(page, "the form of an unreadable connection");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("API key is required.")).toBeVisible();

  await secretInput(page, "API key").fill(`sk-${uniqueName("canary")}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(alert).toHaveCount(0);
  await expect(page.getByTestId("secret-set-api_key")).toHaveText("•••• set");
  await page.goto(LIST_PATH);
  // Saved and readable again: the test after Save ran on the new key (the stand-in rejects this made-up one).
  await expect(row.locator("[data-status]")).toHaveText("Error");
  await expect(row.getByTestId("secrets-unreadable")).toHaveCount(0);
});
