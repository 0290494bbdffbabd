import { dismissToast, expect, test } from "./support/test";
import { addConnection, headerStatus, saveSecret, uniqueName } from "./support/connections";
import { ADMIN } from "./support/env";

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

  // Filter by this connection through the picker: removed, it is listed with the name it had.
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByLabel("Connection").selectOption({ label: `DeepSeek · ${name}-2 (removed)` });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${uuid}`));
  const rows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows.first().getByRole("cell").nth(2)).toHaveText("connection_removed"); // waits for the filtered page
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]!.textContent));
  // "validated": the test after Save moved the status from configured to error.
  expect(actions).toEqual(["connection_removed", "disconnected", "connection_renamed", "validated", "setup_saved", "connection_added"]);
  // The target: provider and name, not linked once removed, beside the id.
  await expect(rows.first().getByRole("cell").nth(3)).toHaveText(`DeepSeek · ${name}-2 (removed)${uuid}`);
  await expect(rows.first().getByRole("cell").nth(3).getByRole("link")).toHaveCount(0);
  await expect(rows.first().getByRole("cell").nth(1)).toHaveText(ADMIN.email);
  const renamed = rows.filter({ hasText: "connection_renamed" });
  await expect(renamed.getByRole("term")).toHaveText(["from", "provider", "to"]);
  await expect(renamed.getByRole("definition")).toHaveText([name, "deepseek", `${name}-2`]);

  // Filter by action: only that action, across connections.
  await page.getByLabel("Action", { exact: true }).selectOption("connection_renamed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=connection_renamed/);
  await expect(rows).toHaveCount(1);
  await page.getByLabel("Connection").selectOption({ label: "All connections" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).not.toHaveURL(new RegExp(uuid));
  await expect(rows.first()).toBeVisible();
  const filtered = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]!.textContent));
  expect(filtered.length).toBeGreaterThan(0);
  expect(new Set(filtered)).toEqual(new Set(["connection_renamed"]));

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Connection")).toHaveValue("");
  // Unfiltered: other actions and other targets are back (the org has many by now).
  await expect(rows.filter({ hasNotText: "connection_renamed" }).first()).toBeVisible();
});

test("a connection that exists is named and linked from its audit rows", async ({ page }) => {
  const name = uniqueName("linked");
  const uuid = await addConnection(page, "Anthropic", name);
  await page.goto("/admin/audit");
  await page.getByLabel("Connection").selectOption({ label: `Anthropic · ${name}` });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${uuid}`));
  const link = page.getByRole("table").getByRole("link", { name: `Anthropic · ${name}` });
  await expect(link).toHaveAttribute("href", `/admin/settings/integrations/${uuid}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/admin/settings/integrations/${uuid}$`));
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test("audit rows are stacked cards and nothing pans sideways", async ({ page }) => {
    for (const path of ["/admin/audit", "/admin/audit/api-calls", "/admin/settings/api-keys", "/admin/api-docs"]) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, path).toBeLessThanOrEqual(widths.view);
    }
    await page.goto("/admin/audit");
    const firstRow = page.locator("tbody tr").first();
    await expect(firstRow).toHaveCSS("display", "block");
    const box = await firstRow.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await expect(page.getByRole("button", { name: "Verify chain" })).toBeInViewport();
  });
});
