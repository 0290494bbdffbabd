import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { dismissToast, expect, test } from "./support/test";
import { addConnection, headerStatus, LIST_PATH, secretInput, uniqueName } from "./support/connections";
import { ADMIN_STATE, DB_KIND, E2E_DATABASE_URL, RUN_DIR } from "./support/env";
import { addMember, signInAs, uniqueMember } from "./support/members";
import { startSecondServer, type TSecondServer } from "./support/second-server";
import { startE2eStandIns, type TE2eStandIns } from "./support/standins";
import { RIGHT } from "../tests/support/standins/api-providers";

// A status change made in one browser reaches another browser's open list
// without a reload (Server-Sent Events fed by LISTEN/NOTIFY), also when the
// two browsers are served by two app processes on one PostgreSQL. The time
// from the first browser's result to the second browser's badge is measured
// (not asserted) and written to test-results/e2e/sse-latency.json.

let standIns: TE2eStandIns;
test.beforeAll(async () => {
  standIns = await startE2eStandIns();
});
test.afterAll(async () => standIns?.close());

const measurements: Record<string, unknown>[] = [];
test.afterAll(() => {
  fs.writeFileSync(path.join(RUN_DIR, "sse-latency.json"), JSON.stringify(measurements, null, 2));
});

async function connectedOpenAi(page: Page): Promise<{ uuid: string; name: string }> {
  const name = uniqueName("live");
  const uuid = await addConnection(page, "OpenAI", name);
  await secretInput(page, "API key").fill(RIGHT.openai!.api_key!);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dismissToast(page, "Settings saved.");
  await expect(headerStatus(page)).toHaveText("Connected");
  return { uuid, name };
}

/** Opens the list in a second browser context and records (in the page) when the row's badge text changes. */
async function watchingList(browser: Browser, baseURL: string, uuid: string): Promise<Page> {
  const context = await browser.newContext({ storageState: ADMIN_STATE, baseURL });
  const list = await context.newPage();
  await list.goto(LIST_PATH);
  await expect(list.locator('[data-live-updates="live"]')).toHaveCount(1);
  const badge = list.locator(`tr[data-connection="${uuid}"] [data-status]`);
  await expect(badge).toHaveText("Connected");
  await list.evaluate((id) => {
    const w = window as unknown as { stillHere: boolean; badgeChangedAt?: number; eventAt?: number };
    w.stillHere = true;
    // A second stream, only to time the event's arrival apart from the page's re-render.
    const probe = new EventSource("/api/events/connections");
    probe.addEventListener("status", (e) => {
      if ((JSON.parse((e as MessageEvent).data) as { uuid: string }).uuid === id && w.eventAt === undefined) w.eventAt = Date.now();
    });
    const observer = new MutationObserver(() => {
      const el = document.querySelector(`tr[data-connection="${id}"] [data-status]`);
      if (el?.textContent !== "Connected" && w.badgeChangedAt === undefined) w.badgeChangedAt = Date.now();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, uuid);
  return list;
}

async function flipAndMeasure(page: Page, list: Page, uuid: string, name: string, label: string): Promise<void> {
  await page.goto(LIST_PATH);
  const row = page.locator(`tr[data-connection="${uuid}"]`);
  standIns.api.revoked.add("openai");
  try {
    const clickedAt = Date.now();
    await row.getByRole("button", { name: `Test OpenAI “${name}”` }).click();
    await expect(row.locator("[data-status]")).toHaveText("Error");
    const firstBrowserAt = Date.now();
    await expect(list.locator(`tr[data-connection="${uuid}"] [data-status]`)).toHaveText("Error");
    const { changedAt, eventAt } = await list.evaluate(() => {
      const w = window as unknown as { badgeChangedAt?: number; eventAt?: number };
      return { changedAt: w.badgeChangedAt, eventAt: w.eventAt };
    });
    expect(await list.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true); // no reload
    const m = {
      case: label,
      clickToEventInSecondBrowserMs: eventAt! - clickedAt,
      clickToBadgeInSecondBrowserMs: changedAt! - clickedAt,
      clickToBadgeInFirstBrowserMs: firstBrowserAt - clickedAt,
    };
    measurements.push(m);
    console.log(`[sse-latency] ${JSON.stringify(m)}`);
  } finally {
    standIns.api.revoked.delete("openai");
  }
}

test("a second browser sees the badge change live when the first one's test flips the status", async ({ page, browser, baseURL }) => {
  const { uuid, name } = await connectedOpenAi(page);
  const list = await watchingList(browser, baseURL!, uuid);
  await flipAndMeasure(page, list, uuid, name, "one app process");
  await list.context().close();
});

if (DB_KIND === "postgres") {
  test("the same across two app processes on one PostgreSQL", async ({ page, browser }) => {
    test.setTimeout(120_000);
    const second: TSecondServer = await startSecondServer({
      port: Number(process.env.E2E_SECOND_PORT),
      databaseUrl: E2E_DATABASE_URL!,
      logFile: path.join(RUN_DIR, "second-server.log"),
    });
    try {
      const { uuid, name } = await connectedOpenAi(page);
      const list = await watchingList(browser, second.baseURL, uuid);
      await flipAndMeasure(page, list, uuid, name, "two app processes");
      await list.context().close();
    } finally {
      await second.stop();
    }
  });
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("the event stream answers 401 without a session", async ({ request }) => {
    const res = await request.get("/api/events/connections");
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to receive live updates." } });
  });
});

type TStream = { status: number; json?: unknown; retryAfter: string | null; text: () => string; ended: Promise<void>; close: () => void };

/** Opens /api/events/connections from the test process with a browser's cookies; a 200 stream is read in the background until `ready`. */
async function openStream(baseURL: string, context: BrowserContext): Promise<TStream> {
  const cookie = (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join("; ");
  const abort = new AbortController();
  const res = await fetch(`${baseURL}/api/events/connections`, { headers: { cookie }, signal: abort.signal });
  if (res.status !== 200) {
    return { status: res.status, json: await res.json(), retryAfter: res.headers.get("retry-after"), text: () => "", ended: Promise.resolve(), close: () => undefined };
  }
  let text = "";
  const reader = res.body!.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted by close()
    }
  })();
  await expect.poll(() => text).toContain("event: ready");
  return { status: 200, retryAfter: null, text: () => text, ended, close: () => abort.abort() };
}

