import "server-only";
import { db } from "@/lib/db";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import type { TRole } from "@/lib/accounts/schemas";

// platformOwner: the account made at /setup, which runs platform-wide actions (the encryption key ring).
export type TOperator = { userId: string; email: string; name: string | null; orgId: string; orgName: string; role: TRole; platformOwner: boolean };
/** A signed-in operator as sign-in returns it: with the session version the new session will carry. */
export type TSignedIn = TOperator & { sessionVersion: number };

/** Checks email + password; null for any failure, without telling which part was wrong. */
export async function verifySignIn(email: string, password: string): Promise<TSignedIn | null> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, sessionVersion: true } });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  if (needsRehash(user.passwordHash)) await rehash(user.id, user.passwordHash, password);
  const operator = await loadOperator(user.id);
  return operator && { ...operator, sessionVersion: user.sessionVersion };
}

/**
 * Replaces a hash made with older parameters, now that the password is known.
 * Only if the row still holds the hash that was checked: a password change
 * committed meanwhile wins.
 */
async function rehash(userId: string, checkedHash: string, password: string): Promise<void> {
  const prisma = await db();
  const passwordHash = await hashPassword(password);
  await prisma.user.updateMany({ where: { id: userId, passwordHash: checkedHash }, data: { passwordHash } });
}

/**
 * The operator's current membership, re-read on every privileged request so a
 * demotion applies at once. With `sessionVersion` (from the session token),
 * the same query also checks that the session has not been ended since.
 */
export async function loadOperator(userId: string, sessionVersion?: number): Promise<TOperator | null> {
  const prisma = await db();
  const membership = await prisma.membership.findFirst({
    where: { userId, ...(sessionVersion === undefined ? {} : { user: { sessionVersion } }) },
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
