import "server-only";
import { db } from "@/lib/db";
import { parseSettingsKey } from "@/lib/integrations/settings-key";
import type { TReadContext } from "./context";

export type TConnectionChoice = { uuid: string; provider: string; name: string };

/**
 * The org's connections as choices for a picker (a consumer key's allow-list):
 * uuid, provider and name only, read from the key column — never the value or
 * the secret, which a picker has no use for.
 */
export async function listConnectionChoices(ctx: TReadContext): Promise<TConnectionChoice[]> {
  const prisma = await db();
  const rows = await prisma.setting.findMany({
    where: { orgId: ctx.orgId, key: { startsWith: "integration:" } },
    select: { uuid: true, key: true },
    orderBy: { key: "asc" },
  });
  return rows.flatMap((row) => {
    const parsed = parseSettingsKey(row.key);
    return parsed ? [{ uuid: row.uuid, provider: parsed.provider, name: parsed.name }] : [];
  });
}
