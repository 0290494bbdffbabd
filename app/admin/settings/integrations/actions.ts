"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import type { TConnection } from "@/lib/integrations/connection-value";
import * as integrations from "@/lib/integrations/service";
import type { TServiceContext, TResult } from "@/lib/integrations/service";

// Server actions are public endpoints: each parses its input with zod and
// re-checks the session, the role and the org before calling the service.

export type TActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

const ZUuid = z.uuid();
const LIST_PATH = "/admin/settings/integrations";

/** A setup field's key, as the registry spells them. */
const ZFieldKey = z.string().regex(/^[a-z0-9_]{1,64}$/, "is not a setup field name");

/** Malformed input (wrong types, oversize, unknown field names) gets a clear refusal, field by field where it can. */
function invalidRequest(error: z.ZodError): TActionResult<never> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const [top, key] = issue.path;
    if (top === "attrs" && typeof key === "string" && /^[a-z0-9_]{1,64}$/.test(key)) fields[key] ??= issue.message;
  }
  const message = "The request was malformed (wrong types, oversize values or unknown fields). Reload the page and try again.";
  return { ok: false, error: { code: "invalid_request", message, ...(Object.keys(fields).length > 0 ? { fields } : {}) } };
}

async function asAdmin<T, I>(schema: z.ZodType<I>, input: unknown, run: (ctx: TServiceContext, input: I) => Promise<TResult<T>>): Promise<TActionResult<T>> {
  const parsed = schema.safeParse(input, { reportInput: false });
  if (!parsed.success) return invalidRequest(parsed.error);
  const guard = await guardAdmin();
  if (!guard.ok) return guard;
  const result = await run({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) }, parsed.data);
  if (!result.ok) return { ok: false, error: result.error };
  revalidatePath(LIST_PATH, "layout");
  return { ok: true, data: result.value };
}

export async function addConnectionAction(input: { provider: string; name: string }): Promise<TActionResult<TConnection>> {
  return asAdmin(z.object({ provider: z.string().max(64), name: z.string().max(200) }), input, integrations.addConnection);
}

export async function saveSetupAction(input: { uuid: string; attrs: Record<string, string>; clear?: string[] }): Promise<TActionResult<TConnection>> {
  const schema = z.object({
    uuid: ZUuid,
    attrs: z.record(ZFieldKey, z.string().max(16_384, "Too long (at most 16384 characters).")).refine((a) => Object.keys(a).length <= 50, "has too many fields"),
    clear: z.array(ZFieldKey).max(50).optional(),
  });
  return asAdmin(schema, input, integrations.saveSetup);
}

export async function renameConnectionAction(input: { uuid: string; name: string }): Promise<TActionResult<TConnection>> {
  return asAdmin(z.object({ uuid: ZUuid, name: z.string().max(200) }), input, integrations.renameConnection);
}

export async function disconnectAction(input: {
  uuid: string;
  discardUnreadable?: boolean;
}): Promise<TActionResult<{ disconnected: boolean; revocation?: string }>> {
  return asAdmin(z.object({ uuid: ZUuid, discardUnreadable: z.boolean().optional() }), input, integrations.disconnect);
}

export async function removeConnectionAction(input: { uuid: string }): Promise<TActionResult<{ removed: boolean }>> {
  return asAdmin(z.object({ uuid: ZUuid }), input, integrations.removeConnection);
}
