import { dismissToast, expect, test } from "./support/test";
import { ADMIN } from "./support/env";
import { acceptInvite, inviteMember, signInAs, uniqueMember } from "./support/members";

// Several browsers and password hashes (about a second each) per test.
test.slow();

test("an admin invites a member, who opens the one-time link and chooses a password", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("invited");
  const link = await inviteMember(page, member.email, "viewer");
  expect(new URL(link).pathname).toBe("/invite");

  // The link is shown once; the page lists the open invite without it.
  await page.reload();
  const invites = page.getByRole("list", { name: "Open invites" });
  await expect(invites.getByRole("listitem").filter({ hasText: member.email })).toContainText("viewer");
  expect(await page.content()).not.toContain(new URL(link).searchParams.get("token")!);

  const joined = await acceptInvite(browser, baseURL!, link, member);
  await expect(joined.page.getByRole("complementary").getByText("Viewer (read-only)")).toBeVisible();

  // Single use: the same link again is refused.
  await joined.page.goto(link);
  await expect(joined.page.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await expect(joined.page.getByRole("button", { name: "Set password and join" })).toHaveCount(0);
  await joined.context.close();

  await page.reload();
  await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: member.email })).toContainText("viewer");
  await expect(invites.getByRole("listitem").filter({ hasText: member.email })).toHaveCount(0);
  await page.goto("/admin/audit?action=invite_accepted");
  await expect(page.getByRole("row").filter({ hasText: member.email })).toHaveCount(1);
});

test("a revoked invite link stops working", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("revoked");
  const link = await inviteMember(page, member.email, "admin");
  await page.getByRole("button", { name: `Revoke the invite for ${member.email}` }).click();
  await dismissToast(page, `The invite link for ${member.email} no longer works.`);
  await expect(page.getByRole("list", { name: "Open invites" }).getByRole("listitem").filter({ hasText: member.email })).toHaveCount(0);

  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const visitor = await context.newPage();
  await visitor.goto(link);
  await expect(visitor.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await context.close();
});

test("changing a member's role and removing them end their sessions at once; the last admin stays", async ({ page, browser, baseURL }) => {
  const member = uniqueMember("managed");
  const link = await inviteMember(page, member.email, "viewer");
  const theirs = await acceptInvite(browser, baseURL!, link, member);

  // Viewer → admin.
  await page.goto("/admin/settings/members");
  await page.getByRole("button", { name: `Change role of ${member.email}` }).click();
  const roleDialog = page.getByRole("dialog", { name: `Change the role of ${member.email}` });
  await roleDialog.getByLabel("Role", { exact: true }).selectOption("admin");
  await roleDialog.getByRole("button", { name: "Save role" }).click();
  await dismissToast(page, `${member.email} is now an admin.`);
  const row = page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: member.email });
  await expect(row.getByTestId("member-role")).toHaveText("admin");

  // Their open session ended; signed in again, they are an admin.
  await theirs.page.goto("/admin/settings/integrations");
  await expect(theirs.page).toHaveURL(/\/login/);
  await theirs.context.close();
  const again = await signInAs(browser, baseURL!, member);
  await expect(again.page.getByRole("complementary").getByText("Admin", { exact: true })).toBeVisible();

  // Removed: the session ends and the password no longer signs in.
  await page.getByRole("button", { name: `Remove ${member.email}` }).click();
  await page.getByRole("dialog", { name: `Remove ${member.email}?` }).getByRole("button", { name: "Remove member" }).click();
  await dismissToast(page, `Removed ${member.email}.`);
  await expect(row).toHaveCount(0);
  await again.page.goto("/admin/settings/integrations");
  await expect(again.page).toHaveURL(/\/login/);
  await again.page.getByLabel("Email").fill(member.email);
  await again.page.getByLabel("Password").fill(member.password);
  await again.page.getByRole("button", { name: "Sign in" }).click();
  await expect(again.page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  await again.context.close();

  // The first admin is now the only admin: demoting or removing them is refused.
  await expect(page.getByRole("list", { name: "Members" }).getByTestId("member-role").filter({ hasText: "admin" })).toHaveCount(1);
  await page.getByRole("button", { name: `Change role of ${ADMIN.email}` }).click();
  const own = page.getByRole("dialog", { name: `Change the role of ${ADMIN.email}` });
  await own.getByLabel("Role", { exact: true }).selectOption("viewer");
  await own.getByRole("button", { name: "Save role" }).click();
  await expect(own.getByRole("alert")).toHaveText("An organization needs at least one admin. Make someone else an admin first.");
  await own.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Remove ${ADMIN.email}` }).click();
  const removeOwn = page.getByRole("dialog", { name: `Remove ${ADMIN.email}?` });
  await removeOwn.getByRole("button", { name: "Remove member" }).click();
  await expect(removeOwn.getByRole("alert")).toHaveText("An organization needs at least one admin. Make someone else an admin first.");
  await removeOwn.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: ADMIN.email }).getByTestId("member-role")).toHaveText("admin");

  await page.goto("/admin/audit?action=member_role_changed");
  await expect(page.getByRole("row").filter({ hasText: member.email })).toHaveCount(1);
  await page.goto("/admin/audit?action=member_removed");
  await expect(page.getByRole("row").filter({ hasText: member.email })).toHaveCount(1);
});
