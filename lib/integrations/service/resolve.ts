import "server-only";
import { db } from "@/lib/db";
import { parseConnectionRef } from "@/lib/integrations/connection-ref";
import { settingsKey } from "@/lib/integrations/settings-key";
import type { TReadContext } from "./context";
import { fail, ok, type TResult } from "./result";

export const INVALID_REF_MESSAGE = "Use a connection uuid, provider:name or a provider key.";

/** "provider:name", bare "provider" (= provider:default) or a [provider, name] pair → the row's uuid. */
export async function findUuidByProviderName(ctx: TReadContext, input: unknown): Promise<TResult<string>> {
  const ref = parseConnectionRef(input, { allowUuid: false });
  if (!ref || ref.kind !== "provider_name") return fail("invalid", INVALID_REF_MESSAGE);
  const prisma = await db();
  const row = await prisma.setting.findUnique({
    where: { orgId_key: { orgId: ctx.orgId, key: settingsKey(ref.provider, ref.name) } },
    select: { uuid: true },
  });
  return row ? ok(row.uuid) : fail("not_found", `No connection ${ref.provider}:${ref.name}.`);
}

/** The dual-input lookup: a uuid (checked to exist in this org) or anything findUuidByProviderName takes. */
export async function resolveToUuid(ctx: TReadContext, input: unknown): Promise<TResult<string>> {
  if (typeof input !== "string") return fail("invalid", INVALID_REF_MESSAGE);
  const ref = parseConnectionRef(input, { allowUuid: true });
  if (!ref) return fail("invalid", INVALID_REF_MESSAGE);
  if (ref.kind === "provider_name") return findUuidByProviderName(ctx, [ref.provider, ref.name]);
  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: ref.uuid, orgId: ctx.orgId }, select: { uuid: true } });
  return row ? ok(row.uuid) : fail("not_found", "No connection with that uuid.");
}
