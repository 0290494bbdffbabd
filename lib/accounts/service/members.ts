import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TActor } from "@/lib/audit/types";
import type { TAddMemberInput, TRole } from "@/lib/accounts/schemas";

export type TMember = { userId: string; email: string; name: string | null; role: TRole; createdAt: Date };

export async function listMembers(orgId: string): Promise<TMember[]> {
  const prisma = await db();
  const rows = await prisma.membership.findMany({
    where: { orgId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((r) => ({ userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, createdAt: r.createdAt }));
}

export type TAddMemberResult = { ok: true; userId: string } | { ok: false; code: "already_exists" };

export async function addMember(
  ctx: { orgId: string; actor: TActor },
  input: TAddMemberInput,
): Promise<TAddMemberResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await insertMember(ctx, input, passwordHash);
  } catch (err) {
    // Two admins adding one email at once: the unique index decides, the loser gets the same answer.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return { ok: false, code: "already_exists" };
    throw err;
  }
}

async function insertMember(ctx: { orgId: string; actor: TActor }, input: TAddMemberInput, passwordHash: string): Promise<TAddMemberResult> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      return { ok: false, code: "already_exists" } as const;
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name || null, passwordHash } });
    await tx.membership.create({ data: { orgId: ctx.orgId, userId: user.id, role: input.role } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "member_added",
      target: { type: "user", id: user.id },
      metadata: { email: user.email, role: input.role },
    });
    return { ok: true, userId: user.id } as const;
  });
}
