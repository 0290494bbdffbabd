import path from "node:path";
import { dismissToast, expect, test } from "./support/test";
import { acceptInvite, inviteMember, uniqueMember } from "./support/members";
import { expectNoAxeViolations } from "./support/axe";
import { addConnection, saveSecret, secretInput, uniqueName } from "./support/connections";
import { DATA_DIR, DB_KIND } from "./support/env";
import { tamperRow, withForeignKey } from "./support/tamper";

// scripts/e2e.mjs runs the embedded database with its generated key ring, and
// PostgreSQL (NODE_ENV=production) with one key in SWITCHBOARD_ENCRYPTION_KEYS.
test("the platform owner generates a key and re-encrypts every secret in two separate steps", async ({ page }) => {
  // At least one secret exists to re-encrypt.
  const uuid = await addConnection(page, "xAI", uniqueName("rotate"));
  await saveSecret(page, "API key", `xai-${uniqueName("secret")}`);

  const response = await page.goto("/admin/settings/security");
  await expect(page.getByRole("heading", { name: "Encryption keys", level: 1 })).toBeVisible();
  // Never framed (clickjacking), no plugins, no foreign form targets.
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'"); // the whole policy: security-headers.spec.ts
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  // The account made at setup owns the platform-wide key ring and sees platform-wide counts.
  await expect(page.getByText("Secrets on older keys (all organizations)")).toBeVisible();
  const version = page.getByTestId("key-version");
  const before = Number(await version.textContent());
  expect(before).toBeGreaterThanOrEqual(1);
  const reencrypt = page.getByRole("button", { name: "Re-encrypt to newest key" });

  const banner = page.getByRole("status").filter({ hasText: "Encryption key generated automatically." });
  if (DB_KIND === "pglite") {
    // The warning names the file that holds the key, wherever the data directory is.
    const keyFile = path.join(DATA_DIR!, "encryption-keys");
    await expect(banner).toContainText(keyFile);
    await expect(page.getByTestId("key-source")).toHaveText(`Generated (${keyFile})`);
    // Step 1 only adds a key: nothing is re-encrypted yet, so the secret is now on an older key.
    await page.getByRole("button", { name: "Generate new key" }).click();
    await dismissToast(page, `Generated key version ${before + 1}. New secrets use it now; re-encrypt to move the existing ones.`);
    await expect(version).toHaveText(String(before + 1));
    await expect(page.getByTestId("stale-secrets")).not.toHaveText("0");
    // Step 2 moves every secret, and adds no key.
    await reencrypt.click();
    await dismissToast(page, new RegExp(`Re-encrypted [1-9]\\d* connection secrets? with key version ${before + 1}\\.`));
    await expect(version).toHaveText(String(before + 1));
  } else {
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId("key-source")).toHaveText("SWITCHBOARD_ENCRYPTION_KEYS");
    await expect(page.getByRole("button", { name: "Generate new key" })).toHaveCount(0);
    await reencrypt.click();
    // Everything was written with the only key already.
    await dismissToast(page, `Re-encrypted 0 connection secrets with key version ${before}.`);
    await expect(version).toHaveText(String(before));
  }
  await expect(page.getByTestId("stale-secrets")).toHaveText("0");
  await expect(page.getByTestId("skipped-secrets")).toHaveCount(0);

  // The stored key still decrypts: saving with the field left empty keeps (decrypts and re-seals) it.
  await page.goto(`/admin/settings/integrations/${uuid}`);
  await expect(page.getByText("•••• set")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(page.getByText("•••• set")).toBeVisible();
});

test("re-encryption skips a secret it cannot read, lists it, and moves every other one", async ({ page }) => {
  const name = uniqueName("skip");
  let uuid = "";
  const save = async () => {
    uuid = await addConnection(page, "Mistral AI", name);
    await saveSecret(page, "API key", `mistral-${uniqueName("canary")}`);
  };
  if (DB_KIND === "postgres") {
    await save();
    await tamperRow(uuid, "UPDATE settings SET key_version = NULL WHERE uuid = $1::uuid");
  } else {
    await withForeignKey(page, save);
  }
  const readable = await addConnection(page, "Groq", uniqueName("readable"));
  await saveSecret(page, "API key", `gsk_${uniqueName("canary")}`);

  await page.goto("/admin/settings/security");
  await page.getByRole("button", { name: "Re-encrypt to newest key" }).click();
  await dismissToast(page, /Re-encrypted \d+ connection secrets? with key version \d+\./);
  const skipped = page.getByTestId("skipped-secrets");
  await expect(skipped).toContainText("1 connection could not be read and stayed on older keys.");
  await expect(skipped.getByRole("listitem")).toHaveCount(1);
  await expect(skipped.getByRole("listitem")).toContainText(DB_KIND === "postgres" ? "no key version" : "authentication failed");
  await expect(page.getByTestId("stale-secrets")).toHaveText("1");
  await expectNoAxeViolations(page, "the security page with a skipped secret");

  // The other connection's secret still reads; the skipped one is linked to its form, where it is entered again.
  await page.goto(`/admin/settings/integrations/${readable}`);
  await expect(page.getByTestId("secret-set-api_key")).toBeVisible();
  await page.goto("/admin/settings/security");
  await page.getByRole("button", { name: "Re-encrypt to newest key" }).click();
  await dismissToast(page, /Re-encrypted 0 connection secrets/);
  await page.getByTestId("skipped-secrets").getByRole("link", { name: uuid }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Secrets unreadable — re-enter them" })).toBeVisible();
  await secretInput(page, "API key").fill(`mistral-${uniqueName("canary")}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await page.goto("/admin/settings/security");
  await expect(page.getByTestId("stale-secrets")).toHaveText("0");
});

test("another admin sees their organization's count and no key actions", async ({ page, browser, baseURL }) => {
  test.slow(); // an invite accepted in a second browser (a password hash or two)
  const member = uniqueMember("second-admin");
  const link = await inviteMember(page, member.email, "admin");
  const { context, page: other } = await acceptInvite(browser, baseURL!, link, member);
  await other.goto("/admin/settings/security");
  await expect(other.getByText("Secrets on older keys (your organization)")).toBeVisible();
  await expect(other.getByTestId("owner-only")).toHaveText(
    "Only the platform owner — the account created at setup — generates keys and re-encrypts secrets, since the key ring serves every organization.",
  );
  await expect(other.getByRole("button", { name: /Generate new key|Re-encrypt/ })).toHaveCount(0);
  await context.close();
});
