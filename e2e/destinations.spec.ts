import { dismissToast, expect, test } from "./support/test";
import { expectNoAxeViolations } from "./support/axe";
import { addConnection, secretInput, uniqueName } from "./support/connections";

test("changing where a stored key is sent wants the key typed again, and the form says why next to the fields", async ({ page }) => {
  await addConnection(page, "Generic API key", uniqueName("dest"));
  const baseUrl = page.getByRole("textbox", { name: "Base URL" });
  await baseUrl.fill("https://api.example.com");
  await secretInput(page, "API key").fill(`key-${uniqueName("canary")}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByTestId("secret-set-api_key")).toBeVisible();

  // While the base URL is being changed, both fields say what will happen.
  await baseUrl.fill("https://collector.example.net");
  const urlNote = page.getByTestId("field-base_url-destination");
  await expect(urlNote).toHaveText("Changing Base URL changes where the stored API key is sent: type it again before saving.");
  await expect(baseUrl).toHaveAccessibleDescription(/type it again before saving/);
  await expect(page.getByTestId("field-api_key-destination")).toHaveText("Type it again: Base URL changed where it is sent.");
  await expectNoAxeViolations(page, "the form with destination notes");
  // Back to the stored value: nothing to say.
  await baseUrl.fill("https://api.example.com");
  await expect(urlNote).toHaveCount(0);

  // Saving anyway is refused; the key's input opens with the reason.
  await baseUrl.fill("https://collector.example.net");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Changing Base URL changes where the stored API key is sent. Type it again to confirm.");
  await expect(secretInput(page, "API key")).toBeEditable();
  await expect(page.getByRole("alert").filter({ hasText: "Type the API key again: Base URL changed where it is sent." })).toBeVisible();
  await page.reload();
  await expect(baseUrl).toHaveValue("https://api.example.com");

  // With the key typed again, the move is saved.
  await baseUrl.fill("https://api2.example.com");
  await page.getByRole("button", { name: "Replace API key" }).click();
  await secretInput(page, "API key").fill(`key-${uniqueName("canary")}`);
  await expect(page.getByTestId("field-base_url-destination")).toHaveCount(0);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await page.reload();
  await expect(baseUrl).toHaveValue("https://api2.example.com");
  await expect(page.getByTestId("secret-set-api_key")).toBeVisible();
});
