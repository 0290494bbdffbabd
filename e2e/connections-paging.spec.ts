import type { Page } from "@playwright/test";
import { createKeyInUi } from "./support/api-keys";
import { expectNoAxeViolations } from "./support/axe";
import { LIST_PATH, uniqueName } from "./support/connections";
import { STANDIN_HTTP_PORT } from "./support/standins";
import { expect, test } from "./support/test";
import { startKeyListUpstream, type TKeyListUpstream } from "../tests/support/standins/key-list-upstream";

// Search and paging on the integrations list: both live in the address
// (?q=, ?page=), so Back and Forward walk them, and a page of 50 says which
// rows it shows. 55 connections made through the admin API share a prefix no
// other test uses; they are removed at the end, so other specs' lists stay short.
// An organization may hold 50 connections per provider: the first 30 are
// DeepSeek, the rest xAI, so the search's sorted result is the names in order.

const COUNT = 55;
const providerOf = (i: number) => (i < 30 ? "deepseek" : "xai");

function rows(page: Page) {
  return page.locator("tr[data-connection]");
}

async function search(page: Page, q: string): Promise<void> {
  const box = page.getByRole("searchbox", { name: "Search connections" });
  await box.fill(q);
  await box.press("Enter");
}

// PUT tests each key with the provider first: the providers' base URLs point at
// this stand-in, which accepts exactly the keys made here.
let upstream: TKeyListUpstream;
test.beforeAll(async () => {
  upstream = await startKeyListUpstream(STANDIN_HTTP_PORT);
});
test.afterAll(async () => {
  await upstream?.close();
});

test("search narrows the list, Previous / Next page through it, the address holds both, and there is an empty state", async ({ page, baseURL }) => {
  test.slow(); // 110 API calls, two axe scans
  const prefix = uniqueName("zz-pg");
  const key = await createKeyInUi(page, { name: uniqueName("paging"), scope: "admin" });
  const names = Array.from({ length: COUNT }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);
  const api = (i: number) => `${baseURL}/api/admin/integrations/${providerOf(i)}:${names[i]}/credentials`;
  const auth = { Authorization: `Bearer ${key}` };

  try {
    for (let i = 0; i < COUNT; i++) {
      const res = await page.request.put(api(i), { headers: auth, data: { value: upstream.accept(`sk-${uniqueName("k")}`) } });
      expect(res.status(), await res.text()).toBe(200);
    }

    // Desktop: search by name, case-insensitively.
    await page.goto(LIST_PATH);
    await search(page, prefix.toUpperCase());
    await expect(page).toHaveURL(new RegExp(`\\?q=${prefix.toUpperCase()}$`));
    const range = page.getByTestId("connections-range");
    await expect(range).toHaveText(`Showing 1–50 of ${COUNT}`);
    await expect(rows(page)).toHaveCount(50);
    await expect(rows(page).first()).toContainText(names[0]!);

    const pager = page.getByRole("navigation", { name: "Connections pages" });
    await expect(pager.getByText("Previous page")).toHaveAttribute("aria-disabled", "true");
    // Keyboard: the Next link takes focus and follows on Enter.
    await pager.getByRole("link", { name: "Next page" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`\\?q=${prefix.toUpperCase()}&page=2$`));
    await expect(range).toHaveText(`Showing 51–55 of ${COUNT}`);
    await expect(rows(page)).toHaveCount(5);
    await expect(rows(page).last()).toContainText(names[COUNT - 1]!);
    await expect(pager.getByText("Next page")).toHaveAttribute("aria-disabled", "true");
    await expectNoAxeViolations(page, "the list's second page of a search");

    await pager.getByRole("link", { name: "Previous page" }).click();
    await expect(range).toHaveText(`Showing 1–50 of ${COUNT}`);
    // Back and Forward walk the pages.
    await page.goBack();
    await expect(page).toHaveURL(/page=2$/);
    await expect(range).toHaveText(`Showing 51–55 of ${COUNT}`);
    await page.goBack();
    await expect(page).toHaveURL(/\?q=[^&]+$/);
    await expect(range).toHaveText(`Showing 1–50 of ${COUNT}`);
    await page.goForward();
    await expect(rows(page)).toHaveCount(5);

    // A page number past the end shows the last page; a direct address works.
    await page.goto(`${LIST_PATH}?q=${prefix}&page=9`);
    await expect(range).toHaveText(`Showing 51–55 of ${COUNT}`);
    await page.goto(`${LIST_PATH}?q=${prefix}-07`);
    await expect(rows(page)).toHaveCount(1);

    // Nothing matches: the empty state names the search, and Clear brings the whole list back.
    const nothing = `${prefix}-nothing`;
    await search(page, nothing);
    await expect(page.getByText(`No connections match “${nothing}”`)).toBeVisible();
    await expect(rows(page)).toHaveCount(0);
    await page.getByRole("link", { name: "Clear search" }).click();
    await expect(page).toHaveURL(new RegExp(`${LIST_PATH}$`));
    await expect(page.getByRole("searchbox", { name: "Search connections" })).toHaveValue("");
    await page.goBack();
    await expect(page.getByRole("searchbox", { name: "Search connections" })).toHaveValue(nothing);

    // A 390 px phone: the same search and paging, nothing pans sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(LIST_PATH);
    await search(page, prefix);
    await expect(range).toHaveText(`Showing 1–50 of ${COUNT}`);
    await pager.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/page=2$/);
    await expect(rows(page)).toHaveCount(5);
    await expect(rows(page).first().getByRole("button", { name: /^Remove xAI/ })).toBeVisible();
    const widths = await page.evaluate(() => ({ viewport: window.innerWidth, document: document.documentElement.scrollWidth }));
    expect(widths.document).toBeLessThanOrEqual(widths.viewport);
    const nextBox = await pager.getByText("Next page").boundingBox();
    expect(nextBox!.x + nextBox!.width).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(page, "the list's second page at 390 px");
  } finally {
    for (let i = 0; i < COUNT; i++) await page.request.delete(api(i), { headers: auth });
  }
});
