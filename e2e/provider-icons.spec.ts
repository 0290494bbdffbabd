import { expect, test } from "./support/test";

// Every provider in the catalog shows a picture that loaded — a brand logo or
// a designed glyph — and no tile falls back to initials.
test("every catalog card shows a loaded logo or glyph, never initials", async ({ page }) => {
  await page.goto("/admin/settings/integrations");
  const cards = page.locator("li[data-provider]");
  await expect(cards.first()).toBeVisible();
  const tiles = await cards.evaluateAll((items) =>
    items.map((li) => {
      const tile = li.querySelector("[data-icon]");
      const img = tile?.querySelector("img");
      return {
        provider: li.getAttribute("data-provider"),
        kind: tile?.getAttribute("data-icon"),
        loaded: Boolean(img && img.complete && img.naturalWidth > 0),
        text: tile?.textContent ?? null,
      };
    }),
  );
  expect(tiles.length).toBeGreaterThanOrEqual(29);
  for (const tile of tiles) expect(tile, tile.provider ?? "").toMatchObject({ kind: expect.stringMatching(/^(logo|glyph)$/), loaded: true, text: "" });
  const kinds = Object.fromEntries(tiles.map((t) => [t.provider, t.kind]));
  expect(kinds).toMatchObject({ openai: "logo", microsoft: "logo", slack: "logo", twilio: "logo", smtp: "glyph", sftp: "glyph", generic_api_key: "glyph" });
});
