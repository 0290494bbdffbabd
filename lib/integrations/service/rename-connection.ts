import "server-only";
import { forgetConnection } from "@/lib/cache/caches";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { checkConnectionName } from "@/lib/integrations/connection-name";
import type { TConnection } from "@/lib/integrations/connection-value";
import { settingsKey } from "@/lib/integrations/settings-key";
import { CONNECTION_SELECT, lockConnection, parseValueForUpdate, rejectMalformedUuid, toConnection } from "./connection-row";
import type { TServiceContext } from "./context";
import { CORRUPTED_STATE_MESSAGE, fail, NOT_CONFIGURED_MESSAGE, ok, type TResult } from "./result";

/** Renames in place: the uuid (and every consumer pinned to it) is unchanged. */
export async function renameConnection(
  ctx: TServiceContext,
  input: { uuid: string; name: string },
): Promise<TResult<TConnection>> {
  const nameError = checkConnectionName(input.name);
  const name = nameError ? "" : input.name.trim();
  if (nameError === "empty_name") return fail("empty_name", "Enter a name for the connection.");
  if (nameError) return fail("invalid_name", "Use letters, digits, - and _ only, starting with a letter or digit (max 64).");
  const malformed = rejectMalformedUuid<TConnection>(input.uuid);
  if (malformed) return malformed;
  const prisma = await db();
  try {
    const result = await prisma.$transaction(async (tx) => {
      const row = await lockConnection(tx, ctx.orgId, input.uuid);
      if (!row) return fail<TConnection>("not_configured", NOT_CONFIGURED_MESSAGE);
      const current = parseValueForUpdate(row);
      if (!current) return fail<TConnection>("corrupted_state", CORRUPTED_STATE_MESSAGE);
      if (current.name === name) return ok(toConnection(row));
      const updated = await tx.setting.update({
        where: { uuid: row.uuid, orgId: ctx.orgId },
        data: { key: settingsKey(current.provider, name), value: { ...current, name } },
        select: CONNECTION_SELECT,
      });
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actor: ctx.actor,
        action: "connection_renamed",
        target: { type: "connection", id: row.uuid },
        metadata: { provider: current.provider, from: current.name, to: name },
      });
      return ok(toConnection(updated));
    });
    // After the commit, before the caller hears back: this process never serves the old value again.
    forgetConnection(input.uuid);
    return result;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return fail("already_exists", `Another connection of this provider is already named "${name}".`);
    }
    throw err;
  }
}
