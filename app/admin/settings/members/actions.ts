"use server";

import { revalidatePath } from "next/cache";
import { ZChangeRoleInput, ZInviteInput, ZInviteRefInput, ZMemberRefInput } from "@/lib/accounts/schemas";
import { createInvite, revokeInvite } from "@/lib/accounts/service/invites";
import { changeMemberRole, removeMember } from "@/lib/accounts/service/members";
import { inviteLink } from "@/lib/accounts/invite-link";
import { actorOf, guardAdmin } from "@/lib/auth/session";

type TFail = { ok: false; message: string; fields?: Record<string, string> };
export type TMemberActionResult = { ok: true } | TFail;
/** `link` is shown once: it is the only copy of the token (the database keeps its hash). */
export type TInviteActionResult = { ok: true; link: string; expiresAt: string } | TFail;

const PATH = "/admin/settings/members";
const invalid = (issues: { path: PropertyKey[]; message: string }[]): TFail => ({
  ok: false,
  message: "Some fields need attention.",
  fields: Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message])),
});

async function adminContext() {
  const guard = await guardAdmin("Only admins can manage members. Ask an admin of your organization.");
  if (!guard.ok) return { ok: false as const, message: guard.error.message };
  return { ok: true as const, ctx: { orgId: guard.operator.orgId, actor: actorOf(guard.operator) } };
}

export async function inviteMemberAction(input: unknown): Promise<TInviteActionResult> {
  const parsed = ZInviteInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const admin = await adminContext();
  if (!admin.ok) return admin;
  const result = await createInvite(admin.ctx, parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message, fields: result.error.fields };
  revalidatePath(PATH);
  return { ok: true, link: inviteLink(result.value.token), expiresAt: result.value.expiresAt.toISOString() };
}

export async function revokeInviteAction(input: unknown): Promise<TMemberActionResult> {
  const parsed = ZInviteRefInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const admin = await adminContext();
  if (!admin.ok) return admin;
  const result = await revokeInvite(admin.ctx, parsed.data.inviteId);
  if (!result.ok) return { ok: false, message: result.error.message };
  revalidatePath(PATH);
  return { ok: true };
}

export async function changeRoleAction(input: unknown): Promise<TMemberActionResult> {
  const parsed = ZChangeRoleInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const admin = await adminContext();
  if (!admin.ok) return admin;
  const result = await changeMemberRole(admin.ctx, parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message };
  revalidatePath(PATH);
  return { ok: true };
}

export async function removeMemberAction(input: unknown): Promise<TMemberActionResult> {
  const parsed = ZMemberRefInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const admin = await adminContext();
  if (!admin.ok) return admin;
  const result = await removeMember(admin.ctx, parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message };
  revalidatePath(PATH);
  return { ok: true };
}
