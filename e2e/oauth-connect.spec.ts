import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page, Response } from "@playwright/test";
import { dismissToast, expect, test } from "./support/test";
import { addConnection, headerStatus, LIST_PATH, secretInput, uniqueName } from "./support/connections";
import { columnsContaining } from "./support/db-scan";
import { ADMIN, DB_KIND, E2E_DATABASE_URL, OIDC, SERVER_LOG } from "./support/env";
import { issuedTokens, oidcCounters, signInAndConsent, storedSecretNames } from "./support/oauth";

// An operator connects accounts through a real OpenID Connect server
// (oidc-provider, started by Playwright beside the app): its login and
// consent pages, our callback, the notice on the form, then Disconnect.

async function fillAndSave(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    const input = label === "Client secret" ? secretInput(page, label) : page.getByLabel(label, { exact: true });
    await input.fill(value);
  }
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
}

/** Clicks Connect account and completes the provider's pages; returns the callback's response. */
async function connectAs(page: Page, login: string): Promise<Response> {
  await page.getByRole("button", { name: "Connect account" }).click();
  const callback = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/oauth/callback");
  await signInAndConsent(page, login);
  await page.waitForURL(/\/admin\/settings\/integrations\/[0-9a-f-]{36}\?oauth=/);
  return await callback;
}

async function expectConnected(page: Page, email: string): Promise<void> {
  await expect(page.getByTestId("oauth-notice")).toHaveText(`Connected as ${email}`);
  await expect(headerStatus(page)).toHaveAttribute("data-status", "connected");
  await expect(page.getByRole("main").locator("header")).toContainText(`Connected as ${email}`);
  await expect(page.getByTestId("token-status")).toContainText("Access token expires");
  await expect(page.getByRole("button", { name: "Reconnect account" })).toBeVisible();
  // Nothing of the protocol is left in the address bar.
  const url = new URL(page.url());
  expect([...url.searchParams.keys()]).toEqual(["oauth"]);
}

test("generic OAuth 2.0 by discovery: Connect → real login and consent → connected; tokens nowhere in clear; Disconnect revokes", async ({ page }) => {
  const uuid = await addConnection(page, "Generic OAuth 2.0", uniqueName("oidc"));
  await fillAndSave(page, {
    "Client ID": OIDC.clientId,
    "Client secret": OIDC.clientSecret,
    "Issuer URL": OIDC.url,
    Scopes: "openid email profile offline_access",
  });
  const callback = await connectAs(page, "ada");
  expect(callback.status()).toBe(303);
  expect(callback.headers()["cache-control"]).toBe("no-store");
  expect(callback.headers()["referrer-policy"]).toBe("no-referrer");
  await expectConnected(page, "ada@example.com");

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id), "accessibility of the connected form").toEqual([]);

  // Canary: the tokens the server issued appear in no page, payload, log line, audit row or plaintext column.
  const tokens = await issuedTokens();
  expect(tokens.length).toBeGreaterThanOrEqual(2);
  const pages = [page.url(), `${LIST_PATH}/${uuid}`, LIST_PATH, "/admin/audit", `/admin/audit?target=${uuid}`];
  for (const path of pages) {
    for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
      const body = await (await page.request.get(path, { headers })).text();
      expect(body, `${path} is the signed-in page`).toContain(ADMIN.email);
      for (const token of tokens) expect(body.includes(token), `${path} ${JSON.stringify(headers)}`).toBe(false);
    }
  }
  const log = fs.readFileSync(SERVER_LOG, "utf8");
  for (const token of tokens) expect(log.includes(token), "server log").toBe(false);
  if (DB_KIND === "postgres") {
    for (const token of tokens) expect(await columnsContaining(E2E_DATABASE_URL!, token)).toEqual([]);
    expect(await storedSecretNames(E2E_DATABASE_URL!, uuid)).toEqual(["access_token", "client_secret", "refresh_token"]);
  }

  const revocations = (await oidcCounters()).revocations;
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await dismissToast(page, /^Disconnected Generic OAuth 2.0/);
  await expect(headerStatus(page)).toHaveAttribute("data-status", "disconnected");
  await expect(page.getByRole("button", { name: "Connect account" })).toBeVisible();
  // The client id stays, the tokens are gone, and the provider was told.
  await expect(page.getByLabel("Client ID", { exact: true })).toHaveValue(OIDC.clientId);
  await expect(page.getByTestId("secret-set-client_secret")).toBeVisible();
  expect((await oidcCounters()).revocations).toBe(revocations + 1);
  if (DB_KIND === "postgres") expect(await storedSecretNames(E2E_DATABASE_URL!, uuid)).toEqual(["client_secret"]);
});