test.describe("stream limits", () => {
  test.slow(); // a member's invite, sign-ins and password hashes

  test("one user gets at most 5 live streams: the sixth is refused with 429 until one closes", async ({ page, browser, baseURL }) => {
    const member = uniqueMember("streams");
    await addMember(page, browser, baseURL!, member);
    const tab = await signInAs(browser, baseURL!, member);
    // The member's list page holds the first stream.
    await expect(tab.page.locator('[data-live-updates="live"]')).toHaveCount(1);
    const streams: TStream[] = [];
    for (let i = 0; i < 4; i++) streams.push(await openStream(baseURL!, tab.context));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200]);

    const sixth = await openStream(baseURL!, tab.context);
    expect(sixth.status).toBe(429);
    expect(sixth.retryAfter).toBe("30");
    expect(sixth.json).toEqual({
      error: { code: "too_many_streams", message: "Too many live-update streams are open for your account (at most 5). Close some tabs and reload." },
    });
    // Another user (the admin) is not affected.
    const admins = await openStream(baseURL!, page.context());
    expect(admins.status).toBe(200);
    admins.close();

    // Closing one frees its slot (the server sees the disconnect shortly after).
    streams[0]!.close();
    let again: TStream | undefined;
    await expect
      .poll(async () => {
        again = await openStream(baseURL!, tab.context);
        return again.status;
      })
      .toBe(200);
    for (const s of [...streams, again!]) s.close();
    await tab.context.close();
  });

  test("sign out everywhere ends the member's open streams within the session re-check (3 s here), and their open page goes to sign-in", async ({ page, browser, baseURL }) => {
    test.setTimeout(90_000);
    const member = uniqueMember("revoked");
    await addMember(page, browser, baseURL!, member);
    const laptop = await signInAs(browser, baseURL!, member);
    const phone = await signInAs(browser, baseURL!, member);
    await expect(phone.page.locator('[data-live-updates="live"]')).toHaveCount(1);
    const stream = await openStream(baseURL!, phone.context);
    expect(stream.status).toBe(200);

    await laptop.page.goto("/admin/profile");
    await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await laptop.page.getByRole("dialog", { name: "Sign out everywhere?" }).getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(laptop.page).toHaveURL(/\/login/);

    // No navigation by the test: the server ends the stream, the page re-reads and lands on sign-in.
    await expect(phone.page).toHaveURL(/\/login/, { timeout: 15_000 });
    await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error("the stream stayed open")), 15_000))]);
    expect(stream.text()).toMatch(/event: reauth\n/);
    await laptop.context.close();
    await phone.context.close();
  });
});
