import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { v7 as uuidv7 } from "uuid";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { env } from "@/lib/env";
import { checkConnectionName } from "@/lib/integrations/connection-name";
import type { TConnectionValue } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import type { Provider } from "@/lib/integrations/providers/types";
import { providerKeyPrefix, settingsKey } from "@/lib/integrations/settings-key";
import { CONNECTION_SELECT, openRowSecrets, parseValueForUpdate, sealForRow, type TConnectionRow } from "./connection-row";
import { DROPPED_CONNECTION, mergeSetup, replaceAllInput } from "./merge-setup";
import type { TServiceContext } from "./context";
import { fail, ok, type TResult } from "./result";
import { lockIntegrationKey } from "./integration-key-lock";
import { hasRuntimeCredentials } from "./runtime-status";
import { validateCredentials } from "./validate-credentials";

export type TUpsertCredentialsInput = {
  provider: string;
  name: string;
  /** The complete setup (PUT replaces it): secret and non-secret fields by key. */
  attrs: Record<string, string>;
  /** Audit target id: the integration key as the admin API names it. */
  integrationKey: string;
  /** Who "configured" a new row (the key's creator for API calls). */
  createdById: string | null;
};

export type TUpsertCredentialsResult = { uuid: string; wasUpdate: boolean; createdAt: string; updatedAt: string };

type TUpsertRow = { uuid: string; inserted: boolean; created_at: Date; updated_at: Date };

// The key lock keeps other admin API calls out, but the UI removes and adds
// connections by uuid without it: when one of those changes the row's uuid
// between our read and the statement, the statement touches nothing and we
// read again.
const ATTEMPTS = 5;

// Probe verdicts that say nothing about the credential: a provider without a
// probe, and OAuth client credentials, which only prove themselves at Connect.
const UNTESTABLE = new Set(["no_probe", "not_connected"]);

/**
 * The provider's Test Connection probe on the new values, before anything is
 * written (counted against the connection-test quota like any test). A
 * refusal, or a destination that does not answer, is `invalid_credentials`
 * with the probe's message, which never contains a secret.
 */
async function probeBeforeWrite(ctx: TServiceContext, provider: Provider, values: Record<string, string>): Promise<TResult<null>> {
  const tested = await validateCredentials(ctx, { provider: provider.key, values });
  if (!tested.ok) return tested;
  const probe = tested.value;
  return probe.ok || UNTESTABLE.has(probe.code) ? ok(null) : fail("invalid_credentials", probe.message);
}

/**
 * Sets or rotates a connection's credentials by provider and name: validate,
 * run the provider's probe, then ONE statement (INSERT … ON CONFLICT … DO
 * UPDATE … RETURNING (xmax = 0)) decides activation vs rotation, so
 * concurrent callers cannot both "activate". Audited in the same transaction
 * as `set_integration_credentials` {wasUpdate}, under the integration key's
 * lock, so PUTs and DELETEs of one key are audited in the order they took effect.
 */
export async function upsertCredentials(ctx: TServiceContext, input: TUpsertCredentialsInput): Promise<TResult<TUpsertCredentialsResult>> {
  const provider = getProvider(input.provider);
  if (!provider || provider.key !== input.provider) return fail("unknown_provider", "There is no provider with that key.");
  if (!provider.enabled) return fail("provider_disabled", `${provider.name} is disabled on this platform.`);
  if (checkConnectionName(input.name)) return fail("invalid_name", "Use letters, digits, - and _ only, starting with a letter or digit (max 64).");
  const checked = validateSetupInput(provider, input.attrs);
  if (!checked.ok) return fail("invalid_setup", "Some fields need attention.", checked.errors);

  // Before any write: a rejected credential leaves the stored row as it was.
  const verdict = await probeBeforeWrite(ctx, provider, checked.values);
  if (!verdict.ok) return verdict;

  const secretKeys = new Set(provider.setupFields.filter((f) => f.secret).map((f) => f.key));
  const setup: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(checked.values)) (secretKeys.has(k) ? secrets : setup)[k] = v;
  // The state of a new row (or one whose stored state cannot be read: a PUT names every field).
  const fresh: TConnectionValue = {
    provider: provider.key,
    name: input.name,
    auth_type: provider.authType,
    status: hasRuntimeCredentials(provider, setup, secrets) ? "configured" : "disconnected",
    validation_status: null,
    last_validated_at: null,
    ...DROPPED_CONNECTION,
    setup,
    secrets_set: Object.keys(secrets).sort(),
  };
  const key = settingsKey(provider.key, input.name);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await upsertOnce(ctx, { provider, key, fresh: { value: fresh, secrets }, attrs: checked.values, input });
    if (outcome !== "retry") return outcome;
  }
  throw new Error("upsertCredentials: the connection kept changing under concurrent removal; try again");
}

