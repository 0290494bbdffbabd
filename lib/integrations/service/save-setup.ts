import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TConnection, TConnectionValue } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import { CONNECTION_SELECT, lockConnection, openRowSecrets, parseValueForUpdate, rejectMalformedUuid, sealForRow, toConnection } from "./connection-row";
import type { TServiceContext } from "./context";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";
import { changedDestinations, secretRequiredMessage, secretsToRetype, tokensToDrop } from "./destination-guard";
import { statusAfterSave } from "./runtime-status";

/** What a connection forgets with its access token (as disconnect does). */
const DROPPED_CONNECTION = {
  connected_at: null,
  expires_at: null,
  scopes: [],
  external_account_id: null,
  external_account_name: null,
  external_account_email: null,
} satisfies Partial<TConnectionValue>;

export type TSaveSetupInput = {
  uuid: string;
  /** Setup field values. A blank or missing secret keeps the stored one (write-only "Replace"). */
  attrs: Record<string, string>;
  /** Secret fields whose stored value is deleted (an optional password, a connection string). */
  clear?: string[];
};

/** Merges setup fields into the connection, re-encrypting secrets and keeping obtained tokens. */
export async function saveSetup(ctx: TServiceContext, input: TSaveSetupInput): Promise<TResult<TConnection>> {
  const malformed = rejectMalformedUuid<TConnection>(input.uuid);
  if (malformed) return malformed;
  // Callers beyond the typed ones (API, MCP) may send anything: refuse shapes, not just values.
  const attrsOk = input.attrs !== null && typeof input.attrs === "object" && !Array.isArray(input.attrs);
  if (!attrsOk || (input.clear !== undefined && !Array.isArray(input.clear))) {
    return fail("invalid_setup", "Setup fields must be an object of field names to text, and `clear` a list of field names.");
  }
  const prisma = await db();
  const result = await prisma.$transaction(async (tx) => {
    const row = await lockConnection(tx, ctx.orgId, input.uuid);
    if (!row) return fail<TConnection>("not_configured", NOT_CONFIGURED_MESSAGE);
    const value = parseValueForUpdate(row);
    if (!value) return fail<TConnection>("corrupted_state", CORRUPTED_STATE_MESSAGE);
    const provider = getProvider(value.provider);
    if (!provider) return fail<TConnection>("unknown_provider", "This connection's provider is no longer available.");

    const secretKeys = new Set(provider.setupFields.filter((f) => f.secret).map((f) => f.key));
    const cleared = new Set((input.clear ?? []).filter((k) => secretKeys.has(k)));
    const typed = Object.fromEntries(
      Object.entries(input.attrs).filter(([k, v]) => typeof v === "string" && !(secretKeys.has(k) && v.trim() === "")),
    );
    // Unreadable secrets (tampered, foreign, missing) are never decrypted: the
    // save must replace every one of them, or remove it, and tokens are gone.
    const opened = openRowSecrets(row);
    if (!opened.ok) {
      const missing = value.secrets_set.filter((k) => !Object.hasOwn(typed, k) && !cleared.has(k));
      if (missing.length > 0) {
        const fields = Object.fromEntries(missing.map((k) => [k, "The stored value cannot be read: type it again."]));
        return fail<TConnection>("corrupted_state", SECRETS_UNREADABLE_MESSAGE, fields);
      }
    }
    const stored = opened.ok ? opened.secrets : {};
    const keptSecrets = Object.fromEntries(Object.entries(stored).filter(([k]) => secretKeys.has(k) && !cleared.has(k)));
    // Merge: a field left out keeps its stored value; a submitted one (even "" for a non-secret) replaces it.
    const checked = validateSetupInput(provider, { ...value.setup, ...keptSecrets, ...typed });
    if (!checked.ok) return fail<TConnection>("invalid_setup", "Some fields need attention.", checked.errors);

    const setup: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const [k, v] of Object.entries(checked.values)) (secretKeys.has(k) ? secrets : setup)[k] = v;
    // Tokens obtained from the provider survive a setup save…
    for (const [k, v] of Object.entries(stored)) if (!secretKeys.has(k)) secrets[k] = v;

    // …unless a field that decides where secrets go changed: then the typed
    // ones must be typed again and the obtained ones are dropped.
    const moved = changedDestinations(provider, { setup: value.setup, secrets: stored }, { setup, secrets });
    const keptFromStorage = new Set(Object.keys(keptSecrets).filter((k) => !Object.hasOwn(typed, k)));
    const retype = secretsToRetype(provider, moved, keptFromStorage);
    if (Object.keys(retype).length > 0) {
      return fail<TConnection>("secret_required", secretRequiredMessage(provider, Object.keys(retype), moved), retype);
    }
    const dropped = tokensToDrop(moved).filter((k) => Object.hasOwn(secrets, k));
    for (const k of dropped) delete secrets[k];

    const changed = provider.setupFields
      .filter((f) => (f.secret ? (secrets[f.key] ?? "") !== (stored[f.key] ?? "") : (setup[f.key] ?? "") !== (value.setup[f.key] ?? "")))
      .map((f) => f.key);
    const next: TConnectionValue = {
      ...value,
      ...(dropped.includes("access_token") || (!opened.ok && provider.authType === "oauth2") ? DROPPED_CONNECTION : {}),
      setup,
      secrets_set: Object.keys(secrets).filter((k) => secretKeys.has(k)).sort(),
      status: statusAfterSave(provider, value, setup, secrets, changed.length > 0),
      ...(changed.length > 0 ? { validation_status: null } : {}),
    };
    const updated = await tx.setting.update({
      where: { uuid: row.uuid, orgId: ctx.orgId },
      data: { value: next, ...sealForRow(row, secrets) },
      select: CONNECTION_SELECT,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "setup_saved",
      target: { type: "connection", id: row.uuid },
      // The provider's field names that changed, never values.
      metadata: {
        provider: provider.key,
        name: value.name,
        fields: changed.sort().join(","),
        ...(dropped.length > 0 ? { tokensDropped: dropped.sort().join(",") } : {}),
        ...(opened.ok ? {} : { replacedUnreadable: true }),
      },
    });
    return ok(toConnection(updated, { ok: true, secrets }));
  });
  // After the commit, before the caller hears back: this process never serves the old value again.
  forgetConnection(input.uuid);
  return result;
}
