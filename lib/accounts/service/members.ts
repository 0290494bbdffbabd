import "server-only";
import { db, type DbTx } from "@/lib/db";
import { fail, ok, type TAccountsResult } from "@/lib/accounts/result";
import type { TRole } from "@/lib/accounts/schemas";
import type { TUserContext } from "@/lib/accounts/types";
import { endSessions } from "@/lib/accounts/service/sessions";
import { recordAudit } from "@/lib/audit/service/record-audit";

export type TMember = { userId: string; email: string; name: string | null; role: TRole; createdAt: Date; lastSignInAt: Date | null };

export async function listMembers(orgId: string): Promise<TMember[]> {
  const prisma = await db();
  const rows = await prisma.membership.findMany({
    where: { orgId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, lastSignInAt: true } } },
  });
  return rows.map((r) => ({ userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, createdAt: r.createdAt, lastSignInAt: r.user.lastSignInAt }));
}

const NOT_FOUND = "That person is not a member of this organization (any more).";
const LAST_ADMIN = "An organization needs at least one admin. Make someone else an admin first.";

/**
 * Member changes of one organization run one at a time: the organization's
 * row is locked first, so two admins demoting or removing each other at once
 * cannot leave it without an admin.
 */
async function lockedMembership(tx: DbTx, orgId: string, userId: string) {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${orgId}::uuid FOR UPDATE`;
  return tx.membership.findFirst({ where: { orgId, userId }, select: { id: true, role: true, user: { select: { email: true } } } });
}

async function isLastAdmin(tx: DbTx, orgId: string, role: TRole): Promise<boolean> {
  return role === "admin" && (await tx.membership.count({ where: { orgId, role: "admin" } })) <= 1;
}

/** An admin changes a member's role; that member's sessions end, so the new role applies to a fresh sign-in. */
export async function changeMemberRole(ctx: TUserContext, input: { userId: string; role: TRole }): Promise<TAccountsResult<{ changed: boolean }>> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const membership = await lockedMembership(tx, ctx.orgId, input.userId);
    if (!membership) return fail<{ changed: boolean }>("not_found", NOT_FOUND);
    if (membership.role === input.role) return ok({ changed: false });
    if (await isLastAdmin(tx, ctx.orgId, membership.role)) return fail<{ changed: boolean }>("last_admin", LAST_ADMIN);
    await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    await endSessions(tx, input.userId);
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "member_role_changed",
      target: { type: "user", id: input.userId },
      metadata: { email: membership.user.email, from: membership.role, to: input.role },
    });
    return ok({ changed: true });
  });
}

/**
 * An admin removes a member: their sessions end at once, and an account left
 * without any organization is deleted (so the email can be invited again).
 */
export async function removeMember(ctx: TUserContext, input: { userId: string }): Promise<TAccountsResult<null>> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const membership = await lockedMembership(tx, ctx.orgId, input.userId);
    if (!membership) return fail<null>("not_found", NOT_FOUND);
    if (await isLastAdmin(tx, ctx.orgId, membership.role)) return fail<null>("last_admin", LAST_ADMIN);
    await tx.membership.delete({ where: { id: membership.id } });
    await endSessions(tx, input.userId);
    if ((await tx.membership.count({ where: { userId: input.userId } })) === 0) await tx.user.delete({ where: { id: input.userId } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "member_removed",
      target: { type: "user", id: input.userId },
      metadata: { email: membership.user.email, role: membership.role },
    });
    return ok(null);
  });
}
