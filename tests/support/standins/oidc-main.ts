// The OIDC stand-in as its own process for the browser tests (a Playwright
// webServer, started before the app): port, client and the app's redirect URI
// come from scripts/e2e.mjs through E2E_* variables.
import { startOidcServer } from "./oidc-server";

const { E2E_OIDC_PORT, E2E_APP_URL, E2E_OIDC_CLIENT_ID, E2E_OIDC_CLIENT_SECRET } = process.env;
if (!E2E_OIDC_PORT || !E2E_APP_URL || !E2E_OIDC_CLIENT_ID || !E2E_OIDC_CLIENT_SECRET) {
  console.error("oidc-main.ts needs E2E_OIDC_PORT, E2E_APP_URL, E2E_OIDC_CLIENT_ID and E2E_OIDC_CLIENT_SECRET (run `npm run test:e2e`).");
  process.exit(2);
}

const standin = await startOidcServer({
  port: Number(E2E_OIDC_PORT),
  redirectUris: [`${E2E_APP_URL}/api/oauth/callback`],
  clientId: E2E_OIDC_CLIENT_ID,
  clientSecret: E2E_OIDC_CLIENT_SECRET,
  accessTokenTtlSeconds: 3600,
});
console.log(`oidc stand-in on ${standin.issuer}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void standin.close().then(() => process.exit(0)));
