"use server";

import { headers } from "next/headers";
import { ZChangePasswordInput } from "@/lib/accounts/schemas";
import { changePassword } from "@/lib/accounts/service/change-password";
import { signOutEverywhere } from "@/lib/accounts/service/sessions";
import { clientAddress } from "@/lib/auth/client-address";
import { actorOf, guardOperator } from "@/lib/auth/session";

export type TProfileActionResult = { ok: true } | { ok: false; message: string; fields?: Record<string, string> };

const fieldErrors = (issues: { path: PropertyKey[]; message: string }[]) => Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message]));

export async function changePasswordAction(input: unknown): Promise<TProfileActionResult> {
  const parsed = ZChangePasswordInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Some fields need attention.", fields: fieldErrors(parsed.error.issues) };
  const guard = await guardOperator();
  if (!guard.ok) return { ok: false, message: guard.error.message };
  const result = await changePassword({
    ctx: { orgId: guard.operator.orgId, actor: actorOf(guard.operator) },
    currentPassword: parsed.data.currentPassword,
    newPassword: parsed.data.newPassword,
    clientAddress: clientAddress(await headers()),
  });
  if (!result.ok) return { ok: false, message: result.error.message, fields: result.error.fields };
  return { ok: true };
}

export async function signOutEverywhereAction(input?: unknown): Promise<TProfileActionResult> {
  // It takes no input: anything posted to it is refused.
  if (input !== undefined) return { ok: false, message: "This action takes no input. Reload the page and try again." };
  const guard = await guardOperator();
  if (!guard.ok) return { ok: false, message: guard.error.message };
  await signOutEverywhere({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) });
  return { ok: true };
}
