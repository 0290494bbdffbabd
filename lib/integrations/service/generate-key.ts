import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { addGeneratedKey, keyRing } from "@/lib/integrations/crypto/key-ring";
import type { TServiceContext } from "./context";
import { fail, ok, type TResult } from "./result";

/**
 * Embedded default only (a key ring generated into the data directory): adds
 * a new newest key. It re-encrypts nothing — that is `rotateEncryptionKeys`,
 * a separate step — so a failed re-encryption never adds keys. With
 * SWITCHBOARD_ENCRYPTION_KEYS the operator adds keys to the environment.
 * Audited in the caller's organization (the platform owner's).
 */
export async function generateEncryptionKey(ctx: TServiceContext): Promise<TResult<{ keyVersion: number }>> {
  if (keyRing().source !== "generated") {
    return fail("keys_from_environment", "Keys come from SWITCHBOARD_ENCRYPTION_KEYS: add the new key there on every instance and restart.");
  }
  const { version } = addGeneratedKey().current;
  const prisma = await db();
  await prisma.$transaction((tx) =>
    recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "encryption_key_generated", metadata: { keyVersion: version } }),
  );
  return ok({ keyVersion: version });
}
