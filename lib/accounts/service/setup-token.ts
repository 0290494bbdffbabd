import "server-only";
import { db } from "@/lib/db";
import { hashOneTimeToken, newOneTimeToken } from "@/lib/auth/one-time-token";

// Like Jenkins' initial admin password: until the first admin exists, /setup
// only works with a token the server printed at start. Stored as a hash in
// the database, so any instance can check a link another instance printed.

/** A new setup token while no user exists (null once set up). */
export async function issueSetupToken(): Promise<string | null> {
  const prisma = await db();
  if ((await prisma.user.count({ take: 1 })) > 0) return null;
  const { token, hash } = newOneTimeToken();
  await prisma.setupToken.create({ data: { tokenHash: hash } });
  return token;
}

export async function isSetupTokenValid(token: string): Promise<boolean> {
  const prisma = await db();
  return (await prisma.setupToken.count({ where: { tokenHash: hashOneTimeToken(token) } })) === 1;
}
