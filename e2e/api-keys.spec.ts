import { dismissToast, expect, test } from "./support/test";
import { API_KEYS_PATH, createKeyInUi, curl } from "./support/api-keys";
import { addConnection, uniqueName } from "./support/connections";

// An operator creates each kind of key, copies it, uses it from a script
// (curl), sees "last used" move, revokes it, and the next call is refused.

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const KINDS = [
  { scope: "admin", call: (base: string) => [`${base}/api/admin/integrations`] },
  { scope: "user", call: (base: string) => ["-X", "POST", `${base}/api/powerautomate/list_connections`, "-H", "Content-Type: application/json", "-d", "{}"] },
  { scope: "consumer", call: (base: string) => ["-X", "POST", `${base}/api/powerautomate/list_connections`, "-H", "Content-Type: application/json", "-d", "{}"] },
] as const;

for (const kind of KINDS) {
  test(`${kind.scope}-scoped key: create, copy, use with curl, last used, revoke, refused`, async ({ page, baseURL }) => {
    const connection = uniqueName(`for-${kind.scope}`);
    if (kind.scope === "consumer") await addConnection(page, "Brevo", connection);
    const name = uniqueName(`${kind.scope}-key`);
    const key = await createKeyInUi(page, { name, scope: kind.scope, ...(kind.scope === "consumer" ? { connections: [`Brevo · ${connection}`] } : {}) });

    // Copy puts exactly the shown key on the clipboard.
    const panel = page.getByRole("region", { name: "Create a key" });
    await expect(panel.getByText("This is the only time it is shown")).toBeVisible();
    await panel.getByRole("button", { name: "Copy key" }).click();
    await dismissToast(page, "Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await expect(panel.getByText(key).first()).toBeVisible(); // the snippets carry it too
    await panel.getByRole("button", { name: "Done, I stored it" }).click();
    await expect(panel.getByRole("textbox", { name: "New API key" })).toHaveCount(0);

    // The list shows the prefix only, and "never" used.
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(`${key.slice(0, 12)}…`);
    await expect(row).not.toContainText(key);
    await expect(row.getByTestId("last-used")).toHaveText("never");

    const used = await curl(["-H", `Authorization: Bearer ${key}`, ...kind.call(baseURL!)]);
    expect(used.status).toBe(200);
    if (kind.scope === "consumer") expect(JSON.parse(used.body).connections.map((c: { name: string }) => c.name)).toEqual([connection]);
    await page.reload();
    await expect(row.getByTestId("last-used")).toHaveText("just now");

    await row.getByRole("button", { name: `Revoke ${name} (${key.slice(0, 12)}…)` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke ${name} (${key.slice(0, 12)}…)?` });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await dismissToast(page, `Revoked ${name} (${key.slice(0, 12)}…).`);
    await expect(row).toContainText("Revoked");

    const refused = await curl(["-H", `Authorization: Bearer ${key}`, ...kind.call(baseURL!)]);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });

    // The audit log names the operator for create and revoke, and the key for the refused use.
    await page.goto(`/admin/audit`);
    const audit = page.getByRole("table");
    await expect(audit.getByRole("row").filter({ hasText: "api_key_used_after_revoke" }).first()).toContainText(`${name} (${key.slice(0, 12)}…)`);
    await expect(audit.getByRole("row").filter({ hasText: "api_key_revoked" }).filter({ hasText: name })).toContainText("ada.admin@example.test");
    await expect(audit.getByRole("row").filter({ hasText: "api_key_created" }).filter({ hasText: name })).toContainText(`scope${kind.scope}`);
  });
}

test("a consumer key cannot be created without a connection to read", async ({ page }) => {
  await page.goto(API_KEYS_PATH);
  const form = page.getByRole("region", { name: "Create a key" });
  await expect(form.getByRole("radio", { name: /^Admin —/ })).toBeChecked();
  await form.getByLabel("Name").fill(uniqueName("no-connections"));
  await form.getByRole("radio", { name: /^Consumer —/ }).check();
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByRole("alert")).toHaveText("Choose at least one connection this consumer may read");
  await expect(form.getByRole("textbox", { name: "New API key" })).toHaveCount(0);
});
