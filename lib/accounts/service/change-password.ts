import "server-only";
import { db } from "@/lib/db";
import { fail, ok, describeWait, type TAccountsResult } from "@/lib/accounts/result";
import type { TUserContext } from "@/lib/accounts/types";
import { endSessions } from "@/lib/accounts/service/sessions";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { HashQueueFullError } from "@/lib/auth/hash-slots";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { takeSignInAttempt } from "@/lib/auth/sign-in-throttle";

export type TChangePasswordOptions = {
  ctx: TUserContext;
  currentPassword: string;
  newPassword: string;
  /** Where the request comes from: the current password is guessable here too, so it counts like a sign-in. */
  clientAddress: string;
};

/**
 * A user changes their own password. The current one is checked (counted
 * against the sign-in throttle first), the new hash replaces it, and every
 * session of the user ends, this one included, in one transaction with the
 * audit row.
 */
export async function changePassword({ ctx, currentPassword, newPassword, clientAddress }: TChangePasswordOptions): Promise<TAccountsResult<null>> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id: ctx.actor.id }, select: { email: true, passwordHash: true } });
  if (!user) return fail("not_found", "Your account no longer exists.");
  const taken = await takeSignInAttempt(user.email, clientAddress);
  if (!taken.ok) return fail("throttled", `Too many wrong passwords. Try again in ${describeWait(taken.retryAfterSeconds)}.`);
  let newHash: string;
  try {
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      return fail("wrong_password", "That is not your current password.", { currentPassword: "That is not your current password." });
    }
    newHash = await hashPassword(newPassword);
  } catch (err) {
    if (!(err instanceof HashQueueFullError)) throw err;
    await taken.attempt.cancelled();
    return fail("busy", "The server is busy checking other passwords. Try again in a moment.");
  }
  await taken.attempt.succeeded();
  const changed = await prisma.$transaction(async (tx) => {
    // Only over the hash that was checked: two changes at once cannot both win.
    const { count } = await tx.user.updateMany({ where: { id: ctx.actor.id, passwordHash: user.passwordHash }, data: { passwordHash: newHash } });
    if (count === 0) return false;
    await endSessions(tx, ctx.actor.id);
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "password_changed", target: { type: "user", id: ctx.actor.id } });
    return true;
  });
  if (!changed) return fail("wrong_password", "Your password was changed meanwhile. Sign in again.");
  return ok(null);
}
