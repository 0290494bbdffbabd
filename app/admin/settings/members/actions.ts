"use server";

import { revalidatePath } from "next/cache";
import { ZAddMemberInput } from "@/lib/accounts/schemas";
import { addMember } from "@/lib/accounts/service/members";
import { actorOf, guardAdmin } from "@/lib/auth/session";

export type TMemberActionResult = { ok: true } | { ok: false; message: string; fields?: Record<string, string> };

export async function addMemberAction(input: unknown): Promise<TMemberActionResult> {
  const parsed = ZAddMemberInput.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: "Some fields need attention.", fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  }
  const guard = await guardAdmin();
  if (!guard.ok) return { ok: false, message: guard.error.message };
  const result = await addMember({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) }, parsed.data);
  if (!result.ok) return { ok: false, message: "A user with that email already exists.", fields: { email: "Already in use." } };
  revalidatePath("/admin/settings/members");
  return { ok: true };
}
