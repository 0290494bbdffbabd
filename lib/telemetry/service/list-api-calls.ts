import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { UUID_PATTERN } from "@/lib/integrations/connection-ref";
import { API_SURFACES } from "./record-api-call";

// The API calls page: recent metering rows of one organization, filtered by
// surface, key, outcome and tool. Parsing of the page's search parameters
// happens here, once; an unusable value reads as "no filter".

export const ZApiCallQuery = z.object({
  surface: z.enum(API_SURFACES).optional().catch(undefined),
  key: z.string().regex(UUID_PATTERN).optional().catch(undefined),
  outcome: z.enum(["ok", "error"]).optional().catch(undefined),
  operation: z
    .string()
    .regex(/^[a-z_/]{1,64}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type TApiCallQuery = z.infer<typeof ZApiCallQuery>;

export const API_CALLS_PAGE_SIZE = 50;

export type TApiCallRow = {
  id: string;
  surface: string;
  route: string;
  operation: string;
  status: number;
  errorCode: string | null;
  durationMs: number;
  parameters: unknown;
  createdAt: Date;
  key: { id: string; name: string; prefix: string } | null;
};

export async function listApiCalls(orgId: string, query: TApiCallQuery): Promise<{ rows: TApiCallRow[]; hasMore: boolean; page: number }> {
  const prisma = await db();
  const rows = await prisma.apiCall.findMany({
    where: {
      orgId,
      ...(query.surface ? { surface: query.surface } : {}),
      ...(query.key ? { apiKeyId: query.key } : {}),
      ...(query.operation ? { operation: query.operation } : {}),
      ...(query.outcome === "ok" ? { status: { lt: 400 } } : query.outcome === "error" ? { status: { gte: 400 } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * API_CALLS_PAGE_SIZE,
    take: API_CALLS_PAGE_SIZE + 1,
    select: {
      id: true,
      surface: true,
      route: true,
      operation: true,
      status: true,
      errorCode: true,
      durationMs: true,
      parameters: true,
      createdAt: true,
      apiKey: { select: { id: true, name: true, prefix: true } },
    },
  });
  return {
    rows: rows.slice(0, API_CALLS_PAGE_SIZE).map(({ apiKey, ...r }) => ({ ...r, key: apiKey })),
    hasMore: rows.length > API_CALLS_PAGE_SIZE,
    page: query.page,
  };
}
