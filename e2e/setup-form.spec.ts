import { dismissToast, expect, test } from "./support/test";
import { addConnection, secretInput, uniqueName } from "./support/connections";

test("an optional stored secret can be removed, so the other form of the setup takes over", async ({ page }) => {
  await addConnection(page, "PostgreSQL", uniqueName("pg"));
  await secretInput(page, "Connection string").fill("postgresql://app:pw@db.example.com:5432/app");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByTestId("secret-set-connection_string")).toHaveText("•••• set");

  // Remove is offered for optional secrets only, and can be taken back before saving.
  await page.getByRole("button", { name: "Remove Connection string" }).click();
  await expect(page.getByText("Removed when you save")).toBeVisible();
  await page.getByRole("button", { name: "Keep Connection string" }).click();
  await expect(page.getByTestId("secret-set-connection_string")).toBeVisible();

  await page.getByRole("button", { name: "Remove Connection string" }).click();
  await page.getByLabel("Host").fill("db.example.com");
  await page.getByLabel("Database").fill("app");
  await page.getByLabel("User", { exact: true }).fill("app");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByTestId("secret-set-connection_string")).toHaveCount(0);
  await expect(secretInput(page, "Connection string")).toHaveValue("");
  await page.reload();
  await expect(page.getByLabel("Host")).toHaveValue("db.example.com");
  await expect(secretInput(page, "Connection string")).toBeEditable();
});

test("a required secret offers Replace but not Remove", async ({ page }) => {
  await addConnection(page, "Groq", uniqueName("groq"));
  await secretInput(page, "API key").fill(`gsk_${uniqueName("k")}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByRole("button", { name: "Replace API key" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove API key" })).toHaveCount(0);
});
