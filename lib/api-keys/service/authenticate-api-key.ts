import "server-only";
import { timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/service/record-audit";
import { apiKeyLabel } from "@/lib/api-keys/actor";
import { keyFormatProblem, type TKeyFormatProblem } from "@/lib/api-keys/key-format";
import { candidateHashes } from "@/lib/api-keys/pepper";
import type { TApiPrincipal } from "@/lib/api-keys/types";

export type TAuthFailureReason = TKeyFormatProblem | "unknown" | "revoked" | "expired";
export type TAuthResult = { ok: true; principal: TApiPrincipal } | { ok: false; reason: TAuthFailureReason };

const MINUTE_MS = 60_000;
// Longer input is malformed anyway; hashing it whole would let a caller make us hash megabytes.
const MAX_HASHED_LENGTH = 256;

function sameHash(stored: string, candidates: string[]): boolean {
  const a = Buffer.from(stored, "hex");
  return candidates.some((c) => {
    const b = Buffer.from(c, "hex");
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

/**
 * Resolves a presented key to its principal. Every failure takes the same
 * path (hash, one indexed lookup), so a malformed key, an unknown one and a
 * revoked one cost the same; callers answer all of them with one 401.
 */
export async function authenticateApiKey(presented: string): Promise<TAuthResult> {
  const problem = keyFormatProblem(presented);
  const hashes = candidateHashes(presented.slice(0, MAX_HASHED_LENGTH));
  const prisma = await db();
  const row = await prisma.apiKey.findFirst({
    where: { hash: { in: hashes } },
    select: {
      id: true,
      orgId: true,
      name: true,
      prefix: true,
      hash: true,
      scope: true,
      allowedConnections: true,
      createdById: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
    },
  });
  if (problem) return { ok: false, reason: problem };
  if (!row || !sameHash(row.hash, hashes)) return { ok: false, reason: "unknown" };
  const now = new Date();
  if (row.revokedAt) {
    await auditUseAfterRevoke(row, now);
    return { ok: false, reason: "revoked" };
  }
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= MINUTE_MS) {
    // At most one write per key per minute, however many calls arrive (the condition is re-checked in the UPDATE).
    await prisma.apiKey.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - MINUTE_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  return {
    ok: true,
    principal: {
      keyId: row.id,
      orgId: row.orgId,
      name: row.name,
      prefix: row.prefix,
      scope: row.scope,
      allowedConnections: row.allowedConnections,
      createdById: row.createdById,
      expiresAt: row.expiresAt?.toISOString() ?? null,
    },
  };
}

/** A revoked key in use is worth knowing about; audited at most once a minute per key so it cannot flood the log. */
async function auditUseAfterRevoke(row: { id: string; orgId: string; name: string; prefix: string }, now: Date): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({
      where: { id: row.id, OR: [{ revokedUseAt: null }, { revokedUseAt: { lte: new Date(now.getTime() - MINUTE_MS) } }] },
      data: { revokedUseAt: now },
    });
    if (count === 0) return;
    await recordAudit(tx, {
      orgId: row.orgId,
      actor: { type: "api_key", id: row.id, label: apiKeyLabel(row) },
      action: "api_key_used_after_revoke",
      target: { type: "api_key", id: row.id },
      metadata: { name: row.name, prefix: row.prefix },
    });
  });
}
