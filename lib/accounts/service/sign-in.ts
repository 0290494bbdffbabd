import "server-only";
import { db } from "@/lib/db";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { Prisma } from "@/lib/generated/prisma/client";
import { ZRole, type TRole } from "@/lib/accounts/schemas";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";

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
  if (!UUID_PATTERN.test(userId)) return null; // a malformed id names nobody (and must not make the uuid cast throw)
  const prisma = await db();
  // One statement on every page view (Prisma's nested select would send three: membership, org, user).
  const rows = await prisma.$queryRaw<TOperatorRow[]>`
    SELECT m.role::text AS role, o.id::text AS org_id, o.name AS org_name, u.email, u.name, u.platform_owner
    FROM memberships m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.org_id
    WHERE m.user_id = ${userId}::uuid ${sessionVersion === undefined ? Prisma.empty : Prisma.sql`AND u.session_version = ${sessionVersion}`}
    ORDER BY m.created_at ASC LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  return {
    userId,
    email: row.email,
    name: row.name,
    orgId: row.org_id,
    orgName: row.org_name,
    role: ZRole.parse(row.role),
    platformOwner: row.platform_owner,
  };
}

type TOperatorRow = { role: string; org_id: string; org_name: string; email: string; name: string | null; platform_owner: boolean };
