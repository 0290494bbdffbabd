import path from "node:path";
import { dismissToast, expect, test } from "./support/test";
import { addConnection, saveSecret, uniqueName } from "./support/connections";
import { DATA_DIR, DB_KIND } from "./support/env";

// scripts/e2e.mjs runs the embedded database with its generated key ring, and
// PostgreSQL (NODE_ENV=production) with one key in SWITCHBOARD_ENCRYPTION_KEYS.
test("re-encrypts every secret with the newest key", async ({ page }) => {
  // At least one secret exists to re-encrypt.
  const uuid = await addConnection(page, "xAI", uniqueName("rotate"));
  await saveSecret(page, "API key", `xai-${uniqueName("secret")}`);

  const response = await page.goto("/admin/settings/security");
  await expect(page.getByRole("heading", { name: "Encryption keys", level: 1 })).toBeVisible();
  // Never framed (clickjacking), no plugins, no foreign form targets.
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'"); // the whole policy: security-headers.spec.ts
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  const version = page.getByTestId("key-version");
  const before = Number(await version.textContent());
  expect(before).toBeGreaterThanOrEqual(1);

  const banner = page.getByRole("status").filter({ hasText: "Encryption key generated automatically." });
  if (DB_KIND === "pglite") {
    // The warning names the file that holds the key, wherever the data directory is.
    const keyFile = path.join(DATA_DIR!, "encryption-keys");
    await expect(banner).toContainText(keyFile);
    await expect(page.getByTestId("key-source")).toHaveText(`Generated (${keyFile})`);
    await page.getByRole("button", { name: "Generate new key and re-encrypt" }).click();
    await dismissToast(page, new RegExp(`Re-encrypted [1-9]\\d* connection secrets? with key version ${before + 1}\\.`));
    await expect(version).toHaveText(String(before + 1));
  } else {
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId("key-source")).toHaveText("SWITCHBOARD_ENCRYPTION_KEYS");
    await expect(page.getByRole("button", { name: "Generate new key and re-encrypt" })).toHaveCount(0);
    await page.getByRole("button", { name: "Re-encrypt with the newest key" }).click();
    // Everything was written with the only key already.
    await dismissToast(page, `Re-encrypted 0 connection secrets with key version ${before}.`);
    await expect(version).toHaveText(String(before));
  }
  await expect(page.getByTestId("stale-secrets")).toHaveText("0");

  // The stored key still decrypts: saving with the field left empty keeps (decrypts and re-seals) it.
  await page.goto(`/admin/settings/integrations/${uuid}`);
  await expect(page.getByText("•••• set")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByText("•••• set")).toBeVisible();
});
