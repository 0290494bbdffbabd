"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import type { TConnectionStatus } from "@/lib/integrations/connection-value";
import type { TProbeResult } from "@/lib/integrations/probes";
import { getIntegrationByUuid, validateConnection, validateCredentials, type TServiceContext } from "@/lib/integrations/service";

// Test Connection. Like every server action: parse with zod, check the
// session, the role and the org, call the service, map the result.

export type TTestActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string>; retryAfterSeconds?: number } };

const ZTestForm = z.object({
  uuid: z.uuid(),
  values: z.record(z.string().max(64), z.string().max(16_384)),
  clear: z.array(z.string().max(64)).max(50).optional(),
});
const ZTestSaved = z.object({ uuid: z.uuid() });
const MALFORMED = { ok: false as const, error: { code: "invalid_request", message: "The request was malformed. Reload the page and try again." } };

async function adminContext(): Promise<{ ok: true; ctx: TServiceContext } | { ok: false; error: { code: string; message: string } }> {
  const guard = await guardAdmin();
  if (!guard.ok) return guard;
  return { ok: true, ctx: { orgId: guard.operator.orgId, actor: actorOf(guard.operator) } };
}

/** The form's Test Connection: tests what is typed (stored secrets fill blanks) and saves nothing. */
export async function testCredentialsAction(input: z.input<typeof ZTestForm>): Promise<TTestActionResult<TProbeResult>> {
  const parsed = ZTestForm.safeParse(input);
  if (!parsed.success) return MALFORMED;
  const guard = await adminContext();
  if (!guard.ok) return guard;
  const connection = await getIntegrationByUuid(guard.ctx, parsed.data.uuid);
  if (!connection.ok) return connection;
  const result = await validateCredentials(guard.ctx, { provider: connection.value.provider, ...parsed.data });
  return result.ok ? { ok: true, data: result.value } : result;
}

/** "Test" on a saved connection (row menu, after Save): tests the stored credentials and records the result. */
export async function testConnectionAction(input: z.input<typeof ZTestSaved>): Promise<TTestActionResult<{ result: TProbeResult; status: TConnectionStatus }>> {
  const parsed = ZTestSaved.safeParse(input);
  if (!parsed.success) return MALFORMED;
  const guard = await adminContext();
  if (!guard.ok) return guard;
  const tested = await validateConnection(guard.ctx, parsed.data);
  if (!tested.ok) return tested;
  revalidatePath("/admin/settings/integrations", "layout");
  return { ok: true, data: { result: tested.value.result, status: tested.value.connection.status } };
}
