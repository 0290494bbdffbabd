import { dismissToast, expect, test } from "./support/test";
import { addConnection, uniqueName } from "./support/connections";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an OAuth connection shows the exact redirect URI to register, from the configured URL, with a copy button", async ({ page, baseURL }) => {
  await addConnection(page, "Google", uniqueName("oauth"));
  await page.getByText("How to get these credentials from Google").click();
  const uri = page.getByTestId("redirect-uri");
  await expect(uri).toHaveText(`${baseURL}/api/oauth/callback`);

  // A forged Host header changes nothing: the URI comes from NEXTAUTH_URL.
  const forged = await page.request.get(page.url(), { headers: { host: "evil.example", "x-forwarded-host": "evil.example" } });
  expect(await forged.text()).not.toContain("evil.example/api/oauth/callback");

  await page.getByRole("button", { name: "Copy" }).click();
  await dismissToast(page, "Redirect URI copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/api/oauth/callback`);
});
