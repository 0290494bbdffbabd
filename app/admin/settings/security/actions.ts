"use server";

import { revalidatePath } from "next/cache";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import type { TServiceContext } from "@/lib/integrations/service";
import { generateEncryptionKey, rotateEncryptionKeys } from "@/lib/integrations/service";
import { logger } from "@/lib/logger";

// The key ring serves every organization, so its actions belong to the
// platform owner (the account made at /setup), re-checked on every call.

export type TSkippedSecret = { uuid: string; reason: string; inYourOrganization: boolean };
export type TGenerateKeyResult = { ok: true; keyVersion: number } | { ok: false; message: string };
export type TReencryptResult = { ok: true; keyVersion: number; rotated: number; skipped: TSkippedSecret[] } | { ok: false; message: string };

const PAGE = "/admin/settings/security";

async function asPlatformOwner(input: unknown): Promise<{ ok: true; ctx: TServiceContext } | { ok: false; message: string }> {
  // These actions take no input: anything posted to them is a malformed request.
  if (input !== undefined) return { ok: false, message: "This action takes no input. Reload the page and try again." };
  const guard = await guardAdmin();
  if (!guard.ok) return { ok: false, message: guard.error.message };
  if (!guard.operator.platformOwner) {
    return { ok: false, message: "Only the platform owner (the account created at setup) manages the encryption keys, which serve every organization." };
  }
  return { ok: true, ctx: { orgId: guard.operator.orgId, actor: actorOf(guard.operator) } };
}

export async function generateKeyAction(input?: unknown): Promise<TGenerateKeyResult> {
  const owner = await asPlatformOwner(input);
  if (!owner.ok) return owner;
  const result = await generateEncryptionKey(owner.ctx);
  if (!result.ok) return { ok: false, message: result.error.message };
  revalidatePath(PAGE);
  return { ok: true, keyVersion: result.value.keyVersion };
}

export async function reencryptKeysAction(input?: unknown): Promise<TReencryptResult> {
  const owner = await asPlatformOwner(input);
  if (!owner.ok) return owner;
  try {
    const result = await rotateEncryptionKeys({ actor: owner.ctx.actor });
    revalidatePath(PAGE);
    const skipped = result.skipped.map((s) => ({ uuid: s.uuid, reason: s.reason, inYourOrganization: s.orgId === owner.ctx.orgId }));
    return { ok: true, keyVersion: result.keyVersion, rotated: result.rotated, skipped };
  } catch (err) {
    // Batches commit one by one: what finished stays finished, and a new run continues.
    logger.error("re-encryption stopped", { error: (err as Error).message });
    return { ok: false, message: "Re-encryption stopped before the end. The secrets done so far are kept; run it again to continue." };
  }
}
