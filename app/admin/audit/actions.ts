"use server";

import { currentOperator } from "@/lib/auth/session";
import type { TChainReport } from "@/lib/audit/service/verify-chain";
import { verifyAuditChainOnRequest } from "@/lib/audit/service/verify-on-request";

export type TVerifyResult = { ok: true; report: TChainReport } | { ok: false; message: string };

/** Recomputes the signed-in operator's organization's audit chain (read-only: viewers may run it too; a few times a minute per org). */
export async function verifyAuditChainAction(input?: unknown): Promise<TVerifyResult> {
  // It takes no input: anything posted to it is refused.
  if (input !== undefined) return { ok: false, message: "This action takes no input. Reload the page and try again." };
  const operator = await currentOperator();
  if (!operator) return { ok: false, message: "Your session has ended. Sign in again." };
  const verified = await verifyAuditChainOnRequest(operator.orgId);
  return verified.ok ? { ok: true, report: verified.report } : { ok: false, message: verified.message };
}
