import { expect, test as base, type Page } from "@playwright/test";

/**
 * `test` with one automatic check: a page that throws in the browser (an
 * uncaught exception, a React hydration error logged to the console) or that
 * the Content Security Policy refuses anything fails the test, even when every
 * assertion passed. The fixture's value is the list, for a test that provokes
 * an error on purpose: it asserts the entries and empties the list.
 */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
      page.on("console", (msg) => {
        // A 404 the test navigates to on purpose is reported as a failed resource; that is not a page error.
        if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) errors.push(`console: ${msg.text()}`);
      });
      // The browser's own report of each CSP refusal, on every page the test opens.
      await page.exposeFunction("__reportCspViolation", (report: string) => errors.push(`csp: ${report}`));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          const report = (window as unknown as { __reportCspViolation: (r: string) => void }).__reportCspViolation;
          void report(`${e.effectiveDirective} refused ${e.blockedURI || "inline"} on ${location.pathname}`);
        });
      });
      await use(errors);
      expect(errors, "errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Asserts a toast with this text is shown, then closes it as an operator
 * would. A toast left open can sit over the next button, and hovering it
 * (Playwright's pointer does) pauses its timer.
 */
export async function dismissToast(page: Page, text: string | RegExp): Promise<void> {
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: text });
  await expect(toast).toBeVisible();
  await toast.getByRole("button", { name: "Close toast" }).click();
  await expect(toast).toHaveCount(0);
}

export { expect };
