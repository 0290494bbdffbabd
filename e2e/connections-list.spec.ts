import { dismissToast, expect, test } from "./support/test";
import { addConnection, LIST_PATH, saveSecret, uniqueName } from "./support/connections";

test("the list groups connections by provider, and its row actions disconnect and remove", async ({ page }) => {
  const first = uniqueName("list-a");
  const second = uniqueName("list-b");
  const firstUuid = await addConnection(page, "OpenAI", first);
  await saveSecret(page, "API key", `sk-${uniqueName("row")}`);
  const secondUuid = await addConnection(page, "OpenAI", second);
  await addConnection(page, "Anthropic", uniqueName("list-c"));

  await page.goto(LIST_PATH);
  // One row group per provider: both OpenAI rows sit under one provider header.
  const openai = page.locator('tbody[data-provider="openai"]');
  await expect(openai.locator(`tr[data-connection="${firstUuid}"]`)).toBeVisible();
  await expect(openai.locator(`tr[data-connection="${secondUuid}"]`)).toBeVisible();
  await expect(openai.locator("th")).toHaveCount(1);
  await expect(openai.locator("th")).toHaveText(/OpenAI$/); // after the (text-free) icon
  await expect(page.locator('tbody[data-provider="openai"]')).toHaveCount(1);
  await expect(page.locator(`tbody[data-provider="anthropic"] th`)).toHaveText(/Anthropic$/);

  // Disconnect from the row: the stored key goes, the badge follows.
  const firstRow = page.locator(`tr[data-connection="${firstUuid}"]`);
  await expect(firstRow.locator("[data-status]")).toHaveText("Error"); // the test after Save rejected the made-up key
  await firstRow.getByRole("button", { name: `Disconnect OpenAI “${first}”` }).click();
  await dismissToast(page, `Disconnected OpenAI “${first}”.`);
  await expect(firstRow.locator("[data-status]")).toHaveText("Disconnected");

  // Remove from the row: no module of this application uses OpenAI (yet), and the confirmation says so.
  const secondRow = page.locator(`tr[data-connection="${secondUuid}"]`);
  await secondRow.getByRole("button", { name: `Remove OpenAI “${second}”` }).click();
  const confirm = page.getByRole("dialog", { name: `Remove OpenAI “${second}”?` });
  await expect(confirm).toContainText("No module declares that it uses this provider.");
  await confirm.getByRole("button", { name: "Remove connection" }).click();
  await dismissToast(page, `Removed OpenAI “${second}”.`);
  await expect(secondRow).toHaveCount(0);
  await expect(firstRow).toBeVisible();
});

test("a status changed elsewhere shows up on an open list without a reload", async ({ page, context }) => {
  const name = uniqueName("live");
  const uuid = await addConnection(page, "xAI", name);
  await saveSecret(page, "API key", `xai-${uniqueName("live")}`);

  const list = await context.newPage();
  await list.goto(LIST_PATH);
  const row = list.locator(`tr[data-connection="${uuid}"]`);
  await expect(row.locator("[data-status]")).toHaveText("Error");
  await list.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  // Another tab (another operator, in real life) disconnects it.
  await page.getByRole("region", { name: "Danger zone" }).getByRole("button", { name: "Disconnect" }).click();
  await dismissToast(page, `Disconnected xAI “${name}”.`);

  await expect(row.locator("[data-status]")).toHaveText("Disconnected", { timeout: 15_000 });
  expect(await list.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
