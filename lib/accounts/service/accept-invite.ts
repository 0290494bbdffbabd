import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { fail, ok, type TAccountsResult } from "@/lib/accounts/result";
import type { TAcceptInviteInput, TRole } from "@/lib/accounts/schemas";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { HashQueueFullError } from "@/lib/auth/hash-slots";
import { hashOneTimeToken } from "@/lib/auth/one-time-token";
import { hashPassword } from "@/lib/auth/password";

export type TOpenInvite = { email: string; role: TRole; orgName: string; expiresAt: Date };

const INVALID_MESSAGE = "This invite link does not work: it was already used, replaced by a newer one, revoked, or it expired. Ask your admin for a new link.";
const ACCOUNT_EXISTS_MESSAGE =
  "This email address already has a Switchboard account here, and an account belongs to one organization. Ask your admin to invite another address.";

/** What the invite page shows: the invite behind `token` while it still works, else null. */
export async function describeInvite(token: string): Promise<TOpenInvite | null> {
  const prisma = await db();
  const invite = await prisma.invite.findFirst({
    where: { tokenHash: hashOneTimeToken(token), usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { email: true, role: true, expiresAt: true, org: { select: { name: true } } },
  });
  return invite && { email: invite.email, role: invite.role, expiresAt: invite.expiresAt, orgName: invite.org.name };
}

/**
 * The invited person sets their password and joins. The invite is claimed in
 * the same transaction that creates the account (single use, even for two
 * submissions at once). An existing account is never touched: an invite link
 * is shown to the admin, so letting it set the password of an existing
 * account would hand that account to whoever holds the link.
 */
export async function acceptInvite(input: TAcceptInviteInput): Promise<TAccountsResult<{ email: string }>> {
  const tokenHash = hashOneTimeToken(input.token);
  // Checked before the (deliberately slow) hash: a dead link costs the server one query.
  const invite = await describeInvite(input.token);
  if (!invite) return fail("invalid_invite", INVALID_MESSAGE);
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.password);
  } catch (err) {
    if (err instanceof HashQueueFullError) return fail("busy", "The server is busy. Try again in a moment.");
    throw err;
  }
  const prisma = await db();
  try {
    return await prisma.$transaction(async (tx) => {
      const now = new Date();
      const claimed = await tx.invite.updateMany({ where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (claimed.count !== 1) return fail<{ email: string }>("invalid_invite", INVALID_MESSAGE);
      const row = await tx.invite.findUniqueOrThrow({ where: { tokenHash }, select: { id: true, orgId: true, email: true, role: true } });
      if (await tx.user.findUnique({ where: { email: row.email }, select: { id: true } })) {
        throw new AccountExists(); // rolls the claim back with the transaction; answered below
      }
      const user = await tx.user.create({ data: { email: row.email, name: input.name || null, passwordHash } });
      await tx.membership.create({ data: { orgId: row.orgId, userId: user.id, role: row.role } });
      await recordAudit(tx, {
        orgId: row.orgId,
        actor: { type: "user", id: user.id, label: user.email },
        action: "invite_accepted",
        target: { type: "user", id: user.id },
        metadata: { email: user.email, role: row.role, invite: row.id },
      });
      return ok({ email: user.email });
    });
  } catch (err) {
    // An account made meanwhile for the same email: the unique index decides.
    if (err instanceof AccountExists || (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) {
      return fail("account_exists", ACCOUNT_EXISTS_MESSAGE);
    }
    throw err;
  }
}

class AccountExists extends Error {}
