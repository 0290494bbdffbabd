import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { decode, encode, type JWT } from "next-auth/jwt";
import { ADMIN_STATE, NEXTAUTH_SECRET } from "./env";

export type TMember = { email: string; name: string; password: string };

/** A member no other test uses (tests share one server and database). */
export function uniqueMember(prefix: string): TMember {
  const id = randomBytes(3).toString("hex");
  return { email: `${prefix}-${id}@example.test`, name: `${prefix} ${id}`, password: `password of ${prefix} ${id}` };
}

/** As the admin: creates an invite on the Members page and returns the link it shows (once). */
export async function inviteMember(admin: Page, email: string, role: "admin" | "viewer" = "viewer"): Promise<string> {
  await admin.goto("/admin/settings/members");
  const form = admin.getByRole("main");
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Role", { exact: true }).selectOption(role);
  await form.getByRole("button", { name: "Create invite link" }).click();
  const shown = admin.getByRole("region", { name: "Invite link" });
  await expect(shown).toContainText(`Send this link to ${email} privately.`);
  const link = await shown.getByLabel(`Invite link for ${email}`).inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toHaveCount(0);
  return link;
}

/** As the admin: invites `email` and leaves the one-time link on screen (for the accessibility scan); returns it. */
export async function inviteMemberShowingLink(admin: Page, email: string): Promise<string> {
  await admin.goto("/admin/settings/members");
  await admin.getByRole("main").getByLabel("Email", { exact: true }).fill(email);
  await admin.getByRole("button", { name: "Create invite link" }).click();
  const shown = admin.getByRole("region", { name: "Invite link" });
  await expect(shown).toBeVisible();
  return shown.getByLabel(`Invite link for ${email}`).inputValue();
}

/** The invited person, in a browser of their own: opens the link, sets a password, lands signed in. */
export async function acceptInvite(browser: Browser, baseURL: string, link: string, member: TMember): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: /^Join / })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(member.email);
  await page.getByLabel("Your name").fill(member.name);
  await page.getByLabel("Password", { exact: true }).fill(member.password);
  await page.getByLabel("Password again").fill(member.password);
  await page.getByRole("button", { name: "Set password and join" }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/integrations$/);
  return { context, page };
}

/** As the admin: invites a member, who accepts in a browser that is then closed. */
export async function addMember(admin: Page, browser: Browser, baseURL: string, member: TMember, role: "admin" | "viewer" = "viewer"): Promise<void> {
  const link = await inviteMember(admin, member.email, role);
  const joined = await acceptInvite(browser, baseURL, link, member);
  await joined.context.close();
}

/** A browser of the member's own, signed in through the sign-in page. */
export async function signInAs(browser: Browser, baseURL: string, member: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/integrations$/);
  return { context, page };
}

/** The session cookie's name as the server set it at first-run setup. */
export function sessionCookieName(): string {
  const state = JSON.parse(fs.readFileSync(ADMIN_STATE, "utf8")) as { cookies: { name: string }[] };
  const cookie = state.cookies.find((c) => c.name.includes("session-token"));
  if (!cookie) throw new Error("no session cookie in the admin's storage state");
  return cookie.name;
}

/** The claims inside a session cookie, read with the server's secret. */
export async function sessionClaims(cookieValue: string): Promise<JWT> {
  const claims = await decode({ token: cookieValue, secret: NEXTAUTH_SECRET });
  if (!claims) throw new Error("the session cookie does not decode");
  return claims;
}

/** The admin's session claims from first-run setup. */
export async function adminClaims(): Promise<JWT> {
  const state = JSON.parse(fs.readFileSync(ADMIN_STATE, "utf8")) as { cookies: { name: string; value: string }[] };
  return sessionClaims(state.cookies.find((c) => c.name === sessionCookieName())!.value);
}

/** A session cookie the server will accept as its own (same secret), with the claims given. */
export async function mintSession(claims: JWT): Promise<string> {
  return encode({ token: claims, secret: NEXTAUTH_SECRET, maxAge: 12 * 60 * 60 });
}
