import path from "node:path";

// What scripts/e2e.mjs prepared for this run (see playwright.config.ts).
export const RUN_DIR = process.env.E2E_RUN_DIR!;
export const SERVER_LOG = process.env.E2E_SERVER_LOG!;
export const DB_KIND = process.env.E2E_DB_KIND as "postgres" | "pglite";
/** The e2e server's own PostgreSQL database (postgres mode only). */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL;
/** The embedded database's data directory (pglite mode only). */
export const DATA_DIR = process.env.E2E_DATA_DIR;
/** The server's SWITCHBOARD_DATA_DIR in either mode (as playwright.config.ts sets it). */
export const SERVER_DATA_DIR = process.env.E2E_DATA_DIR ?? path.join(RUN_DIR, "unused-data-dir");
export const ADMIN_STATE = path.join(RUN_DIR, "admin.json");
/** The server's NEXTAUTH_SECRET (tests mint session cookies with old clocks). */
export const NEXTAUTH_SECRET = process.env.E2E_NEXTAUTH_SECRET!;

export const ADMIN = {
  orgName: "Acme E2E",
  name: "Ada Admin",
  email: "ada.admin@example.test",
  password: "correct horse battery staple",
};

export const VIEWER = {
  name: "Vic Viewer",
  email: "vic.viewer@example.test",
  password: "viewer password 123",
};

/** The OpenID Connect stand-in (tests/support/standins/oidc-main.ts) and its registered client. */
export const OIDC = {
  url: `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`,
  clientId: process.env.E2E_OIDC_CLIENT_ID!,
  clientSecret: process.env.E2E_OIDC_CLIENT_SECRET!,
};
/** The e2e server's encryption keys (postgres mode only), to check what a secret blob holds. */
export const ENCRYPTION_KEYS = process.env.E2E_ENCRYPTION_KEYS;
