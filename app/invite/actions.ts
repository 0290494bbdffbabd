"use server";

import { ZAcceptInviteInput } from "@/lib/accounts/schemas";
import { acceptInvite } from "@/lib/accounts/service/accept-invite";

export type TAcceptInviteActionResult = { ok: true; email: string } | { ok: false; message: string; fields?: Record<string, string> };

/** Public: the invite token is the credential. */
export async function acceptInviteAction(input: unknown): Promise<TAcceptInviteActionResult> {
  const parsed = ZAcceptInviteInput.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { ok: false, message: fields.token ?? "Some fields need attention.", fields };
  }
  const result = await acceptInvite(parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message };
  return { ok: true, email: result.value.email };
}
