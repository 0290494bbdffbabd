import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AUDIT_ACTIONS } from "@/lib/audit/types";

export const ZAuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  target: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const AUDIT_PAGE_SIZE = 50;

export type TAuditRow = {
  id: string;
  actorType: string;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: unknown;
  createdAt: Date;
};

/** Newest first; `target` matches the target id exactly or by prefix. */
export async function listAuditLog(
  orgId: string,
  query: TAuditQuery,
): Promise<{ rows: TAuditRow[]; hasMore: boolean; page: number }> {
  const prisma = await db();
  const rows = await prisma.auditLog.findMany({
    where: {
      orgId,
      ...(query.action ? { action: query.action } : {}),
      ...(query.target ? { targetId: { startsWith: query.target } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE + 1,
    select: {
      id: true,
      actorType: true,
      actorLabel: true,
      action: true,
      targetType: true,
      targetId: true,
      metadata: true,
      createdAt: true,
    },
  });
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE, page: query.page };
}
