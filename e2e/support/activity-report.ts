import type { Page } from "@playwright/test";

/**
 * Holds back the answer to the page's activity reports (components/auth/session-activity.tsx). Each report
 * reaches the server at once, which renews the session cookie in its answer, but the browser gets that answer
 * only on `release()` or after `maxMs`: a report "still in flight" at a moment the test chooses.
 */
export async function holdActivityReports(page: Page, maxMs: number) {
  let release: (() => void) | undefined;
  let landed = false;
  await page.route("**/api/auth/session", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const answer = await route.fetch();
    await new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, maxMs);
    });
    await route.fulfill({ response: answer }).catch(() => undefined); // the page may have gone meanwhile
    landed = true;
  });
  return {
    /** A report has reached the server (its answer may have been let through since). */
    sent: () => release !== undefined,
    /** A report has reached the server and its answer is held. */
    held: () => release !== undefined && !landed,
    /** Lets the held answer through. */
    release: () => release?.(),
    /** The held answer has reached the browser. */
    landed: () => landed,
  };
}
