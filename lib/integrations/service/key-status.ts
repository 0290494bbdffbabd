import "server-only";
import { db } from "@/lib/db";
import { keyRing } from "@/lib/integrations/crypto/key-ring";
import type { TReadContext } from "./context";

export type TKeyStatus = {
  source: "env" | "generated";
  currentVersion: number;
  versions: number[];
  /** Secrets not yet on the current key (counted platform-wide or for one organization, see `scope`). */
  staleSecrets: number;
  scope: "platform" | "organization";
};

/**
 * How many secrets are still under an older key (or none). The key ring is
 * platform-wide, so its owner sees every organization's count; an
 * organization's admin sees their own.
 */
export async function countStaleSecrets(scope: TReadContext | "platform"): Promise<number> {
  const prisma = await db();
  const target = keyRing().current.version;
  const org = scope === "platform" ? {} : { orgId: scope.orgId };
  // keyVersion NULL beside a blob counts too: such a row is not on the current key.
  return prisma.setting.count({ where: { ...org, secret: { not: null }, OR: [{ keyVersion: { not: target } }, { keyVersion: null }] } });
}

export async function keyStatus(scope: TReadContext | "platform"): Promise<TKeyStatus> {
  const ring = keyRing();
  return {
    source: ring.source,
    currentVersion: ring.current.version,
    versions: [...ring.byVersion.keys()].sort((a, b) => a - b),
    staleSecrets: await countStaleSecrets(scope),
    scope: scope === "platform" ? "platform" : "organization",
  };
}
