import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { readSecrets } from "../support/oauth";
import {
  authenticatedRequest,
  completeAuthorization,
  getCredentials,
  getIntegrationByUuid,
  refreshAccessToken,
  saveSetup,
  type TServiceContext,
} from "@/lib/integrations/service";
import { connect, consentAs, plaintextColumnsContaining, storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import { RESOURCE_PATH, type TOidcStandin } from "../support/standins/oidc-server";
import { auditRows, unwrap } from "../support/results";
import type { ConsoleCapture, TestDatabase } from "../support/test-db";
import { startWorker, workerOutput } from "../support/workers";

let testDb: TestDatabase;
let standin: TOidcStandin;
let ctx: TServiceContext;
let uuid: string;
let resource: string;
let logs: ConsoleCapture;

const oauth = oauthFixture({ captureLogs: true, env: { SWITCHBOARD_TOKEN_REFRESH_SKEW_SECONDS: "5" }, oidc: { accessTokenTtlSeconds: 60 } });
beforeAll(() => ({ testDb, standin, ctx, uuid, resource, logs } = oauth));

/** Makes our stored expiry a moment ago (the server's token itself is still valid). */
async function markExpired(): Promise<void> {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), expires_at: new Date(Date.now() - 1000).toISOString() } } });
}

async function auditActions(): Promise<string[]> {
  return (await auditRows(ctx.orgId)).filter((r) => r.targetId === uuid).map((r) => r.action);
}

describe("authenticatedRequest", () => {
  it("sends the access token to the connection's host and returns the upstream answer", async () => {
    const r = unwrap(await authenticatedRequest(ctx, uuid, { method: "GET", url: resource }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, sub: "ada" });
    expect(standin.counters.refreshes).toBe(0);
  });

  it("an upstream 401 → exactly one refresh and one retry", async () => {
    expect(standin.expireAccessTokens()).toBeGreaterThan(0);
    const before = await storedSecrets(uuid);
    const r = unwrap(await authenticatedRequest(ctx, uuid, { method: "GET", url: resource }));
    expect(r.status).toBe(200);
    expect(standin.counters).toMatchObject({ refreshes: 1, resource401: 1, resourceCalls: 2, refreshErrors: [] });
    const after = await storedSecrets(uuid);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token); // rotated, and stored with the access token
    expect(after.refresh_token).toBe(standin.latestRefreshToken());
    expect((await auditActions()).at(-1)).toBe("token_refreshed");
    expect(unwrap(await getIntegrationByUuid(ctx, uuid)).tokenRefreshedAt).not.toBeNull();
  });

  it("a 401 that persists after the refresh is returned as is: one retry only", async () => {
    let calls = 0;
    const server = createServer((_req, res) => {
      calls++;
      res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    // A new allowed host is a new destination: the client secret is typed again and the tokens are dropped, so reconnect.
    unwrap(await saveSetup(ctx, { uuid, attrs: { allowed_hosts: `http://127.0.0.1:${port}`, client_secret: standin.clientSecret } }));
    expect((await storedSecrets(uuid)).access_token).toBeUndefined();
    await connect(ctx, uuid);
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    // An access token the resource does not know, expiring far away: no refresh ahead of time.
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { ...readSecrets(row), access_token: "not-a-token" }) });
    standin.resetCounters();
    const r = unwrap(await authenticatedRequest(ctx, uuid, { method: "GET", url: `http://127.0.0.1:${port}/always-401` }));
    expect(r.status).toBe(401);
    expect(calls).toBe(2);
    expect(standin.counters.refreshes).toBe(1);
    unwrap(await saveSetup(ctx, { uuid, attrs: { allowed_hosts: "", client_secret: standin.clientSecret } }));
    await connect(ctx, uuid);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a URL outside the connection's hosts → host_not_allowed, nothing sent", async () => {
    let hits = 0;
    const other: Server = createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as AddressInfo).port;
    for (const url of [
      `http://127.0.0.1:${port}/steal`,
      `http://localhost:${standin.port}${RESOURCE_PATH}`,
      `https://127.0.0.1:${standin.port}${RESOURCE_PATH}`,
      `http://user:pw@127.0.0.1:${standin.port}${RESOURCE_PATH}`,
    ]) {
      const r = await authenticatedRequest(ctx, uuid, { method: "GET", url });
      expect(r.ok ? "ok" : r.error.code, url).toBe("host_not_allowed");
    }
    expect(hits).toBe(0);
    expect(standin.counters.resourceCalls).toBe(0);
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
});

