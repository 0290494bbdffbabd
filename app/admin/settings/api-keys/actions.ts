"use server";

import { revalidatePath } from "next/cache";
import { ZCreateApiKeyInput, ZRevokeApiKeyInput, type TApiKeyScope } from "@/lib/api-keys/schemas";
import { createApiKey } from "@/lib/api-keys/service/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/service/revoke-api-key";
import { actorOf, guardAdmin } from "@/lib/auth/session";

const PATH = "/admin/settings/api-keys";

function guardMessage(error: { code: string; message: string }): string {
  return error.code === "forbidden" ? "Only admins can create or revoke API keys." : error.message;
}

export type TCreateKeyResult =
  | { ok: true; key: string; name: string; prefix: string; scope: TApiKeyScope }
  | { ok: false; message: string; fields?: Record<string, string> };

/** Creates a key and hands it to the browser this once; it is never readable again. */
export async function createApiKeyAction(input: unknown): Promise<TCreateKeyResult> {
  const parsed = ZCreateApiKeyInput.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: "Some fields need attention.", fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  }
  const guard = await guardAdmin();
  if (!guard.ok) return { ok: false, message: guardMessage(guard.error) };
  const result = await createApiKey({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) }, parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message, fields: { allowedConnections: result.error.message } };
  revalidatePath(PATH);
  const { key, name, prefix, scope } = result.value;
  return { ok: true, key, name, prefix, scope };
}

export async function revokeApiKeyAction(input: unknown): Promise<{ ok: true } | { ok: false; message: string }> {
  const parsed = ZRevokeApiKeyInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: "That is not an API key id." };
  const guard = await guardAdmin();
  if (!guard.ok) return { ok: false, message: guardMessage(guard.error) };
  const result = await revokeApiKey({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) }, parsed.data);
  if (!result.ok) return { ok: false, message: result.error.message };
  revalidatePath(PATH);
  return { ok: true };
}
