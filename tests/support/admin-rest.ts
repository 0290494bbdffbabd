import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { db } from "@/lib/db";
import type { TServiceContext } from "@/lib/integrations/service";
import { apiClient, columnsContaining, keyListUpstreamForFile, newKey, type TCall } from "./admin-api";
import { installLoopbackGuard } from "./loopback-guard";
import { startRouteServer, type TRouteServer } from "./route-server";
import type { TKeyListUpstream } from "./standins/key-list-upstream";
import { createProbeRole, type TProbeRole } from "./standins/postgres";
import { captureConsole, createFirstOrg, createOrg, setEnv, setupTestDatabase, type ConsoleCapture, type TestDatabase } from "./test-db";

// The file setup of the admin integration API's REST and Power Automate tests
// (tests/integration/admin-api-rest-*.test.ts): the route handlers on a local
// port over a real database, org A with an admin and a user key, org B with an
// admin key, and every credential value the file sends remembered for its
// canary test (expectNothingLeaked).

export type TAdminRestOptions = {
  /** A login role on the local PostgreSQL server, opened in the outbound allow-list, for PUTs of postgresql credentials whose probe must pass. */
  postgresRole?: boolean;
};

export type TAdminRest = {
  server: TRouteServer;
  api: ReturnType<typeof apiClient>;
  logs: ConsoleCapture;
  orgA: TServiceContext;
  orgB: TServiceContext;
  adminA: string;
  userA: string;
  adminB: string;
  /** Only with `postgresRole`. */
  pgRole: TProbeRole;
  upstream(): TKeyListUpstream;
  /** Every credential value this file sends: none may come back anywhere. */
  sent: string[];
  /** A canary credential the provider (the key-list upstream) accepts. */
  secret(label: string): string;
  /** A canary credential the provider does not know: its probe fails. */
  refusedSecret(label: string): string;
  put(key: string | undefined, integration: string, body: unknown): Promise<TCall>;
  del(key: string | undefined, integration: string): Promise<TCall>;
  list(key: string | undefined): Promise<TCall>;
  pa(key: string | undefined, tool: string, body?: unknown): Promise<TCall>;
  settingsOf(orgId: string): ReturnType<typeof settingsOf>;
};

async function settingsOf(orgId: string) {
  const prisma = await db();
  return prisma.setting.findMany({ where: { orgId }, orderBy: { key: "asc" } });
}

/** Registers the file's beforeAll/afterAll; the returned fields are set once beforeAll has run. */
export function adminRestFixture(opts: TAdminRestOptions = {}): TAdminRest {
  let testDb: TestDatabase;
  installLoopbackGuard();
  const { upstream } = keyListUpstreamForFile();
  const sent: string[] = [];
  const refusedSecret = (label: string) => {
    const value = `canary-${label}-${randomBytes(8).toString("hex")}`;
    sent.push(value);
    return value;
  };
  const rest: TAdminRest = {
    upstream,
    sent,
    refusedSecret,
    secret: (label) => upstream().accept(refusedSecret(label)),
    put: (key, integration, body) => rest.api.call("PUT", `/api/admin/integrations/${integration}/credentials`, { key, body }),
    del: (key, integration) => rest.api.call("DELETE", `/api/admin/integrations/${integration}/credentials`, { key }),
    list: (key) => rest.api.call("GET", "/api/admin/integrations", { key }),
    pa: (key, tool, body) => rest.api.call("POST", `/api/powerautomate/${tool}`, { key, body }),
    settingsOf,
  } as TAdminRest;

  beforeAll(async () => {
    testDb = await setupTestDatabase();
    rest.server = await startRouteServer();
    rest.api = apiClient(rest.server.url);
    rest.logs = captureConsole();
    rest.orgA = await createFirstOrg();
    rest.orgB = await createOrg("Org B");
    rest.adminA = (await newKey(rest.orgA, "admin")).key;
    rest.userA = (await newKey(rest.orgA, "user")).key;
    rest.adminB = (await newKey(rest.orgB, "admin")).key;
    if (opts.postgresRole) {
      rest.pgRole = await createProbeRole();
      setEnv("SWITCHBOARD_OUTBOUND_ALLOW", `127.0.0.1:${upstream().port},127.0.0.1:${rest.pgRole.port}`);
    }
  });
  afterAll(async () => {
    rest.logs?.restore();
    await rest.pgRole?.drop();
    await rest.server?.close();
    await testDb?.teardown();
  });
  return rest;
}

/**
 * The canary check each file ends with: no credential value the file sent
 * comes back in a response, a log line, an audit or metering row, or a
 * plaintext column, and neither do the API keys. So that it cannot pass
 * vacuously: the file sent more than `sentMoreThan` values and, unless
 * `meteredValue` is false (a file whose every PUT is refused before metering
 * reads the body), metering stored one as <redacted>.
 */
export async function expectNothingLeaked(rest: TAdminRest, opts: { sentMoreThan: number; meteredValue?: boolean }): Promise<void> {
  const { sent, api, logs, adminA, userA, adminB } = rest;
  expect(sent.length).toBeGreaterThan(opts.sentMoreThan);
  const answers = api.answers.join("\n");
  const logText = logs.text();
  expect(logText).toContain('"message":"api call"'); // the log was captured
  const prisma = await db();
  const audit = JSON.stringify(await prisma.auditLog.findMany());
  const metering = JSON.stringify(await prisma.apiCall.findMany());
  if (opts.meteredValue !== false) expect(metering).toContain('"value":"<redacted>"');
  for (const value of sent) {
    expect(answers).not.toContain(value);
    expect(logText).not.toContain(value);
    expect(audit).not.toContain(value);
    expect(metering).not.toContain(value);
  }
  for (const value of sent.slice(0, 3).concat(sent.slice(-3))) expect(await columnsContaining(value)).toEqual([]);
  // The keys themselves are never stored or logged either.
  for (const key of [adminA, userA, adminB]) {
    expect(logText).not.toContain(key);
    expect(await columnsContaining(key)).toEqual([]);
  }
}
