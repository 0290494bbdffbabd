import "server-only";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { hashOneTimeToken } from "@/lib/auth/one-time-token";
import { isSetupTokenValid } from "@/lib/accounts/service/setup-token";
import { recordAudit } from "@/lib/audit/service/record-audit";
import type { TSetupInput } from "@/lib/accounts/schemas";

export async function hasAnyUser(): Promise<boolean> {
  const prisma = await db();
  return (await prisma.user.count({ take: 1 })) > 0;
}

export type TCreateFirstAdminResult = { ok: true; userId: string; orgId: string } | { ok: false; code: "setup_done" | "invalid_setup_token" };

/**
 * First run: creates the organization and its first admin, for the holder of
 * a setup token (lib/accounts/service/setup-token.ts). Serialized with an
 * advisory lock so two racing setup submissions cannot both succeed; every
 * setup token is deleted with it, so a token works once.
 */
export async function createFirstAdmin(input: TSetupInput): Promise<TCreateFirstAdminResult> {
  // Checked before the (deliberately slow) hash: once set up, or without the token, the public form costs the server nothing.
  if (await hasAnyUser()) return { ok: false, code: "setup_done" };
  if (!(await isSetupTokenValid(input.token))) return { ok: false, code: "invalid_setup_token" };
  const prisma = await db();
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7423001)`;
    if ((await tx.user.count({ take: 1 })) > 0) return { ok: false, code: "setup_done" } as const;
    const { count } = await tx.setupToken.deleteMany({ where: { tokenHash: hashOneTimeToken(input.token) } });
    if (count !== 1) return { ok: false, code: "invalid_setup_token" } as const;
    await tx.setupToken.deleteMany({});
    const org = await tx.organization.create({ data: { name: input.orgName } });
    const user = await tx.user.create({
      data: { email: input.email, name: input.name || null, passwordHash, platformOwner: true },
    });
    await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "admin" } });
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: user.id, label: user.email },
      action: "org_created",
      target: { type: "organization", id: org.id },
      metadata: { name: org.name },
    });
    return { ok: true, userId: user.id, orgId: org.id } as const;
  });
}
