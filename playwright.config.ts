import path from "node:path";
import { defineConfig } from "@playwright/test";
import { standInBaseUrls } from "./tests/support/standins/api-providers";

// Run through `npm run test:e2e` (scripts/e2e.mjs): it picks the port, prepares
// a fresh database and passes both here as E2E_* variables.
const required = ["E2E_PORT", "E2E_RUN_DIR", "E2E_SERVER_LOG", "E2E_SERVER_PID", "E2E_DB_KIND", "E2E_NEXTAUTH_SECRET", "E2E_OIDC_PORT", "E2E_CHROMIUM"] as const;
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`Missing ${missing.join(", ")}. Start the browser tests with \`npm run test:e2e\`, which prepares the server and database.`);
}

const port = process.env.E2E_PORT!;

/** Test Connection reaches the provider stand-ins the specs start (e2e/support/standins.ts). */
function standInEnv(): Record<string, string> {
  const http = process.env.E2E_STANDIN_HTTP_PORT;
  const smtp = process.env.E2E_STANDIN_SMTP_PORT;
  if (!http || !smtp) return {};
  return {
    SWITCHBOARD_PROVIDER_BASE_URLS: standInBaseUrls(`http://127.0.0.1:${http}`),
    SWITCHBOARD_OUTBOUND_ALLOW: `127.0.0.1:${http},127.0.0.1:${smtp}`,
    SWITCHBOARD_OUTBOUND_CA_FILE: path.resolve("tests/support/standins/fixtures/standin-cert.pem"),
    SWITCHBOARD_CONNECTION_TESTS_PER_MINUTE: "1000",
  };
}
const standIns = standInEnv();
const baseURL = `http://127.0.0.1:${port}`;
const oidcURL = `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;
const ADMIN_STATE = path.join(process.env.E2E_RUN_DIR!, "admin.json");
/** Specs that start a stand-in on E2E_STANDIN_HTTP_PORT or change what it accepts. */
const STAND_IN_SPECS = /\/(admin-api|connections-paging|live-status|test-connection)\.spec\.ts$/;
/** Specs whose checks or changes span the whole server (see projects). */
const EXCLUSIVE_SPECS = /\/(corrupted-secrets|hostile-input|security|session-log)\.spec\.ts$/;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/playwright",
  // Two browsers at once (see projects): the suite spends most of its time waiting on pages, not on the CPU.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  // The JSON report feeds the pass/fail counts that `npm test` prints.
  reporter: [["list"], ["json", { outputFile: "./test-results/e2e.json" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    headless: true,
    // Tracing every test costs about a fifth of the suite's time; E2E_TRACE=1 records one for each failure.
    trace: process.env.E2E_TRACE ? "retain-on-failure" : "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM!,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // One server and one organization for every spec. After setup, two projects
  // run side by side: "shared" (specs that only touch rows they made) and
  // "stand-ins" (one at a time: the specs that start a provider stand-in on the
  // one port the server is pointed at, or flip what it accepts). "exclusive"
  // runs alone at the end: specs that check the whole database, re-encrypt or
  // tamper with every secret, add a second admin for good, or read the server
  // log for lines of their own.
  projects: [
    { name: "setup", testMatch: /first-run\.setup\.ts/ },
    // Listed before "shared": Playwright hands out work in project order, so the one-at-a-time stand-in
    // specs start at once on one worker instead of running alone after "shared" has finished.
    {
      name: "stand-ins",
      testMatch: STAND_IN_SPECS,
      workers: 1,
      dependencies: ["setup"],
      use: { storageState: ADMIN_STATE },
    },
    {
      name: "shared",
      testMatch: /.*\.spec\.ts/,
      testIgnore: [STAND_IN_SPECS, EXCLUSIVE_SPECS],
      dependencies: ["setup"],
      use: { storageState: ADMIN_STATE },
    },
    {
      name: "exclusive",
      testMatch: EXCLUSIVE_SPECS,
      workers: 1,
      dependencies: ["shared", "stand-ins"],
      use: { storageState: ADMIN_STATE },
    },
  ],
  webServer: [
    {
      // The OpenID Connect stand-in: generic_oauth2 finds it by discovery, Google through the base-URL override.
      command: "node_modules/.bin/tsx tests/support/standins/oidc-main.ts",
      url: `${oidcURL}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        E2E_OIDC_PORT: process.env.E2E_OIDC_PORT!,
        E2E_APP_URL: baseURL,
        E2E_OIDC_CLIENT_ID: process.env.E2E_OIDC_CLIENT_ID!,
        E2E_OIDC_CLIENT_SECRET: process.env.E2E_OIDC_CLIENT_SECRET!,
      },
    },
    {
      command: "node e2e/support/server.mjs",
      url: `${baseURL}/api/auth/csrf`,
      timeout: 90_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      env: {
        E2E_PORT: port,
        E2E_SERVER_LOG: process.env.E2E_SERVER_LOG!,
        E2E_SERVER_PID: process.env.E2E_SERVER_PID!,
        NEXT_TELEMETRY_DISABLED: "1",
        NEXTAUTH_URL: baseURL,
        NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET!,
        // Exactly one database: the fresh one scripts/e2e.mjs prepared. Empty means unset (lib/env.ts).
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
        SWITCHBOARD_DATA_DIR: process.env.E2E_DATA_DIR ?? path.join(process.env.E2E_RUN_DIR!, "unused-data-dir"),
        SWITCHBOARD_ENCRYPTION_KEYS: process.env.E2E_ENCRYPTION_KEYS ?? "",
        SWITCHBOARD_API_KEY_PEPPER: process.env.E2E_API_KEY_PEPPER ?? "",
        SWITCHBOARD_LOG_LEVEL: "debug",
        // Live streams re-check their session every 3 s instead of 30 s: the sign-out-everywhere test waits for it.
        SWITCHBOARD_LIVE_SESSION_RECHECK_SECONDS: "3",
        // The admin API's e2e test checks 400 integration_disabled on a provider no other test uses.
        SWITCHBOARD_DISABLED_PROVIDERS: "postmark",
        ...standIns,
        // Google and generic_oauth2 reach the OpenID Connect stand-in; the API-key providers their HTTP stand-ins.
        // The last entry for a provider wins: Google must reach the OpenID Connect stand-in, not its userinfo stand-in.
        SWITCHBOARD_PROVIDER_BASE_URLS: [standIns.SWITCHBOARD_PROVIDER_BASE_URLS, `google=${oidcURL}`].filter(Boolean).join(","),
        // The outbound policy refuses loopback unless listed; the stand-ins live there.
        SWITCHBOARD_OUTBOUND_ALLOW: [`127.0.0.1:${process.env.E2E_OIDC_PORT}`, standIns.SWITCHBOARD_OUTBOUND_ALLOW].filter(Boolean).join(","),
      },
    },
  ],
});
