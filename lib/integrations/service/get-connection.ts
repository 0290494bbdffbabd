import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TConnection } from "@/lib/integrations/connection-value";
import { logger } from "@/lib/logger";
import { CONNECTION_SELECT, openRowSecrets, toConnection, UUID_PATTERN } from "./connection-row";
import { parseConnectionRef } from "@/lib/integrations/connection-ref";
import { settingsKey } from "@/lib/integrations/settings-key";
import type { TReadContext, TServiceContext } from "./context";
import { INVALID_REF_MESSAGE } from "./resolve";
import { withFreshToken } from "./fresh-credentials";
import { fail, INVALID_UUID_MESSAGE, NOT_CONFIGURED_MESSAGE, ok, SECRETS_UNREADABLE_MESSAGE, type TResult } from "./result";

/** The connection (never its secrets) by its stable uuid. */
export async function getIntegrationByUuid(ctx: TReadContext, uuid: string): Promise<TResult<TConnection>> {
  if (!UUID_PATTERN.test(uuid)) return fail("invalid_uuid", INVALID_UUID_MESSAGE);
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
  return row ? ok(toConnection(row)) : fail("not_configured", NOT_CONFIGURED_MESSAGE);
}

export type TCredentials = {
  uuid: string;
  provider: string;
  name: string;
  authType: TConnection["authType"];
  status: TConnection["status"];
  /** Setup fields and secrets merged: what a caller needs to talk to the provider. Server-side only. */
  credentials: Record<string, string>;
};

/**
 * Decrypted credentials for a uuid or provider:name. For consumers on the
 * server; never send to a browser. A connection that does not exist (never
 * added, or removed since) is `not_configured`: the consumer's loud failure.
 * Every successful read is audited (`credentials_read`, names only).
 */
export async function getCredentials(ctx: TServiceContext, ref: string): Promise<TResult<TCredentials>> {
  // The consumers' hot path: the reference is parsed here so the row is read once (resolveToUuid would read it twice).
  const parsed = typeof ref === "string" ? parseConnectionRef(ref, { allowUuid: true }) : null;
  if (!parsed) return fail("invalid", INVALID_REF_MESSAGE);
  const where =
    parsed.kind === "uuid" ? { uuid: parsed.uuid, orgId: ctx.orgId } : { orgId: ctx.orgId, key: settingsKey(parsed.provider, parsed.name) };
  const prisma = await db();
  let expiresAt: string | null = null;
  const read = await prisma.$transaction(async (tx) => {
    const row = await tx.setting.findFirst({ where, select: CONNECTION_SELECT });
    if (!row) return fail<TCredentials>("not_configured", NOT_CONFIGURED_MESSAGE);
    const opened = openRowSecrets(row);
    const c = toConnection(row, opened);
    expiresAt = c.expiresAt;
    if (!opened.ok) {
      // The consumer's loud failure, with the reason in the log (never a secret).
      logger.warn("connection secrets unreadable", { uuid: c.uuid, reason: opened.reason });
      return fail<TCredentials>("corrupted_state", SECRETS_UNREADABLE_MESSAGE);
    }
    const credentials = { ...c.setup, ...opened.secrets };
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "credentials_read",
      target: { type: "connection", id: c.uuid },
      metadata: { provider: c.provider, name: c.name },
    });
    return ok({ uuid: c.uuid, provider: c.provider, name: c.name, authType: c.authType, status: c.status, credentials });
  });
  // OAuth: a token about to expire is renewed before it is handed out.
  return read.ok ? withFreshToken(ctx, read.value, expiresAt) : read;
}
