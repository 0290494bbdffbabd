import fs from "node:fs";
import { expect, test } from "./support/test";
import { holdActivityReports } from "./support/activity-report";
import { ADMIN, SERVER_LOG } from "./support/env";

test.use({ storageState: { cookies: [], origins: [] } });

test("sign-in refuses a wrong password, honours a same-site callback, and signs out", async ({ page }) => {
  // A deep link without a session goes to sign-in, which returns there afterwards.
  await page.goto("/admin/audit?action=connection_added");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Faudit%3Faction%3Dconnection_added$/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?action=connection_added$/);
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test("a sign-out is not undone by an activity report still in flight", async ({ page }) => {
  // The report a page sends when it opens reaches the server (which renews the session cookie in its answer),
  // but its answer is held back: until the browser navigates to /login after a sign-out, or 1.5 s after the click. Landing
  // then, between the sign-out and the sign-in page, it would sign the operator back in; signing out must wait
  // for it instead.
  const report = await holdActivityReports(page);
  await page.route("**/login*", async (route) => {
    if (route.request().isNavigationRequest() && report.sent()) {
      report.release();
      await new Promise((r) => setTimeout(r, 300));
    }
    await route.continue();
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
  await expect.poll(() => report.sent()).toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  report.releaseAfter(1_500);
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test("a report that is never answered holds a sign-out for at most its 5 s limit", async ({ page }) => {
  const report = await holdActivityReports(page); // and never released
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
  await expect.poll(() => report.sent()).toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/, { timeout: 8_000 });
  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

for (const callback of ["/\\evil.example/steal", "/.//evil.com"]) {
  test(`a callback to another site (${callback}) is ignored after sign-in`, async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callback)}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The fallback is /admin, which shows the integrations list.
    await expect(page).toHaveURL(/\/admin\/settings\/integrations$/);
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  });
}

test("repeated failed sign-ins for one email are throttled, with the wait, and a forged X-Forwarded-For does not reset the count", async ({ page }) => {
  test.slow(); // eleven password checks of about a second each
  // An address with no account: throttling never reveals whether one exists, and no real user is locked out.
  const email = `nobody-${Date.now()}@example.test`;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel("Password").fill(`guess ${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("guess 11");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText("Too many failed sign-ins for this email. Try again in 15 minutes.");

  // The same guess sent by hand, claiming another client address: the server
  // trusts no proxy here, so the socket address counts and the answer is the same.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const forged = await page.request.post("/api/auth/callback/credentials", {
    headers: { "X-Forwarded-For": "198.51.100.23", "x-switchboard-peer-address": "198.51.100.23" },
    form: { email, password: "guess 12", csrfToken, json: "true" },
  });
  const { url } = (await forged.json()) as { url: string };
  expect(new URL(url).searchParams.get("error")).toMatch(/^sign_in_throttled:\d+$/);

  // The server knew every request's socket address.
  expect(fs.readFileSync(SERVER_LOG, "utf8")).not.toContain("socket address of a request is unknown");
});
