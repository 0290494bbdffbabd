import { NextResponse, type NextRequest } from "next/server";
import { actorOf, guardAdmin } from "@/lib/auth/session";
import { oauthRedirectUri } from "@/lib/integrations/oauth/redirect-uri";
import { completeAuthorization } from "@/lib/integrations/service";
import { callbackErrorPage } from "./error-page";

// The redirect URI registered with every OAuth provider. Thin: check the
// operator (an admin, right now), hand the query to the service, send the
// browser back to the connection's form. Whatever happens, the answer is
// never cached, never leaks this URL (code, state) as a referrer, and the
// page the browser lands on carries neither.

export const dynamic = "force-dynamic";

const NO_LEAK = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } as const;
const MAX_PARAM = 4096;

export async function GET(request: NextRequest): Promise<Response> {
  const incoming = new URL(request.url).searchParams;
  const base = oauthRedirectUri();
  const guard = await guardAdmin();
  if (!guard.ok) {
    const status = guard.error.code === "unauthorized" ? 401 : 403;
    return callbackErrorPage({ status, title: "Not connected", message: guard.error.message, base, headers: NO_LEAK });
  }
  // Only the parameters of an authorization response, each of a sane size.
  const params = new URLSearchParams();
  for (const key of ["code", "state", "iss", "error", "error_description", "error_uri", "session_state", "scope"]) {
    const value = incoming.get(key);
    if (value !== null) params.set(key, value.slice(0, MAX_PARAM));
  }
  const ctx = { orgId: guard.operator.orgId, actor: actorOf(guard.operator) };
  const outcome = await completeAuthorization(ctx, { params });
  if (!outcome.uuid) {
    const message = outcome.result.ok ? "Connected." : outcome.result.error.message;
    return callbackErrorPage({ status: 400, title: "Not connected", message, base, headers: NO_LEAK });
  }
  const form = new URL(`/admin/settings/integrations/${outcome.uuid}`, base);
  if (outcome.noticeId) form.searchParams.set("oauth", outcome.noticeId);
  else if (!outcome.result.ok) form.searchParams.set("oauth_error", outcome.result.error.message.includes("expired") ? "expired" : "used");
  return NextResponse.redirect(form, { status: 303, headers: NO_LEAK });
}
