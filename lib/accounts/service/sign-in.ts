import "server-only";
import { db } from "@/lib/db";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import type { TRole } from "@/lib/accounts/schemas";

// platformOwner: the account made at /setup, which runs platform-wide actions (the encryption key ring).
export type TOperator = { userId: string; email: string; name: string | null; orgId: string; orgName: string; role: TRole; platformOwner: boolean };

/** Checks email + password; null for any failure, without telling which part was wrong. */
export async function verifySignIn(email: string, password: string): Promise<TOperator | null> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return loadOperator(user.id);
}

/** The operator's current membership, re-read on every privileged request so a demotion applies at once. */
export async function loadOperator(userId: string): Promise<TOperator | null> {
  const prisma = await db();
  const membership = await prisma.membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, org: { select: { id: true, name: true } }, user: { select: { email: true, name: true, platformOwner: true } } },
  });
  if (!membership) return null;
  return {
    userId,
    email: membership.user.email,
    name: membership.user.name,
    orgId: membership.org.id,
    orgName: membership.org.name,
    role: membership.role,
    platformOwner: membership.user.platformOwner,
  };
}
