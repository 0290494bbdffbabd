"use server";

import { currentOperator } from "@/lib/auth/session";
import { verifyAuditChain, type TChainReport } from "@/lib/audit/service/verify-chain";

export type TVerifyResult = { ok: true; report: TChainReport } | { ok: false; message: string };

/** Recomputes the signed-in operator's organization's audit chain (read-only: viewers may run it too). */
export async function verifyAuditChainAction(input?: unknown): Promise<TVerifyResult> {
  // It takes no input: anything posted to it is refused.
  if (input !== undefined) return { ok: false, message: "This action takes no input. Reload the page and try again." };
  const operator = await currentOperator();
  if (!operator) return { ok: false, message: "Your session has ended. Sign in again." };
  return { ok: true, report: await verifyAuditChain(operator.orgId) };
}
