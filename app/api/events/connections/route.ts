import { currentOperator } from "@/lib/auth/session";
import { connectionEventsResponse } from "@/lib/events/sse";

// Live status for the signed-in operator's organization (Server-Sent Events).
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const operator = await currentOperator();
  if (!operator) return Response.json({ error: { code: "unauthorized", message: "Sign in to receive live updates." } }, { status: 401 });
  return connectionEventsResponse({ orgId: operator.orgId, signal: request.signal });
}
