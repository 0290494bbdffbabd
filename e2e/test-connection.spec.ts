import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import pg from "pg";
import { dismissToast, expect, test } from "./support/test";
import { addConnection, headerStatus, LIST_PATH, secretInput, uniqueName } from "./support/connections";
import { DB_KIND, E2E_DATABASE_URL } from "./support/env";
import { STANDIN_SMTP_PORT, startE2eStandIns, type TE2eStandIns } from "./support/standins";
import { RIGHT } from "../tests/support/standins/api-providers";
import { SMTP_USER } from "../tests/support/standins/smtp";

// Test Connection as an operator uses it, against stand-ins on 127.0.0.1.

let standIns: TE2eStandIns;
test.beforeAll(async () => {
  standIns = await startE2eStandIns();
});
test.afterAll(async () => standIns?.close());

async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function storedRow(uuid: string): Promise<{ value: Record<string, unknown>; audits: string[] } | null> {
  if (DB_KIND !== "postgres") return null; // the embedded database is locked by the server
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    const row = await client.query("SELECT value FROM settings WHERE uuid = $1", [uuid]);
    const audits = await client.query("SELECT action FROM audit_logs WHERE target_id = $1 ORDER BY created_at", [uuid]);
    return { value: row.rows[0].value, audits: audits.rows.map((r) => r.action) };
  } finally {
    await client.end();
  }
}

test("a wrong OpenAI key fails the test and changes nothing; the right key passes, saves and connects", async ({ page }) => {
  const uuid = await addConnection(page, "OpenAI", uniqueName("test"));
  await dismissToast(page, /Added OpenAI connection/);
  const result = page.getByTestId("test-result");

  await secretInput(page, "API key").fill("sk-wrong-key-typed");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-outcome", "failed");
  await expect(result).toContainText("Connection test failed. (not saved)");
  await expect(result).toContainText("OpenAI rejected the API key (401): Incorrect API key provided.");
  await expect(result).toContainText(/in \d+ ms|in \d+\.\d s/);
  // Nothing was stored: never tested, still disconnected, no audit row beyond the addition.
  await expect(headerStatus(page)).toHaveText("Disconnected");
  await expect(page.getByText("Last tested never")).toBeVisible();
  const before = await storedRow(uuid);
  if (before) {
    expect(before.value.last_validated_at).toBeUndefined();
    expect(before.value.status).toBe("disconnected");
    expect(before.audits).toEqual(["connection_added"]);
  }
  // The inline result is announced (a polite live region) and passes axe's checks.
  await expect(result).toHaveAttribute("role", "status");
  await expect(result).toHaveAttribute("aria-live", "polite");
  expect(await axeViolations(page), "the failed result").toEqual([]);
  await page.reload();
  await expect(page.getByText("Last tested never")).toBeVisible();

  await secretInput(page, "API key").fill(RIGHT.openai!.api_key!);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-outcome", "ok");
  await expect(result).toContainText("Connection works. (not saved)");
  await expect(result.getByRole("term")).toHaveText(["Models available"]);
  await expect(result.getByRole("definition")).toHaveText(["3"]);
  await expect(headerStatus(page)).toHaveText("Disconnected");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(result).toContainText("Connection works. (saved settings)");
  await expect(headerStatus(page)).toHaveText("Connected");
  await expect(page.getByText(/Last tested just now/)).toBeVisible();
  const after = await storedRow(uuid);
  if (after) {
    expect(after.value.status).toBe("connected");
    expect(after.audits).toEqual(["connection_added", "setup_saved", "validated"]);
  }
  expect(await page.content()).not.toContain(RIGHT.openai!.api_key!);
  expect(await axeViolations(page), "the success result with facts").toEqual([]);
});

test("an SMTP login with a wrong password gets a clear error", async ({ page }) => {
  await addConnection(page, "SMTP", uniqueName("smtp"));
  await dismissToast(page, /Added SMTP connection/);
  await page.getByLabel("Host").fill("127.0.0.1");
  await page.getByLabel("Port").fill(String(STANDIN_SMTP_PORT));
  await page.getByLabel("Security").selectOption("starttls");
  await page.getByLabel("Username").fill(SMTP_USER.username);
  await secretInput(page, "Password").fill("not the password");
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toHaveAttribute("data-outcome", "failed");
  await expect(result).toContainText("The SMTP server rejected the username or password for mailer@acme.test (535)");

  await secretInput(page, "Password").fill(SMTP_USER.password);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-outcome", "ok");
  await expect(result).toContainText("STARTTLS, certificate verified");
});

test("Test in the list's row updates the badge and the last-tested time", async ({ page }) => {
  const name = uniqueName("row-test");
  const uuid = await addConnection(page, "OpenAI", name);
  await secretInput(page, "API key").fill(RIGHT.openai!.api_key!);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(headerStatus(page)).toHaveText("Connected");

  await page.goto(LIST_PATH);
  const row = page.locator(`tr[data-connection="${uuid}"]`);
  await expect(row.locator("[data-status]")).toHaveText("Connected");
  await expect(row).toContainText("just now");
  standIns.api.revoked.add("openai"); // the key is revoked at the provider
  try {
    await row.getByRole("button", { name: `Test OpenAI “${name}”` }).click();
    await dismissToast(page, `OpenAI “${name}”: OpenAI rejected the API key (401): Incorrect API key provided.`);
    await expect(row.locator("[data-status]")).toHaveText("Error");
    await expect(row).toContainText("OpenAI rejected the API key (401)");
  } finally {
    standIns.api.revoked.delete("openai");
  }
  await row.getByRole("button", { name: `Test OpenAI “${name}”` }).click();
  await dismissToast(page, /accepted the API key/);
  await expect(row.locator("[data-status]")).toHaveText("Connected");
});

test("Test saved connection on the connection's page records the result: status, message and audit", async ({ page }) => {
  const name = uniqueName("page-test");
  const uuid = await addConnection(page, "OpenAI", name);
  const testSaved = page.getByRole("button", { name: `Test saved connection: OpenAI “${name}”` });
  await expect(testSaved).toHaveCount(0); // nothing saved yet: nothing to test
  await secretInput(page, "API key").fill(RIGHT.openai!.api_key!);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(headerStatus(page)).toHaveText("Connected");
  const validatedBefore = (await storedRow(uuid))?.audits.filter((a) => a === "validated").length ?? 0;

  standIns.api.revoked.add("openai"); // the key is revoked at the provider
  try {
    await testSaved.click();
    await dismissToast(page, `OpenAI “${name}”: OpenAI rejected the API key (401): Incorrect API key provided.`);
    await expect(headerStatus(page)).toHaveText("Error");
    await expect(page.getByText("OpenAI rejected the API key (401)").first()).toBeVisible();
  } finally {
    standIns.api.revoked.delete("openai");
  }
  await testSaved.click();
  await dismissToast(page, /accepted the API key/);
  await expect(headerStatus(page)).toHaveText("Connected");
  const stored = await storedRow(uuid);
  // Connected → Error → Connected: two status changes, two `validated` audit rows.
  if (stored) expect(stored.audits.filter((a) => a === "validated").length - validatedBefore).toBe(2);
});
