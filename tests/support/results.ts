import { v7 as uuidv7 } from "uuid";
import { db } from "@/lib/db";
import type { TResult } from "@/lib/integrations/service";

/** The value of a successful service result; a failure throws with its code (clear test output). */
export function unwrap<T>(result: TResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error code of a service result, or "ok". */
export function codeOf(result: TResult<unknown>): string {
  return result.ok ? "ok" : result.error.code;
}

/** A well-formed uuid that names no row. */
export function missingUuid(): string {
  return uuidv7();
}

/** The stored settings row, straight from the table (what the service hides). */
export async function settingsRow(uuid: string) {
  const prisma = await db();
  return prisma.setting.findUnique({ where: { uuid } });
}

/** Audit rows of one organization, oldest first. */
export async function auditRows(orgId: string) {
  const prisma = await db();
  return prisma.auditLog.findMany({ where: { orgId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