test("Google through the base-URL override: Connect → the same server's pages → connected as that account; Test passes", async ({ page }) => {
  const name = uniqueName("google");
  const uuid = await addConnection(page, "Google", name);
  await fillAndSave(page, { "Client ID": OIDC.clientId, "Client secret": OIDC.clientSecret });
  await connectAs(page, "grace");
  await expectConnected(page, "grace@example.com");

  // Test with the tokens just obtained: the userinfo call on the provider, from the form and from the list's row.
  const accepted = "Google accepted the access token (signed in as grace@example.com).";
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toHaveAttribute("data-outcome", "ok");
  await expect(result).toContainText(accepted);
  await page.goto(LIST_PATH);
  const row = page.locator(`tr[data-connection="${uuid}"]`);
  await row.getByRole("button", { name: `Test Google “${name}”` }).click();
  await dismissToast(page, `Google “${name}”: ${accepted}`);
  await expect(row.locator("[data-status]")).toHaveText("Connected");
  await expect(row).toContainText("just now");
});

test("Connect account waits for the client id and secret", async ({ page }) => {
  await addConnection(page, "GitHub", uniqueName("gh"));
  await expect(page.getByRole("button", { name: "Connect account" })).toBeDisabled();
  await expect(page.getByText("Save the client ID and client secret in Step 1 first.")).toBeVisible();
});

test("a provider's error= answer is shown as text on the form, inert; a callback without state is refused", async ({ page }) => {
  await addConnection(page, "Generic OAuth 2.0", uniqueName("deny"));
  await fillAndSave(page, { "Client ID": OIDC.clientId, "Client secret": OIDC.clientSecret, "Issuer URL": OIDC.url });
  // The real state of this attempt, read from the request to the provider.
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${OIDC.url}/o/oauth2/v2/auth?`));
  await page.getByRole("button", { name: "Connect account" }).click();
  const state = new URL((await authorize).url()).searchParams.get("state")!;
  await expect(page).toHaveURL(new RegExp(`^${OIDC.url}/interaction/`));

  // What a hostile or broken provider could send back.
  const script = "<script>window.__pwned = 1</script>";
  const description = '<img src=x onerror="window.__pwned = 2">';
  await page.goto(`/api/oauth/callback?state=${state}&error=${encodeURIComponent(script)}&error_description=${encodeURIComponent(description)}`);
  const notice = page.getByTestId("oauth-notice");
  await expect(notice).toHaveText(`The provider did not grant access: ${script} — ${description}.`);
  await expect(page.getByRole("alert").filter({ hasText: "did not grant access" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("main img[src=x]").count()).toBe(0);
  expect(new URL(page.url()).search).toMatch(/^\?oauth=[0-9a-f-]{36}$/);
  await expect(headerStatus(page)).toHaveAttribute("data-status", "disconnected");

  // Used once: the same answer again is refused, and says so.
  await page.goto(`/api/oauth/callback?state=${state}&code=whatever`);
  await expect(page.getByTestId("oauth-notice")).toHaveText("That sign-in answer was already used. Start again with Connect account.");

  const noState = await page.request.get("/api/oauth/callback?code=abc");
  expect(noState.status()).toBe(400);
  expect(noState.headers()["cache-control"]).toBe("no-store");
  expect(noState.headers()["referrer-policy"]).toBe("no-referrer");
  expect(await noState.text()).toContain("carried no valid state");
});
