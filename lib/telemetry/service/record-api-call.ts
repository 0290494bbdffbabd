import "server-only";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";

export const API_SURFACES = ["rest", "mcp", "powerautomate"] as const;
export type TApiSurface = (typeof API_SURFACES)[number];

export type TApiCall = {
  surface: TApiSurface;
  /** Method and route template, e.g. `PUT /api/admin/integrations/{key}/credentials` (never a key). */
  route: string;
  /** The tool, or the MCP method (initialize, tools/list). */
  operation: string;
  status: number;
  errorCode: string | null;
  durationMs: number;
  /** Already redacted (redactParams). */
  parameters: Record<string, unknown>;
  orgId: string | null;
  apiKeyId: string | null;
  keyPrefix: string | null;
};

/**
 * One JSON log line per call, and a metering row for calls made with a valid
 * key (a refused key has no organization to file the row under). Metering
 * must never fail the call it records.
 */
export async function recordApiCall(call: TApiCall): Promise<void> {
  const fields = {
    surface: call.surface,
    route: call.route,
    operation: call.operation,
    status: call.status,
    errorCode: call.errorCode,
    durationMs: call.durationMs,
    key: call.keyPrefix,
    params: call.parameters,
  };
  if (call.status >= 500) logger.error("api call", fields);
  else logger.info("api call", fields);
  if (!call.orgId) return;
  try {
    const prisma = await db();
    await prisma.apiCall.create({
      data: {
        orgId: call.orgId,
        apiKeyId: call.apiKeyId,
        surface: call.surface,
        route: call.route.slice(0, 200),
        operation: call.operation.slice(0, 200),
        status: call.status,
        errorCode: call.errorCode,
        durationMs: Math.max(0, Math.round(call.durationMs)),
        parameters: call.parameters as object,
      },
    });
  } catch (err) {
    logger.warn("metering row not written", { reason: (err as Error).name });
  }
}
