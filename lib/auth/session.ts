import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { loadOperator, type TOperator } from "@/lib/accounts/service/sign-in";
import type { TActor } from "@/lib/audit/types";

/**
 * The signed-in operator with role and org re-read from the database, or null.
 * The session token's idle and absolute clocks are checked as it is decoded
 * (lib/auth/options.ts); its session version is checked here, in the same
 * query that reads the role, so an ended session fails at its next request.
 * Read once per request: the admin layout and its page both ask (React
 * `cache()` shares the answer within one server render, never across requests).
 */
export const currentOperator = cache(async function currentOperator(): Promise<TOperator | null> {
  const session = await getServerSession(authOptions());
  const uid = session?.user?.id;
  const sessionVersion = session?.sessionVersion;
  if (!uid || typeof sessionVersion !== "number") return null;
  return loadOperator(uid, sessionVersion);
});

/** For pages: sends anonymous visitors to the sign-in page. */
export async function requireOperator(): Promise<TOperator> {
  const operator = await currentOperator();
  if (!operator) redirect("/login");
  return operator;
}

export type TGuardResult = { ok: true; operator: TOperator } | { ok: false; error: { code: string; message: string } };

/** For server actions any signed-in member may call (their own profile). */
export async function guardOperator(): Promise<TGuardResult> {
  const operator = await currentOperator();
  if (!operator) return { ok: false, error: { code: "unauthorized", message: "Your session has ended. Sign in again." } };
  return { ok: true, operator };
}

/** For server actions: they are public HTTP endpoints, so each one checks the session and role itself. */
export async function guardAdmin(forbiddenMessage = "Only admins can change connections. Ask an admin of your organization."): Promise<TGuardResult> {
  const operator = await currentOperator();
  if (!operator) return { ok: false, error: { code: "unauthorized", message: "Your session has ended. Sign in again." } };
  if (operator.role !== "admin") return { ok: false, error: { code: "forbidden", message: forbiddenMessage } };
  return { ok: true, operator };
}

export function actorOf(operator: TOperator): Extract<TActor, { type: "user" }> {
  return { type: "user", id: operator.userId, label: operator.email };
}
