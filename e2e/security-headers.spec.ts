import type { APIResponse } from "@playwright/test";
import { addConnection, uniqueName } from "./support/connections";
import { ADMIN } from "./support/env";
import { expect, test } from "./support/test";

// The per-request Content Security Policy (proxy.ts, lib/http/security-headers.ts):
// the headers themselves, Next's scripts carrying the nonce, and every screen
// working under it. The automatic browserErrors check (e2e/support/test.ts)
// also fails any test in the suite on a CSP refusal.

const ADMIN_PAGES = ["/admin/settings/integrations", "/admin/audit", "/admin/settings/members", "/admin/settings/security"];

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

/** Checks one HTML response's headers and that each of its script tags carries the header's nonce; returns the nonce. */
async function expectStrictPolicy(response: APIResponse, label: string): Promise<string> {
  expect(response.status(), label).toBe(200);
  const headers = response.headers();
  const csp = directives(headers["content-security-policy"] ?? "");
  const scriptSrc = csp.get("script-src") ?? [];
  const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce, `${label}: a nonce in script-src`).toBeTruthy();
  expect(scriptSrc, label).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  expect(csp.get("default-src"), label).toEqual(["'self'"]);
  expect(csp.get("object-src"), label).toEqual(["'none'"]);
  expect(csp.get("base-uri"), label).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors"), label).toEqual(["'none'"]);
  expect(csp.get("form-action"), label).toEqual(["'self'"]);
  // Plain http here: no HSTS (an https public URL adds it, tests/integration/server-start-stop.test.ts).
  expect(headers["strict-transport-security"], label).toBeUndefined();
  expect(headers["x-frame-options"], label).toBe("DENY");
  expect(headers["x-content-type-options"], label).toBe("nosniff");

  const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${label}: Next's scripts`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, label).toContain(`nonce="${nonce}"`);
  return nonce!;
}

test("every page carries a strict CSP with a fresh nonce that Next's scripts use", async ({ request, playwright, baseURL }) => {
  const nonces = new Set<string>();
  for (const path of [...ADMIN_PAGES, ADMIN_PAGES[0]!]) nonces.add(await expectStrictPolicy(await request.get(path), path));
  const signedOut = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  nonces.add(await expectStrictPolicy(await signedOut.get("/login"), "/login"));
  // The /admin redirect for a visitor without a session keeps working, with the policy on it too.
  const redirect = await signedOut.get("/admin/audit", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()["location"]).toBe("/login?callbackUrl=%2Fadmin%2Faudit");
  expect(redirect.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  await signedOut.dispose();
  // One nonce per response, never reused.
  expect(nonces.size).toBe(ADMIN_PAGES.length + 2);
});

test("every admin screen works under the policy", async ({ page }) => {
  await addConnection(page, "Slack", uniqueName("csp"));
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeVisible();
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
  }
  // Client-side code runs: the dialog opens and closes.
  await page.goto(ADMIN_PAGES[0]!);
  await page.getByRole("button", { name: "Add connection", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Add connection" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("signing in works under the policy", async ({ page }) => {
    await page.goto("/admin/settings/members");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/settings\/members$/);
  });
});

test("a script the policy does not allow is refused and reported", async ({ page, browserErrors }) => {
  await page.goto(ADMIN_PAGES[0]!);
  await expect(page.getByRole("main")).toBeVisible();
  // What an injected attribute would try: an inline event handler carries no nonce.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img alt="" src="data:," onerror="window.__injected = true">'));
  await expect.poll(() => browserErrors.filter((e) => e.startsWith("csp: script-src-attr refused inline"))).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  // Expected here; the automatic check fails every other test on such an entry.
  browserErrors.length = 0;
});
