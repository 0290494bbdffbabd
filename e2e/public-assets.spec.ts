import { expect, test } from "./support/test";

// public/: the app's mark as icon and favicon, and robots.txt for an admin app.

test("the mark is the favicon, /favicon.ico is a real icon and robots are kept out", async ({ request, page }) => {
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect(await svg.text()).toContain("<title>Switchboard</title>");

  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  const bytes = await ico.body();
  // ICONDIR: reserved 0, type 1 (icon), three images (16, 32 and 48 px), each a PNG.
  expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 3, 0]);
  expect([0, 1, 2].map((i) => bytes[6 + 16 * i])).toEqual([16, 32, 48]);
  for (let i = 0; i < 3; i++) {
    const at = bytes.readUInt32LE(6 + 16 * i + 12);
    expect(bytes.subarray(at + 1, at + 4).toString("latin1")).toBe("PNG");
  }

  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/\n$/);

  await page.goto("/admin/settings/integrations");
  await expect(page.locator('link[rel="icon"][href="/icon.svg"]')).toHaveAttribute("type", "image/svg+xml");
  await expect(page.locator('link[rel="icon"][href="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, nofollow");
  // The header shows the mark, loaded.
  const mark = page.getByRole("complementary").locator('img[src="/icon.svg"]');
  await expect(mark).toBeVisible();
  expect(await mark.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
});
