import { dismissToast, expect, test } from "./support/test";
import { CONNECTION_URL, headerStatus, LIST_PATH, secretInput, uniqueName, uuidFromUrl } from "./support/connections";

test("add, configure, rename, disconnect and remove an API-key connection", async ({ page }) => {
  // Add through the header dialog.
  await page.goto(LIST_PATH);
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await dialog.getByLabel("Provider").selectOption({ label: "OpenAI" });
  await dialog.getByLabel("Connection name").fill("primary");
  await dialog.getByRole("button", { name: "Add and configure" }).click();

  await expect(page).toHaveURL(CONNECTION_URL);
  await dismissToast(page, "Added OpenAI connection “primary”.");
  const uuid = uuidFromUrl(page);
  const url = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/OpenAI\s*·\s*primary/);
  // The id shown to operators is the one in the URL.
  await expect(page.getByTitle("Consumers pin this id; it never changes.")).toHaveText(`id ${uuid}`);

  // Credentials: the key is write-only once saved.
  const apiKey = "sk-e2e-" + uniqueName("key");
  await secretInput(page, "API key").fill(apiKey);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByText("•••• set")).toBeVisible();
  await expect(page.getByRole("button", { name: "Replace API key" })).toBeVisible();
  await expect(secretInput(page, "API key")).toHaveCount(0); // no input holds the value
  // Saving runs the test: the stand-in rejects this made-up key.
  await expect(headerStatus(page)).toHaveText("Error");
  expect(await page.content()).not.toContain(apiKey);

  // Rename in place: same URL, same id.
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByRole("textbox", { name: "Connection name" }).fill("renamed");
  await page.getByRole("button", { name: "Save name" }).click();
  await dismissToast(page, "Renamed to “renamed”.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/OpenAI\s*·\s*renamed/);
  expect(page.url()).toBe(url);
  await expect(page.getByTitle("Consumers pin this id; it never changes.")).toHaveText(`id ${uuid}`);
  await page.reload();
  await expect(page.getByTestId("connection-name")).toHaveText("renamed");

  // Disconnect drops the key.
  const danger = page.getByRole("region", { name: "Danger zone" });
  await danger.getByRole("button", { name: "Disconnect" }).click();
  await dismissToast(page, "Disconnected OpenAI “renamed”.");
  await expect(headerStatus(page)).toHaveText("Disconnected");
  await expect(page.getByText("•••• set")).toHaveCount(0);
  await expect(secretInput(page, "API key")).toBeEditable();
  await expect(secretInput(page, "API key")).toHaveValue("");

  // Remove, after a confirmation that names the connection.
  await danger.getByRole("button", { name: "Remove connection" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove OpenAI “renamed”?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Remove connection" }).click();
  await expect(page).toHaveURL(new RegExp(`${LIST_PATH}$`));
  await dismissToast(page, "Removed OpenAI “renamed”.");
  const connections = page.getByRole("region", { name: /^Connections/ });
  await expect(connections.getByRole("link", { name: "renamed", exact: true })).toHaveCount(0);
  await expect(page.locator(`tr[data-connection="${uuid}"]`)).toHaveCount(0);
  // The old URL is gone too.
  const gone = await page.goto(url);
  expect(gone?.status()).toBe(404);
});

test("connection names are checked as you type", async ({ page }) => {
  await page.goto(LIST_PATH);
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await dialog.getByLabel("Provider").selectOption({ label: "Anthropic" });
  const name = dialog.getByLabel("Connection name");
  await name.fill("-bad name");
  // The hint appears while typing, before any submit.
  await expect(dialog.getByRole("alert")).toHaveText(/Start with a letter or digit/);
  await expect(name).toHaveAttribute("aria-invalid", "true");

  let posted = false;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"]) posted = true;
  });
  await dialog.getByRole("button", { name: "Add and configure" }).click();
  await expect(dialog).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${LIST_PATH}$`));
  expect(posted).toBe(false);

  // Fixing the name clears the hint.
  await name.fill("good-name_1");
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // The inline rename uses the same rule.
  const valid = uniqueName("valid");
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await dialog.getByLabel("Provider").selectOption({ label: "Anthropic" });
  await name.fill(valid);
  await dialog.getByRole("button", { name: "Add and configure" }).click();
  await expect(page).toHaveURL(CONNECTION_URL);
  await page.getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("textbox", { name: "Connection name" });
  await rename.fill("has space");
  await expect(page.getByText(/Start with a letter or digit/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Save name" })).toBeDisabled();
  await rename.press("Escape");
  await expect(page.getByTestId("connection-name")).toHaveText(valid);
});

test("adding and renaming work from the keyboard", async ({ page }) => {
  await page.goto(LIST_PATH);
  const trigger = page.getByRole("button", { name: "Add connection", exact: true });
  await trigger.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await expect(dialog).toBeVisible();
  // Escape closes the dialog and gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();

  await page.keyboard.press("Enter");
  const provider = dialog.getByLabel("Provider");
  await provider.focus();
  await provider.selectOption({ label: "Mistral AI" });
  await page.keyboard.press("Tab");
  const name = uniqueName("keys");
  await expect(dialog.getByLabel("Connection name")).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press("Enter"); // submits the form
  await expect(page).toHaveURL(CONNECTION_URL);
  await dismissToast(page, `Added Mistral AI connection “${name}”.`);

  await page.getByRole("button", { name: "Rename" }).focus();
  await page.keyboard.press("Enter");
  const rename = page.getByRole("textbox", { name: "Connection name" });
  await expect(rename).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(`${name}-kb`);
  await page.keyboard.press("Enter");
  await dismissToast(page, `Renamed to “${name}-kb”.`);
  await expect(page.getByTestId("connection-name")).toHaveText(`${name}-kb`);
});
