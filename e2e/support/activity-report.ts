import type { Page } from "@playwright/test";

/**
 * Holds back the answer to the page's activity reports (components/auth/session-activity.tsx). Each report
 * reaches the server at once, which renews the session cookie in its answer (route.fetch stores that cookie
 * already); the browser gets the answer, and the cookie once more, only on `release()` or `releaseAfter(ms)`,
 * a report "still in flight" at a moment the test chooses. The page abandons a report after 5 s of its own.
 */
export async function holdActivityReports(page: Page) {
  let release: (() => void) | undefined;
  let done = false;
  await page.route("**/api/auth/session", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const answer = await route.fetch();
    await new Promise<void>((resolve) => (release = resolve));
    await route.fulfill({ response: answer }).catch(() => undefined); // the page may have given up on it, or gone
    done = true;
  });
  return {
    /** A report has reached the server (its answer may have been let through since). */
    sent: () => release !== undefined,
    /** Lets the held answer through now. */
    release: () => release?.(),
    /** Lets the held answer through after `ms`, unless released before. */
    releaseAfter: (ms: number) => void setTimeout(() => release?.(), ms),
    /** The held answer has reached the browser, or the page gave up on it: it can no longer land. */
    done: () => done,
  };
}
