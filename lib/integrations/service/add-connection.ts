import "server-only";
import { v7 as uuidv7 } from "uuid";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { env } from "@/lib/env";
import { checkConnectionName } from "@/lib/integrations/connection-name";
import type { TConnection, TConnectionValue } from "@/lib/integrations/connection-value";
import { getProvider } from "@/lib/integrations/providers/registry";
import type { Provider } from "@/lib/integrations/providers/types";
import { providerKeyPrefix, settingsKey } from "@/lib/integrations/settings-key";
import { CONNECTION_SELECT, toConnection } from "./connection-row";
import type { TServiceContext } from "./context";
import { fail, ok, type TResult } from "./result";

export type TAddConnectionInput = { provider: string; name: string };

/** Row birth: the only operation that creates a storage key. */
export async function addConnection(ctx: TServiceContext, input: TAddConnectionInput): Promise<TResult<TConnection>> {
  const nameError = checkConnectionName(input.name);
  const name = nameError ? "" : input.name.trim();
  if (nameError === "empty_name") return fail("empty_name", "Enter a name for the connection.");
  if (nameError) return fail("invalid_name", "Use letters, digits, - and _ only, starting with a letter or digit (max 64).");
  const provider = typeof input.provider === "string" ? getProvider(input.provider) : undefined;
  if (!provider || provider.key !== input.provider) return fail("unknown_provider", "There is no provider with that key.");
  if (!provider.enabled) return fail("provider_disabled", `${provider.name} is disabled on this platform.`);

  const key = settingsKey(provider.key, name);
  const limit = env().SWITCHBOARD_MAX_CONNECTIONS_PER_PROVIDER;
  const value: TConnectionValue = {
    provider: provider.key,
    name,
    auth_type: provider.authType,
    status: "disconnected",
    setup: {},
    secrets_set: [],
  };
  const exists = () => fail<TConnection>("already_exists", `A ${provider.name} connection named "${name}" already exists.`);
  try {
    return await insertConnection(ctx, { provider, name, key, value, limit, exists });
  } catch (err) {
    // A rename to this name can commit between the check and the insert: the unique key still decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return exists();
    throw err;
  }
}

async function insertConnection(
  ctx: TServiceContext,
  opts: { provider: Provider; name: string; key: string; value: TConnectionValue; limit: number; exists: () => TResult<TConnection> },
): Promise<TResult<TConnection>> {
  const { provider, name, key, value, limit } = opts;
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    // Serialize additions per (org, provider) so the limit and the name check hold under concurrency.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ctx.orgId}), hashtext(${provider.key}))`;
    if (await tx.setting.findUnique({ where: { orgId_key: { orgId: ctx.orgId, key } }, select: { uuid: true } })) {
      return opts.exists();
    }
    const count = await tx.setting.count({ where: { orgId: ctx.orgId, key: { startsWith: providerKeyPrefix(provider.key) } } });
    if (count >= limit) {
      return fail<TConnection>("limit_reached", `This organization already has ${limit} ${provider.name} connections, the maximum.`);
    }
    const row = await tx.setting.create({
      data: {
        uuid: uuidv7(),
        orgId: ctx.orgId,
        key,
        value,
        createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
      },
      select: CONNECTION_SELECT,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "connection_added",
      target: { type: "connection", id: row.uuid },
      metadata: { provider: provider.key, name },
    });
    return ok(toConnection(row));
  });
}
