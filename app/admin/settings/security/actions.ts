"use server";

import { revalidatePath } from "next/cache";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import { rotateFromAdmin } from "@/lib/integrations/service";

export type TRotateActionResult = { ok: true; rotated: number; keyVersion: number } | { ok: false; message: string };

export async function rotateKeysAction(): Promise<TRotateActionResult> {
  const guard = await guardAdmin();
  if (!guard.ok) return { ok: false, message: guard.error.message };
  const result = await rotateFromAdmin({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) });
  revalidatePath("/admin/settings/security");
  return { ok: true, rotated: result.rotated, keyVersion: result.keyVersion };
}
