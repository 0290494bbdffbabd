"use server";

import { z } from "zod";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import { oauthRedirectUri } from "@/lib/integrations/oauth/redirect-uri";
import { authorizationUrl } from "@/lib/integrations/service";
import type { TActionResult } from "./actions";

const ZStart = z.object({ uuid: z.uuid() });

/** Step 2 "Connect account": a fresh authorization request; the browser then goes to the returned provider URL. */
export async function startOAuthAction(input: { uuid: string }): Promise<TActionResult<{ url: string }>> {
  const parsed = ZStart.safeParse(input);
  if (!parsed.success) return { ok: false, error: { code: "invalid_request", message: "The request was malformed. Reload the page and try again." } };
  const guard = await guardAdmin();
  if (!guard.ok) return guard;
  const redirectUri = oauthRedirectUri();
  const result = await authorizationUrl({ orgId: guard.operator.orgId, actor: actorOf(guard.operator) }, { uuid: parsed.data.uuid, redirectUri });
  return result.ok ? { ok: true, data: result.value } : { ok: false, error: result.error };
}
