import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AUDIT_ACTIONS } from "@/lib/audit/types";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";
import { connectionIntegrationKeys } from "./connection-history";

// The audit page's search parameters, parsed in this one place: anything
// unusable reads as "no filter" instead of failing the page.
export const ZAuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  /** A connection's uuid, chosen from the picker. */
  target: z
    .string()
    .trim()
    .regex(UUID_PATTERN)
    .transform((s) => s.toLowerCase())
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const AUDIT_PAGE_SIZE = 50;

export type TAuditRow = {
  id: string;
  seq: number;
  actorType: string;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: unknown;
  createdAt: Date;
};

/**
 * Newest first. `target` selects one connection's history: the rows about
 * its uuid, and the admin API's rows about the integration keys it has had
 * (`provider:name`, before and after renames).
 */
export async function listAuditLog(
  orgId: string,
  query: TAuditQuery,
): Promise<{ rows: TAuditRow[]; hasMore: boolean; page: number }> {
  const prisma = await db();
  const keys = query.target ? await connectionIntegrationKeys(orgId, query.target) : [];
  const rows = await prisma.auditLog.findMany({
    where: {
      orgId,
      ...(query.action ? { action: query.action } : {}),
      ...(query.target ? { OR: [{ targetId: query.target }, { targetType: "integration", targetId: { in: keys } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
    skip: (query.page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE + 1,
    select: {
      id: true,
      seq: true,
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
