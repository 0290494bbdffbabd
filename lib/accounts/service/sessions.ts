import "server-only";
import { db, type DbTx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TUserContext } from "@/lib/accounts/types";

// A user's sessions are all the session tokens carrying their current
// session version (lib/auth/options.ts puts it in at sign-in; currentOperator
// checks it on every request). Raising the version ends every one of them.

/** Inside the caller's transaction: ends every session of `userId`, on every instance, at their next request. */
export async function endSessions(tx: DbTx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** Is `sessionVersion` still the user's current one (the session has not been ended)? */
export async function isSessionCurrent(userId: string, sessionVersion: number): Promise<boolean> {
  const prisma = await db();
  return (await prisma.user.count({ where: { id: userId, sessionVersion } })) === 1;
}

/** "Sign out everywhere": the signed-in user ends all of their own sessions, this one included. */
export async function signOutEverywhere(ctx: TUserContext): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await endSessions(tx, ctx.actor.id);
    await recordAudit(tx, { orgId: ctx.orgId, actor: ctx.actor, action: "sessions_revoked", target: { type: "user", id: ctx.actor.id } });
  });
}
