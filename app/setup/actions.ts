"use server";

import { ZSetupInput } from "@/lib/accounts/schemas";
import { createFirstAdmin } from "@/lib/accounts/service/setup";

export type TSetupActionResult = { ok: true } | { ok: false; message: string; fields?: Record<string, string> };

export async function createFirstAdminAction(input: unknown): Promise<TSetupActionResult> {
  const parsed = ZSetupInput.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return { ok: false, message: fields.token ?? "Some fields need attention.", fields };
  }
  const result = await createFirstAdmin(parsed.data);
  if (!result.ok && result.code === "invalid_setup_token") {
    return { ok: false, message: "This setup link does not work. Open the link the server printed at its last start." };
  }
  if (!result.ok) return { ok: false, message: "Setup is already complete. Sign in instead." };
  return { ok: true };
}
