import fs from "node:fs";
import { expect, test } from "./support/test";
import { SERVER_LOG } from "./support/env";
import { sessionCookieName } from "./support/members";

test.use({ storageState: { cookies: [], origins: [] } });

test("a forged session cookie ends on the sign-in page and leaves one JSON log line, no stack, no token", async ({ page, context, baseURL }) => {
  const forged = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged${Date.now()}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB`;
  const logBefore = fs.readFileSync(SERVER_LOG, "utf8").length;
  await context.addCookies([{ name: sessionCookieName(), value: forged, url: baseURL! }]);

  await page.goto("/admin/settings/integrations");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  // next-auth's browser log endpoint writes nothing into the server log.
  const posted = await page.request.post("/api/auth/_log", { form: { level: "error", code: "FORGED", message: `injected ${forged}` } });
  expect(posted.status()).toBe(404);

  await expect
    .poll(() => fs.readFileSync(SERVER_LOG, "utf8").slice(logBefore), { message: "the rejection is logged" })
    .toContain("auth: session cookie rejected");
  const written = fs.readFileSync(SERVER_LOG, "utf8").slice(logBefore);
  const lines = written.split("\n").filter((l) => l.trim() !== "");
  for (const line of lines) expect(() => JSON.parse(line), `not a JSON line: ${line}`).not.toThrow();
  expect(written).not.toMatch(/^\s+at /m);
  expect(written).not.toContain("forged");
  expect(written).not.toContain("FORGED");
  expect(written).not.toContain("AAAAAAAAAAAAAAAAAAAA");
});
