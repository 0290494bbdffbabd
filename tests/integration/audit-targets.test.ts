import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/service/create-api-key";
import { auditConnectionOptions } from "@/lib/audit/service/connection-history";
import { describeAuditTargets } from "@/lib/audit/service/describe-targets";
import { listAuditLog, ZAuditQuery } from "@/lib/audit/service/list-audit";
import { addConnection, removeConnection, renameConnection, upsertCredentials, removeCredentialsByKey, type TServiceContext } from "@/lib/integrations/service";
import { keyListUpstreamForFile } from "../support/admin-api";
import { installLoopbackGuard } from "../support/loopback-guard";
import { unwrap } from "../support/results";
import { createFirstOrg, createOrg, setupTestDatabase, type TestDatabase } from "../support/test-db";

// The audit page shows targets as provider and name (linked while the
// connection exists) and filters by connection, including the admin API's
// rows about the integration keys the connection has had.

let testDb: TestDatabase;
let ctx: TServiceContext;
let other: TServiceContext;

beforeAll(async () => {
  testDb = await setupTestDatabase();
  ctx = await createFirstOrg();
  other = await createOrg("Other");
});
afterAll(() => testDb.teardown());

// The admin API's PUT runs the provider's probe: the upstream knows the keys set here.
installLoopbackGuard();
const { upstream } = keyListUpstreamForFile();

const put = (c: TServiceContext, provider: string, name: string) =>
  upsertCredentials(c, { provider, name, attrs: { api_key: upstream().accept(`k-${name}`) }, integrationKey: name === "default" ? provider : `${provider}:${name}`, createdById: null });

describe("audit targets", () => {
  it("names a connection by provider and name, linked while it exists, and by its name at the time once removed", async () => {
    const kept = unwrap(await addConnection(ctx, { provider: "openai", name: "kept" })).uuid;
    unwrap(await renameConnection(ctx, { uuid: kept, name: "kept-2" }));
    const gone = unwrap(await addConnection(ctx, { provider: "stripe", name: "gone" })).uuid;
    unwrap(await removeConnection(ctx, { uuid: gone }));
    unwrap(await put(ctx, "anthropic", "default"));
    const key = unwrap(await createApiKey(ctx, { name: "ci", scope: "admin", expiresIn: "never", allowedConnections: [] }));

    const { rows } = await listAuditLog(ctx.orgId, ZAuditQuery.parse({}));
    const views = await describeAuditTargets(ctx.orgId, rows);
    const viewOf = (action: string, targetId?: string) => views.get(rows.find((r) => r.action === action && (!targetId || r.targetId === targetId))!.id);
    expect(viewOf("connection_renamed")).toEqual({ kind: "connection", providerName: "OpenAI", name: "kept-2", href: `/admin/settings/integrations/${kept}`, id: kept });
    expect(viewOf("connection_removed")).toEqual({ kind: "connection", providerName: "Stripe", name: "gone", href: null, id: gone });
    const anthropic = unwrap(await put(ctx, "anthropic", "default")).uuid;
    expect(viewOf("set_integration_credentials")).toEqual({ kind: "connection", providerName: "Anthropic", name: "default", href: `/admin/settings/integrations/${anthropic}`, id: "anthropic" });
    expect(viewOf("api_key_created")).toEqual({ kind: "api_key", label: `ci (${key.prefix}…)`, id: key.id });
    expect(viewOf("org_created")).toEqual({ kind: "other", text: `organization:${ctx.orgId}` });

    const options = await auditConnectionOptions(ctx.orgId);
    expect(options).toEqual(
      expect.arrayContaining([
        { uuid: kept, provider: "openai", name: "kept-2", removed: false },
        { uuid: anthropic, provider: "anthropic", name: "default", removed: false },
        { uuid: gone, provider: "stripe", name: "gone", removed: true },
      ]),
    );
    expect(await auditConnectionOptions(other.orgId)).toEqual([]);
  });

  it("filters one connection's history, the admin API's rows under its names included", async () => {
    const uuid = unwrap(await put(ctx, "mistral", "first")).uuid;
    unwrap(await renameConnection(ctx, { uuid, name: "second" }));
    unwrap(await put(ctx, "mistral", "second"));
    unwrap(await removeCredentialsByKey(ctx, { provider: "mistral", name: "second", integrationKey: "mistral:second" }));
    unwrap(await put(ctx, "mistral", "unrelated"));
    const { rows } = await listAuditLog(ctx.orgId, ZAuditQuery.parse({ target: uuid }));
    expect(rows.map((r) => [r.action, r.targetId])).toEqual([
      ["remove_integration_credentials", "mistral:second"],
      ["set_integration_credentials", "mistral:second"],
      ["connection_renamed", uuid],
      ["set_integration_credentials", "mistral:first"],
    ]);
    // Another org's connection id filters nothing in this org.
    const theirs = unwrap(await put(other, "mistral", "first")).uuid;
    expect((await listAuditLog(ctx.orgId, ZAuditQuery.parse({ target: theirs }))).rows).toEqual([]);
  });
});
