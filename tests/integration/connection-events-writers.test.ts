import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopConnectionEvents } from "@/lib/events/service/listener";
import { sealForRow } from "@/lib/integrations/service/connection-row";
import { addConnection, completeAuthorization, refreshAccessToken, renameConnection, type TServiceContext } from "@/lib/integrations/service";
import { addGenericConnection, allowLoopbackOutbound, connect, consentAs, readSecrets, REDIRECT_URI } from "../support/oauth";
import { recordEvents, type TEventRecorder } from "../support/event-recorder";
import { startOidcServer, type TOidcStandin } from "../support/standins/oidc-server";
import { unwrap } from "../support/results";
import { createFirstOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// Which writes announce a status change. The database does it (the
// settings_announce_status trigger), so writers that never published by hand
// (the OAuth callback, a token refresh) announce too. Runs on whatever
// DATABASE_URL says: PGlite without it, PostgreSQL with it.
// "Exactly one": after the write under test, a marker connection is added;
// NOTIFYs arrive in commit order, so once the marker is heard every event of
// the write under test has been heard too.

let testDb: TestDatabase;
let standin: TOidcStandin;
let ctx: TServiceContext;
let events: TEventRecorder;
let uuid: string;
let markers = 0;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  allowLoopbackOutbound();
  standin = await startOidcServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: 600 });
  ctx = await createFirstOrg();
  events = await recordEvents();
  uuid = await addGenericConnection(ctx, standin);
});
afterAll(async () => {
  events?.stop();
  await stopConnectionEvents();
  await standin?.close();
  await testDb?.teardown();
});

/** The statuses announced for `uuid` by `write`, and nothing later. */
async function announcedBy(write: () => Promise<unknown>): Promise<string[]> {
  const before = events.changesOf(uuid).length;
  await write();
  const marker = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name: `marker-${++markers}` })).uuid;
  await events.waitFor(() => events.changesOf(marker).length === 1);
  return events.changesOf(uuid).slice(before);
}

async function setRefreshToken(refreshToken: string): Promise<void> {
  const prisma = await db();
  const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
  await prisma.setting.update({ where: { uuid }, data: sealForRow(row, { ...readSecrets(row), refresh_token: refreshToken }) });
}

describe("status change events from every writer", () => {
  it("adding a connection announces it once, with its first status", async () => {
    let added = "";
    await announcedBy(async () => {
      added = unwrap(await addConnection(ctx, { provider: "generic_oauth2", name: "added" })).uuid;
    });
    expect(events.changesOf(added)).toEqual(["disconnected"]);
  });

  it("the OAuth callback (→ connected) announces exactly one event", async () => {
    const params = await consentAs(ctx, uuid, "ada");
    expect(await announcedBy(async () => unwrap((await completeAuthorization(ctx, { params })).result))).toEqual(["connected"]);
  });

  it("a write that keeps the status (a token refresh, a rename) announces nothing", async () => {
    expect(
      await announcedBy(async () => {
        expect(unwrap(await refreshAccessToken(ctx, { uuid })).refreshed).toBe(true);
        unwrap(await renameConnection(ctx, { uuid, name: "idp-renamed" }));
      }),
    ).toEqual([]);
  });

  it("a failed refresh (→ error) announces exactly one event", async () => {
    await setRefreshToken("revoked-or-unknown");
    expect(
      await announcedBy(async () => {
        const failed = await refreshAccessToken(ctx, { uuid });
        expect(failed.ok ? "ok" : failed.error.code).toBe("reconnect_required");
      }),
    ).toEqual(["error"]);
  });

  it("a reconnect after the failure (→ connected) announces exactly one event", async () => {
    expect(await announcedBy(() => connect(ctx, uuid))).toEqual(["connected"]);
  });

  it("a refresh that succeeds after an error (→ connected, auto-recovery) announces exactly one event", async () => {
    const prisma = await db();
    const row = await prisma.setting.findUniqueOrThrow({ where: { uuid } });
    await prisma.setting.update({ where: { uuid }, data: { value: { ...(row.value as object), status: "error", validation_status: "Token refresh failed: timeout" } } });
    await events.waitFor(() => events.changesOf(uuid).at(-1) === "error"); // that write is announced too, before the one under test
    expect(
      await announcedBy(async () => {
        expect(unwrap(await refreshAccessToken(ctx, { uuid })).refreshed).toBe(true);
      }),
    ).toEqual(["connected"]);
  });
});
