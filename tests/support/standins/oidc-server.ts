import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from "oidc-provider";

// A real OAuth 2.0 / OpenID Connect authorization server for the tests:
// oidc-provider on 127.0.0.1 with its own login and consent pages, one
// confidential test client, PKCE required, refresh-token rotation, short-lived
// access tokens and a protected resource that answers 401 to an expired or
// unknown token. Its endpoints sit on Google's paths, so one server serves
// both generic_oauth2 (discovery) and Google through the base-URL override.
// It counts what the tests assert on: refreshes, their errors and revocations,
// and remembers every token it issued (the canary tests look for them).

export const GOOGLE_PATHS = {
  authorization: "/o/oauth2/v2/auth",
  token: "/token",
  userinfo: "/v1/userinfo",
  revocation: "/revoke",
} as const;
export const RESOURCE_PATH = "/api/resource";

export type TOidcCounters = { refreshes: number; refreshErrors: string[]; revocations: number; codeGrants: number; resourceCalls: number; resource401: number };

export type TOidcStandin = {
  issuer: string;
  port: number;
  clientId: string;
  clientSecret: string;
  counters: TOidcCounters;
  /** Every access and refresh token value the server issued. */
  issuedTokens: Set<string>;
  /** The refresh token issued last (after a rotation: the only valid one). */
  latestRefreshToken(): string | null;
  /** Makes the token endpoint answer this many milliseconds late (0: at once). */
  setTokenDelay(ms: number): void;
  /** Forgets every access token: the protected resource then answers 401 (an expired token, without waiting). */
  expireAccessTokens(): number;
  resetCounters(): void;
  close(): Promise<void>;
};

export type TOidcOptions = {
  port?: number;
  redirectUris: string[];
  accessTokenTtlSeconds?: number;
  clientId?: string;
  clientSecret?: string;
};

/** oidc-provider's storage, in memory, visible to the test (what was issued, and "expire everything"). */
function memoryStore() {
  const items = new Map<string, { model: string; payload: AdapterPayload; expiresAt: number }>();
  const key = (model: string, id: string) => `${model}:${id}`;
  class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      items.set(key(this.model, id), { model: this.model, payload, expiresAt: Date.now() + expiresIn * 1000 });
      if (this.model === "AccessToken" || this.model === "RefreshToken") issued.add(id);
      if (this.model === "RefreshToken") latest.refreshToken = id;
    }
    async find(id: string) {
      const item = items.get(key(this.model, id));
      if (!item || item.expiresAt < Date.now()) return undefined;
      return item.payload;
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid(uid: string) {
      for (const item of items.values()) if (item.model === this.model && item.payload.uid === uid) return item.payload;
      return undefined;
    }
    async consume(id: string) {
      const item = items.get(key(this.model, id));
      if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      items.delete(key(this.model, id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, item] of items) if (item.payload.grantId === grantId) items.delete(k);
    }
  }
  const issued = new Set<string>();
  const latest = { refreshToken: null as string | null };
  const expireAccessTokens = () => {
    let n = 0;
    for (const [k, item] of items) {
      if (item.model !== "AccessToken") continue;
      items.delete(k);
      n++;
    }
    return n;
  };
  return { MemoryAdapter, issued, latest, expireAccessTokens };
}

export async function startOidcServer(opts: TOidcOptions): Promise<TOidcStandin> {
  const { createServer } = await import("node:http");
  const store = memoryStore();
  const clientId = opts.clientId ?? "switchboard-test";
  const clientSecret = opts.clientSecret ?? `cs-${randomBytes(12).toString("hex")}`;
  const counters: TOidcCounters = { refreshes: 0, refreshErrors: [], revocations: 0, codeGrants: 0, resourceCalls: 0, resource401: 0 };

  // The issuer needs the port: listen first, then mount the provider.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    adapter: store.MemoryAdapter,
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, userinfo: { enabled: true } },
    rotateRefreshToken: true,
    // Google-style: a refresh token for every authorization-code grant of this client, offline_access or not.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    ttl: { AccessToken: opts.accessTokenTtlSeconds ?? 30, RefreshToken: 24 * 3600, AuthorizationCode: 60, Grant: 24 * 3600, Interaction: 600, Session: 3600 },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    scopes: ["openid", "offline_access", "email", "profile", "api"],
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.com`, email_verified: true, name: `${sub[0]?.toUpperCase() ?? ""}${sub.slice(1)} Tester` }),
    }),
    routes: GOOGLE_PATHS,
    cookies: { keys: [randomBytes(16).toString("hex")] },
  });

  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    const grantType = (ctx.oidc.params as Record<string, unknown> | undefined)?.grant_type;
    if (grantType === "refresh_token") counters.refreshes++;
    if (grantType === "authorization_code") counters.codeGrants++;
  });
  provider.on("grant.error", (ctx: KoaContextWithOIDC, err: { error?: string }) => {
    if ((ctx.oidc?.params as Record<string, unknown> | undefined)?.grant_type === "refresh_token") counters.refreshErrors.push(err.error ?? "error");
  });
  let tokenDelayMs = 0;
  provider.use(async (ctx, next) => {
    if (ctx.path === GOOGLE_PATHS.token && tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
    if (ctx.path === RESOURCE_PATH) {
      counters.resourceCalls++;
      const value = /^Bearer (.+)$/i.exec(ctx.get("authorization"))?.[1];
      const token = value ? await provider.AccessToken.find(value) : undefined;
      if (!token || token.isExpired) {
        counters.resource401++;
        ctx.status = 401;
        ctx.set("WWW-Authenticate", 'Bearer error="invalid_token"');
        ctx.body = { error: "invalid_token" };
        return;
      }
      ctx.body = { ok: true, sub: token.accountId };
      return;
    }
    // Test-only introspection for the browser tests, which run in another process.
    if (ctx.path === "/__test/counters") {
      ctx.body = counters;
      return;
    }
    if (ctx.path === "/__test/issued") {
      ctx.body = { tokens: [...store.issued] };
      return;
    }
    await next();
    if (ctx.path === GOOGLE_PATHS.revocation && ctx.method === "POST" && ctx.status === 200) counters.revocations++;
  });

  server.on("request", provider.callback());
  return {
    issuer,
    port,
    clientId,
    clientSecret,
    counters,
    issuedTokens: store.issued,
    latestRefreshToken: () => store.latest.refreshToken,
    setTokenDelay(ms) {
      tokenDelayMs = ms;
    },
    expireAccessTokens: store.expireAccessTokens,
    resetCounters() {
      Object.assign(counters, { refreshes: 0, refreshErrors: [], revocations: 0, codeGrants: 0, resourceCalls: 0, resource401: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
