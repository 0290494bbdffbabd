import "server-only";
import { db } from "@/lib/db";
import { runProbe, type TProbeResult } from "@/lib/integrations/probes";
import { getProvider } from "@/lib/integrations/providers/registry";
import { validateSetupInput } from "@/lib/integrations/providers/setup-validation";
import { CONNECTION_SELECT, openRowSecrets, parseValueForUpdate, rejectMalformedUuid } from "./connection-row";
import { changedDestinations, secretRequiredMessage, secretsToRetype, tokensToDrop } from "./destination-guard";
import type { TServiceContext } from "./context";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";
import { TOKEN_FIELDS } from "./runtime-status";
import { takeTestQuota } from "./test-quota";

export type TValidateCredentialsInput = {
  provider: string;
  /** The form as typed. A blank secret means "the stored one" when `uuid` names a saved connection. */
  values: Record<string, string>;
  /** The saved connection whose stored secrets fill the blanks (the form of an existing connection). */
  uuid?: string;
  /** Stored secrets the operator marked for removal: not used. */
  clear?: string[];
};

/**
 * Tests credentials without saving them (the form's Test Connection): the
 * same probe as validateConnection, but no row, no stamp, no audit row, no
 * event. Counted against the test quota first.
 */
export async function validateCredentials(ctx: TServiceContext, input: TValidateCredentialsInput): Promise<TResult<TProbeResult>> {
  const provider = getProvider(input.provider);
  if (!provider || provider.key !== input.provider) return fail("unknown_provider", "There is no provider with that key.");
  if (input.uuid !== undefined) {
    const malformed = rejectMalformedUuid<TProbeResult>(input.uuid);
    if (malformed) return malformed;
  }
  const refused = await takeTestQuota(ctx);
  if (refused) return refused;

  const secretKeys = new Set(provider.setupFields.filter((f) => f.secret).map((f) => f.key));
  let stored: Record<string, string> = {};
  let storedSetup: Record<string, string> = {};
  if (input.uuid !== undefined) {
    const prisma = await db();
    const row = await prisma.setting.findFirst({ where: { uuid: input.uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
    if (!row) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
    const value = parseValueForUpdate(row);
    if (!value) return fail("corrupted_state", CORRUPTED_STATE_MESSAGE);
    if (value.provider !== provider.key) return fail("invalid", "That connection belongs to another provider.");
    // Unreadable stored secrets merge as nothing: the test then runs on what was typed (all of it must be).
    const opened = openRowSecrets(row);
    const cleared = new Set(input.clear ?? []);
    stored = Object.fromEntries(Object.entries(opened.ok ? opened.secrets : {}).filter(([k]) => !cleared.has(k)));
    storedSetup = value.setup;
  }
  // Unchanged stored secrets are merged here, on the server: the browser never had them.
  const typed = Object.fromEntries(Object.entries(input.values).filter(([k, v]) => !(secretKeys.has(k) && v.trim() === "")));
  const storedSecrets = Object.fromEntries(Object.entries(stored).filter(([k]) => secretKeys.has(k)));
  // The same rule as saving: a stored secret never travels to a destination typed in this test.
  const typedSetup = Object.fromEntries(Object.entries(typed).filter(([k]) => !secretKeys.has(k)));
  const changed = changedDestinations(
    provider,
    { setup: storedSetup, secrets: storedSecrets },
    { setup: { ...storedSetup, ...typedSetup }, secrets: { ...storedSecrets, ...typed } },
  );
  const keptFromStorage = new Set(Object.keys(storedSecrets).filter((k) => !(k in typed)));
  const retype = secretsToRetype(provider, changed, keptFromStorage);
  if (Object.keys(retype).length > 0) return fail("secret_required", secretRequiredMessage(provider, Object.keys(retype), changed), retype);
  const checked = validateSetupInput(provider, { ...storedSecrets, ...typed });
  if (!checked.ok) return fail("invalid_setup", "Some fields need attention before the test can run.", checked.errors);
  const dropped = new Set(tokensToDrop(changed));
  const tokens = Object.fromEntries(Object.entries(stored).filter(([k]) => (TOKEN_FIELDS as readonly string[]).includes(k) && !dropped.has(k)));
  return ok(await runProbe(provider, { ...checked.values, ...tokens }));
}
