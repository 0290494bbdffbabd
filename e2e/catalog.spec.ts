import { expect, test } from "./support/test";
import { LIST_PATH } from "./support/connections";

test("the provider catalog searches and filters", async ({ page }) => {
  await page.goto(LIST_PATH);
  const catalog = page.getByRole("region", { name: "Provider catalog" });
  const cards = catalog.getByRole("listitem");
  const total = await cards.count();
  expect(total).toBeGreaterThan(20);
  await expect(catalog.getByText(`${total} of ${total} providers`)).toBeVisible();

  await catalog.getByRole("searchbox", { name: "Search providers" }).fill("stripe");
  await expect(cards).toHaveCount(1);
  await expect(cards.getByRole("heading")).toHaveText(["Stripe"]);
  await expect(cards.getByRole("button", { name: "Add Stripe" })).toBeVisible();
  await expect(catalog.getByText(`1 of ${total} providers`)).toBeVisible();

  await catalog.getByRole("searchbox", { name: "Search providers" }).fill("");
  await expect(cards).toHaveCount(total);
  await catalog.getByRole("combobox", { name: "Filter by auth type" }).selectOption({ label: "Bot token" });
  await expect(cards).toHaveCount(2);
  expect((await cards.getByRole("heading").allTextContents()).sort()).toEqual(["Discord", "Telegram"]);

  // Filters combine: bot tokens that are about payments — none.
  await catalog.getByRole("combobox", { name: "Filter by capability" }).selectOption("payments");
  await expect(cards).toHaveCount(0);
  await expect(catalog.getByText("No provider matches. Clear the search or filters.")).toBeVisible();

  // A catalog card's own button opens the add dialog with its provider chosen.
  await catalog.getByRole("combobox", { name: "Filter by capability" }).selectOption("");
  await catalog.getByRole("combobox", { name: "Filter by auth type" }).selectOption("");
  await catalog.getByRole("searchbox", { name: "Search providers" }).fill("telegram");
  await catalog.getByRole("button", { name: "Add Telegram" }).click();
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await expect(dialog.getByLabel("Provider")).toHaveValue("telegram");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});