async function upsertOnce(
  ctx: TServiceContext,
  args: {
    provider: Provider;
    key: string;
    fresh: { value: TConnectionValue; secrets: Record<string, string> };
    attrs: Record<string, string>;
    input: TUpsertCredentialsInput;
  },
): Promise<TResult<TUpsertCredentialsResult> | "retry"> {
  const { provider, key, input } = args;
  const prisma = await db();
  const limit = env().SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER;
  const prefix = providerKeyPrefix(provider.key);
  const result = await prisma.$transaction(async (tx) => {
    await lockIntegrationKey(tx, ctx.orgId, key);
    // Locked as saveSetup locks it: a UI save of this row waits for us, and we merge over what it wrote.
    await tx.$executeRaw`SELECT 1 FROM settings WHERE org_id = ${ctx.orgId}::uuid AND key = ${key} FOR UPDATE`;
    const existing = await tx.setting.findUnique({ where: { orgId_key: { orgId: ctx.orgId, key } }, select: CONNECTION_SELECT });
    const planned = planWrite(provider, existing, args);
    if (!planned.ok) return planned;
    const { value, secrets } = planned.value;
    // The ciphertext is bound to the row's uuid, so it is sealed for the uuid the row has (or will get).
    const uuid = existing?.uuid ?? uuidv7();
    const sealed = sealForRow({ uuid, orgId: ctx.orgId }, secrets);
    // A new row counts against the per-provider limit: additions of one provider queue as addConnection's do.
    if (!existing) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ctx.orgId}), hashtext(${provider.key}))`;
    // The one statement that decides activation (inserted) vs rotation: xmax = 0 only for a fresh tuple.
    const rows = await tx.$queryRaw<TUpsertRow[]>`
      INSERT INTO settings (uuid, org_id, key, value, secret, key_version, created_by_id, created_at, updated_at)
      SELECT ${uuid}::uuid, ${ctx.orgId}::uuid, ${key}, ${JSON.stringify(value)}::jsonb, ${sealed.secret}::bytea, ${sealed.keyVersion}::int,
             ${input.createdById}::uuid, now(), now()
      WHERE EXISTS (SELECT 1 FROM settings WHERE org_id = ${ctx.orgId}::uuid AND key = ${key})
         OR (SELECT count(*) FROM settings WHERE org_id = ${ctx.orgId}::uuid AND left(key, length(${prefix})) = ${prefix}) < ${limit}
      ON CONFLICT (org_id, key) DO UPDATE
        SET value = EXCLUDED.value, secret = EXCLUDED.secret, key_version = EXCLUDED.key_version, updated_at = now()
        WHERE settings.uuid = EXCLUDED.uuid
      RETURNING uuid, (xmax = 0) AS inserted, created_at, updated_at`;
    const row = rows[0];
    if (!row) {
      const now = await tx.setting.findUnique({ where: { orgId_key: { orgId: ctx.orgId, key } }, select: { uuid: true } });
      if (now) return "retry" as const;
      return fail<TUpsertCredentialsResult>("limit_reached", `This organization already has ${limit} ${provider.name} connections, the maximum.`);
    }
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "set_integration_credentials",
      target: { type: "integration", id: input.integrationKey },
      metadata: { wasUpdate: !row.inserted },
    });
    return ok({ uuid: row.uuid, wasUpdate: !row.inserted, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() });
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  if (result !== "retry" && result.ok) forgetConnection(result.value.uuid);
  return result;
}

type TPlannedWrite = { value: TConnectionValue; secrets: Record<string, string> };

/**
 * What the row becomes. Over a readable stored state, the PUT is saveSetup's
 * merge with every field named (mergeSetup): obtained tokens and the account
 * survive unless a destination field changed. (The settings trigger announces
 * a status change on the live-status channel, as for every writer.)
 */
function planWrite(
  provider: Provider,
  existing: TConnectionRow | null,
  args: { fresh: { value: TConnectionValue; secrets: Record<string, string> }; attrs: Record<string, string> },
): TResult<TPlannedWrite> {
  const stored = existing ? parseValueForUpdate(existing) : null;
  if (!existing || !stored) return ok(args.fresh);
  const merged = mergeSetup(provider, stored, openRowSecrets(existing), replaceAllInput(provider, args.attrs));
  if (!merged.ok) return merged;
  return ok({ value: merged.value.next, secrets: merged.value.secrets });
}
