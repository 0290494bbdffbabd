import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getIntegrationByUuid, refreshAccessToken, renameConnection, type TServiceContext } from "@/lib/integrations/service";
import { storedSecrets } from "../support/oauth";
import { oauthFixture } from "../support/oauth-fixture";
import type { TOidcStandin } from "../support/standins/oidc-server";
import { unwrap } from "../support/results";

// The cross-process refresh lease (lib/integrations/service/refresh-lease.ts):
// a lease row per connection, not a row lock held across the provider call.
// The 200-callers-over-2-processes count lives in oauth-refresh.test.ts.

let standin: TOidcStandin;
let ctx: TServiceContext;
let uuid: string;

const oauth = oauthFixture({ captureLogs: true, oidc: { accessTokenTtlSeconds: 60 } });
beforeAll(() => ({ standin, ctx, uuid } = oauth));
beforeEach(() => standin.setTokenDelay(0));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function leaseRows(): Promise<{ holder: string }[]> {
  const prisma = await db();
  return prisma.$queryRaw<{ holder: string }[]>`SELECT holder FROM oauth_refresh_leases WHERE uuid = ${uuid}::uuid`;
}

describe("refresh lease", () => {
  it("a crashed holder's lease blocks the token call only until it expires; then exactly one call, the lease released", async () => {
    const prisma = await db();
    // What a holder that died mid-refresh leaves behind: its lease, expiring on its own.
    await prisma.$executeRaw`INSERT INTO oauth_refresh_leases (uuid, holder, expires_at) VALUES (${uuid}::uuid, 'crashed-worker', now() + interval '1500 milliseconds')`;
    const stale = (await storedSecrets(uuid)).access_token!;
    const pending = refreshAccessToken(ctx, { uuid, staleAccessToken: stale });
    await sleep(700);
    expect(standin.counters.refreshes).toBe(0);
    const fresh = unwrap(await pending);
    expect(fresh.refreshed).toBe(true);
    expect(standin.counters).toMatchObject({ refreshes: 1, refreshErrors: [] });
    expect((await storedSecrets(uuid)).refresh_token).toBe(standin.latestRefreshToken());
    expect(await leaseRows()).toEqual([]);
  });

  it("no row lock during the token call: a rename goes through meanwhile and survives the refresh's write", async () => {
    standin.setTokenDelay(1500);
    const order: string[] = [];
    const refresh = refreshAccessToken(ctx, { uuid }).then((r) => (order.push("refresh"), r));
    await sleep(300); // the token call is under way
    expect((await leaseRows()).length).toBe(1);
    const rename = renameConnection(ctx, { uuid, name: "renamed-during-refresh" }).then((r) => (order.push("rename"), r));
    unwrap(await rename);
    expect(unwrap(await refresh).refreshed).toBe(true);
    expect(order).toEqual(["rename", "refresh"]);
    const after = unwrap(await getIntegrationByUuid(ctx, uuid));
    expect(after.name).toBe("renamed-during-refresh");
    expect(after.status).toBe("connected");
    expect((await storedSecrets(uuid)).refresh_token).toBe(standin.latestRefreshToken());
    expect(await leaseRows()).toEqual([]);
  });

  it("callers waiting on another holder's slow refresh get its token: one token call", async () => {
    standin.setTokenDelay(1000);
    const stale = (await storedSecrets(uuid)).access_token!;
    // An explicit refresh holds the lease; the automatic callers (stale token) wait and re-read.
    const holder = refreshAccessToken(ctx, { uuid });
    await sleep(200);
    const waiters = await Promise.all(Array.from({ length: 5 }, () => refreshAccessToken(ctx, { uuid, staleAccessToken: stale })));
    const held = unwrap(await holder);
    for (const w of waiters) expect(unwrap(w)).toMatchObject({ accessToken: held.accessToken, refreshed: false });
    expect(standin.counters.refreshes).toBe(1);
  });
});