describe("getCredentials", () => {
  it("renews a token that expires within the skew before handing it out (the access token only)", async () => {
    await markExpired();
    const before = await storedSecrets(uuid);
    const read = unwrap(await getCredentials(ctx, uuid));
    const creds = read.credentials;
    expect(standin.counters.refreshes).toBe(1);
    expect(creds.access_token).not.toBe(before.access_token);
    const stored = await storedSecrets(uuid);
    expect(creds.access_token).toBe(stored.access_token);
    expect(new Date(read.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    // Never the refresh token (a consumer could race the single-flight with it), the ID token or the client secret.
    expect(Object.keys(creds).sort()).toEqual(["access_token", "client_id", "issuer_url", "scopes"]);
    expect(Object.values(creds)).not.toContain(stored.refresh_token);
    // Still fresh: no second refresh.
    expect(unwrap(await getCredentials(ctx, uuid)).credentials.access_token).toBe(creds.access_token);
    expect(standin.counters.refreshes).toBe(1);
  });
});

describe("refresh single-flight", () => {
  it("200 concurrent authenticatedRequest calls on an expired token → exactly 1 token refresh, 200 upstream answers", async () => {
    await markExpired();
    let tallies: Record<string, number>[];
    let processes: number;
    if (testDb.kind === "postgres") {
      // Two real Node processes, 100 callers each, released together.
      const env = { WORKER_ORG: ctx.orgId, WORKER_UUID: uuid, WORKER_URL: resource, WORKER_COUNT: "100" };
      const workers = [startWorker(env), startWorker(env)];
      await Promise.all(workers.map((w) => w.started));
      workers.forEach((w) => w.go());
      tallies = await Promise.all(workers.map((w) => w.result));
      processes = 2;
    } else {
      // The embedded database opens in one process only: the 200 callers share this one.
      const results = await Promise.all(Array.from({ length: 200 }, () => authenticatedRequest(ctx, uuid, { method: "GET", url: resource })));
      tallies = [{ "200": results.filter((r) => r.ok && r.value.status === 200).length }];
      processes = 1;
    }
    const total200 = tallies.reduce((n, t) => n + (t["200"] ?? 0), 0);
    console.log(`concurrency: 200 callers over ${processes} process(es) → ${standin.counters.refreshes} token refresh(es), ${total200} × 200`);
    expect(tallies.flatMap((t) => Object.keys(t))).toEqual(tallies.map(() => "200"));
    expect(total200).toBe(200);
    expect(standin.counters.refreshes).toBe(1);
    expect(standin.counters.refreshErrors).toEqual([]);
    expect((await storedSecrets(uuid)).refresh_token).toBe(standin.latestRefreshToken());
  }, 120_000);

  it("a refresh-token rotation race between 2 processes → no invalid_grant, the newest refresh token stored", async () => {
    const stale = (await storedSecrets(uuid)).access_token!;
    if (testDb.kind === "postgres") {
      const env = { WORKER_ORG: ctx.orgId, WORKER_UUID: uuid, WORKER_MODE: "refresh", WORKER_STALE: stale, WORKER_COUNT: "5" };
      const workers = [startWorker(env), startWorker(env)];
      await Promise.all(workers.map((w) => w.started));
      workers.forEach((w) => w.go());
      expect(await Promise.all(workers.map((w) => w.result))).toEqual([{ ok: 5 }, { ok: 5 }]);
    } else {
      const results = await Promise.all(Array.from({ length: 10 }, () => refreshAccessToken(ctx, { uuid, staleAccessToken: stale })));
      expect(results.every((r) => r.ok)).toBe(true);
    }
    expect(standin.counters.refreshes).toBe(1);
    expect(standin.counters.refreshErrors).toEqual([]);
    expect((await storedSecrets(uuid)).refresh_token).toBe(standin.latestRefreshToken());
    // The stored refresh token is the live one: the next refresh works.
    expect(unwrap(await refreshAccessToken(ctx, { uuid })).refreshed).toBe(true);
  }, 120_000);
});

describe("invalid_grant and recovery", () => {
  it("invalid_grant → status error + 'Reconnect required', audited; a reconnect → connected and auto_recovered", async () => {
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { ...readSecrets(row), refresh_token: "revoked-or-unknown" }) });
    const failed = await refreshAccessToken(ctx, { uuid });
    expect(failed.ok ? "ok" : failed.error.code).toBe("reconnect_required");
    const broken = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(broken.status).toBe("error");
    expect(broken.validationStatus).toMatch(/^Reconnect required: .*invalid_grant/);
    expect((await auditActions()).at(-1)).toBe("token_refresh_failed");
    expect(standin.counters.refreshErrors).toEqual(["invalid_grant"]);

    // Consumers get the error, not a stale token, until someone reconnects.
    await markExpired();
    standin.resetCounters();
    const meanwhile = await authenticatedRequest(ctx, uuid, { method: "GET", url: resource });
    expect(meanwhile.ok ? "ok" : meanwhile.error.code).toBe("reconnect_required");
    // An expired token: no upstream call and no refresh attempt (README: "at most one upstream call").
    expect(standin.counters).toMatchObject({ resourceCalls: 0, refreshes: 0 });

    const outcome = await completeAuthorization(ctx, { params: await consentAs(ctx, uuid, "ada") });
    expect(unwrap(outcome.result).account).toBe("ada@example.com");
    const fixed = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(fixed).toMatchObject({ status: "connected", validationStatus: null });
    expect((await auditActions()).slice(-2)).toEqual(["connected", "auto_recovered"]);
  });

  it("a refresh that succeeds after an error also auto-recovers", async () => {
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), status: "error", validation_status: "Token refresh failed: timeout" } } });
    expect(unwrap(await refreshAccessToken(ctx, { uuid })).refreshed).toBe(true);
    expect(unwrap(await getIntegrationByUuid(ctx, uuid)).status).toBe("connected");
    expect((await auditActions()).slice(-2)).toEqual(["token_refreshed", "auto_recovered"]);
  });
});

describe("canary", () => {
  it("no token issued in these runs appears in a log line, an audit row or a plaintext column", async () => {
    const tokens = [...standin.issuedTokens];
    expect(tokens.length).toBeGreaterThan(5);
    const logText = [logs.text(), ...workerOutput].join("\n");
    expect(logText).toContain("token refresh failed"); // the log was captured
    const audit = JSON.stringify(await auditRows(ctx.orgId));
    expect(audit).toContain("token_refreshed");
    for (const token of tokens) {
      expect(logText.includes(token), "log").toBe(false);
      expect(audit.includes(token), "audit").toBe(false);
      expect(await plaintextColumnsContaining(token)).toEqual([]);
    }
    // The scan does find what is stored in clear.
    expect(await plaintextColumnsContaining("ada@example.com")).toContain("settings.value");
  }, 120_000);
});
