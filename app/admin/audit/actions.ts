"use server";

import { currentOperator } from "@/lib/auth/session";
import { verifyAuditChain, type TChainReport } from "@/lib/audit/service/verify-chain";

export type TVerifyResult = { ok: true; report: TChainReport } | { ok: false; message: string };

/** Recomputes the signed-in operator's organization's audit chain (read-only: viewers may run it too). */
export async function verifyAuditChainAction(): Promise<TVerifyResult> {
  const operator = await currentOperator();
  if (!operator) return { ok: false, message: "Your session has ended. Sign in again." };
  return { ok: true, report: await verifyAuditChain(operator.orgId) };
}
