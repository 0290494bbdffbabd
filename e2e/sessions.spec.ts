import { dismissToast, expect, test } from "./support/test";
import { holdActivityReports } from "./support/activity-report";
import { addMember, adminClaims, mintSession, sessionClaims, sessionCookieName, signInAs, uniqueMember } from "./support/members";

const HOUR = 3_600_000;
// Several browsers and password hashes (about a second each) per test.
test.slow();

test("sign out everywhere ends the member's sessions in every browser", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("everywhere");
  await addMember(page, browser, baseURL!, member);
  const laptop = await signInAs(browser, baseURL!, member);
  const phone = await signInAs(browser, baseURL!, member);

  await laptop.page.getByRole("link", { name: "Your profile" }).click();
  await expect(laptop.page.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();
  await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
  const dialog = laptop.page.getByRole("dialog", { name: "Sign out everywhere?" });
  await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptop.page).toHaveURL(/\/login/);

  // The other browser still holds its cookie; its next request is refused.
  await phone.page.goto("/admin/settings/integrations");
  await expect(phone.page).toHaveURL(/\/login/);
  await expect(phone.page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await page.goto("/admin/audit?action=sessions_revoked");
  await expect(page.getByRole("row").filter({ hasText: member.email })).toHaveCount(1);
  await laptop.context.close();
  await phone.context.close();
});

test("changing the password ends the other sessions, keeps this one, and only the new password signs in", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("newpass");
  await addMember(page, browser, baseURL!, member);
  const laptop = await signInAs(browser, baseURL!, member);
  const phone = await signInAs(browser, baseURL!, member);
  const newPassword = `${member.password} changed`;

  await laptop.page.goto("/admin/profile");
  await laptop.page.getByLabel("Current password").fill("not my password");
  await laptop.page.getByLabel("New password", { exact: true }).fill(newPassword);
  await laptop.page.getByLabel("New password again").fill(newPassword);
  await laptop.page.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.page.getByText("That is not your current password.").first()).toBeVisible();
  await dismissToast(laptop.page, "That is not your current password.");

  await laptop.page.getByLabel("Current password").fill(member.password);
  await laptop.page.getByRole("button", { name: "Change password" }).click();
  await dismissToast(laptop.page, "Password changed. Your other sessions were signed out.");
  await laptop.page.reload();
  await expect(laptop.page.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();

  await phone.page.goto("/admin/settings/integrations");
  await expect(phone.page).toHaveURL(/\/login/);
  await phone.page.getByLabel("Email").fill(member.email);
  await phone.page.getByLabel("Password").fill(member.password);
  await phone.page.getByRole("button", { name: "Sign in" }).click();
  await expect(phone.page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  await phone.page.getByLabel("Password").fill(newPassword);
  await phone.page.getByRole("button", { name: "Sign in" }).click();
  await expect(phone.page).toHaveURL(/\/admin\/settings\/integrations$/);

  await page.goto("/admin/audit?action=password_changed");
  await expect(page.getByRole("row").filter({ hasText: member.email })).toHaveCount(1);
  await laptop.context.close();
  await phone.context.close();
});

test("a password change is not undone by an activity report still in flight", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("inflight");
  await addMember(page, browser, baseURL!, member);
  const laptop = await signInAs(browser, baseURL!, member);
  const newPassword = `${member.password} changed`;
  // The report the profile page sends when it opens reaches the server at once (its answer renews the old
  // session's cookie), but its answer is held: until the new session's cookie has arrived, or 3 s after the click. Landing
  // after that cookie, it would put the ended session back and sign the member out.
  const report = await holdActivityReports(laptop.page);
  await laptop.page.route("**/api/auth/callback/credentials", async (route) => {
    await route.fulfill({ response: await route.fetch() });
    setTimeout(report.release, 200);
  });

  await laptop.page.goto("/admin/profile");
  await expect.poll(() => report.sent()).toBe(true);
  await laptop.page.getByLabel("Current password").fill(member.password);
  await laptop.page.getByLabel("New password", { exact: true }).fill(newPassword);
  await laptop.page.getByLabel("New password again").fill(newPassword);
  await laptop.page.getByRole("button", { name: "Change password" }).click();
  report.releaseAfter(3_000);
  await dismissToast(laptop.page, "Password changed. Your other sessions were signed out.");
  await expect.poll(() => report.done()).toBe(true);
  await laptop.page.reload();
  await expect(laptop.page.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();
  await laptop.context.close();
});

test.describe("session clocks", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an idle session and one past its absolute lifetime end; activity moves the idle clock", async ({ page, context, baseURL }) => {
    const claims = await adminClaims();
    const now = Date.now();
    const visit = async (value: string) => {
      await context.clearCookies();
      await context.addCookies([{ name: sessionCookieName(), value, url: baseURL! }]);
      await page.goto("/admin/settings/integrations");
    };

    // Idle for just over the default two hours.
    await visit(await mintSession({ ...claims, authAt: now - 3 * HOUR, activeAt: now - 2 * HOUR - 60_000 }));
    await expect(page).toHaveURL(/\/login/);

    // Signed in 12 hours ago, active a minute ago.
    await visit(await mintSession({ ...claims, authAt: now - 12 * HOUR - 60_000, activeAt: now - 60_000 }));
    await expect(page).toHaveURL(/\/login/);

    // Control: the same minted cookie inside both limits works, so the refusals above are the clocks.
    await visit(await mintSession({ ...claims, authAt: now - 3 * HOUR, activeAt: now - 100 * 60_000 }));
    await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
    // Opening the page counts as activity: the browser reports it and the server moves the idle clock.
    await expect
      .poll(async () => {
        const cookie = (await context.cookies()).find((c) => c.name === sessionCookieName());
        return cookie ? (await sessionClaims(cookie.value)).activeAt : 0;
      })
      .toBeGreaterThanOrEqual(now);
  });
});
