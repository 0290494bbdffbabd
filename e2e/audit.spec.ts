import { dismissToast, expect, test } from "./support/test";
import { addConnection, headerStatus, saveSecret, uniqueName } from "./support/connections";

test("the audit log lists a connection's history newest first and filters by action", async ({ page }) => {
  const name = uniqueName("audited");
  const uuid = await addConnection(page, "DeepSeek", name);
  await saveSecret(page, "API key", `sk-${uniqueName("audit")}`);
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByRole("textbox", { name: "Connection name" }).fill(`${name}-2`);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("connection-name")).toHaveText(`${name}-2`);
  await dismissToast(page, `Renamed to “${name}-2”.`);
  const danger = page.getByRole("region", { name: "Danger zone" });
  await danger.getByRole("button", { name: "Disconnect" }).click();
  await expect(headerStatus(page)).toHaveText("Disconnected");
  await dismissToast(page, /Disconnected DeepSeek/);
  await danger.getByRole("button", { name: "Remove connection" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove connection" }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/integrations$/);

  // Filter by this connection's id through the form.
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByLabel("Target id").fill(uuid);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${uuid}`));
  const rows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows.first().getByRole("cell").nth(2)).toHaveText("connection_removed"); // waits for the filtered page
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]!.textContent));
  // "validated": the test after Save moved the status from configured to error.
  expect(actions).toEqual(["connection_removed", "disconnected", "connection_renamed", "validated", "setup_saved", "connection_added"]);
  const renamed = rows.filter({ hasText: "connection_renamed" });
  await expect(renamed.getByRole("term")).toHaveText(["from", "provider", "to"]);
  await expect(renamed.getByRole("definition")).toHaveText([name, "deepseek", `${name}-2`]);

  // Filter by action: only that action, across connections.
  await page.getByLabel("Action", { exact: true }).selectOption("connection_renamed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=connection_renamed/);
  await expect(rows).toHaveCount(1);
  await page.getByLabel("Target id").fill("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).not.toHaveURL(new RegExp(uuid));
  await expect(rows.first()).toBeVisible();
  const filtered = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]!.textContent));
  expect(filtered.length).toBeGreaterThan(0);
  expect(new Set(filtered)).toEqual(new Set(["connection_renamed"]));

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(rows.filter({ hasText: "org_created" })).toHaveCount(1);
});
