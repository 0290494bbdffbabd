import "server-only";
import { db } from "@/lib/db";
import { fail, ok, type TAccountsResult } from "@/lib/accounts/result";
import type { TInviteInput, TRole } from "@/lib/accounts/schemas";
import type { TUserContext } from "@/lib/accounts/types";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { newOneTimeToken } from "@/lib/auth/one-time-token";

export const INVITE_LIFETIME_DAYS = 7;

export type TPendingInvite = { id: string; email: string; role: TRole; expiresAt: Date; createdAt: Date };
export type TCreatedInvite = { token: string; expiresAt: Date };

/** Unused, unrevoked and unexpired: a link that still works. */
const pending = (now: Date) => ({ usedAt: null, revokedAt: null, expiresAt: { gt: now } });

/**
 * An admin invites an email. The answer is the same whether or not the email
 * already has an account anywhere on this server (nothing here looks at other
 * organizations), so inviting cannot be used to find out who has one. Only a
 * member of this very organization is refused (the admin sees them listed).
 * A newer invite for the same email replaces the older one. The token is
 * returned once and stored only as its hash.
 */
export async function createInvite(ctx: TUserContext, input: TInviteInput): Promise<TAccountsResult<TCreatedInvite>> {
  const prisma = await db();
  const { token, hash } = newOneTimeToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITE_LIFETIME_DAYS * 24 * 3_600_000);
  return prisma.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({ where: { orgId: ctx.orgId, user: { email: input.email } }, select: { id: true } });
    if (member) return fail<TCreatedInvite>("already_member", `${input.email} is already a member of this organization.`, { email: "Already a member." });
    await tx.invite.updateMany({ where: { orgId: ctx.orgId, email: input.email, ...pending(now) }, data: { revokedAt: now } });
    const invite = await tx.invite.create({
      data: { orgId: ctx.orgId, email: input.email, role: input.role, tokenHash: hash, createdById: ctx.actor.id, expiresAt },
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "member_invited",
      target: { type: "invite", id: invite.id },
      metadata: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() },
    });
    return ok({ token, expiresAt });
  });
}

export async function listPendingInvites(orgId: string): Promise<TPendingInvite[]> {
  const prisma = await db();
  return prisma.invite.findMany({
    where: { orgId, ...pending(new Date()) },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
  });
}

/** The link stops working at once; a link already used or expired is not_found. */
export async function revokeInvite(ctx: TUserContext, inviteId: string): Promise<TAccountsResult<null>> {
  const prisma = await db();
  const now = new Date();
  return prisma.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id: inviteId, orgId: ctx.orgId, ...pending(now) }, select: { email: true } });
    if (!invite) return fail<null>("not_found", "That invite is no longer open: it was used, revoked or has expired.");
    await tx.invite.update({ where: { id: inviteId }, data: { revokedAt: now } });
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "invite_revoked", target: { type: "invite", id: inviteId }, metadata: { email: invite.email } });
    return ok(null);
  });
}
