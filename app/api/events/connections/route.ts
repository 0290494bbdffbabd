import { currentOperatorSession } from "@/lib/auth/session-recheck";
import { env } from "@/lib/env";
import { connectionEventsResponse } from "@/lib/events/sse";
import { connectionStreamSlots } from "@/lib/events/stream-slots";

// Live status for the signed-in operator's organization (Server-Sent Events).
// At most STREAMS_PER_USER open streams per user and STREAMS_PER_PROCESS in
// all per server process (lib/events/stream-slots.ts); one over is refused.
export const dynamic = "force-dynamic";

const RETRY_AFTER_SECONDS = "30";

function refused(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "retry-after": RETRY_AFTER_SECONDS } });
}

export async function GET(request: Request): Promise<Response> {
  const slots = connectionStreamSlots();
  if (slots.full()) return refused(503, "busy", "The server has too many live-update streams open. Try again shortly.");
  let session;
  try {
    session = await currentOperatorSession();
  } catch {
    return refused(503, "unavailable", "Live updates are unavailable right now. Try again shortly.");
  }
  if (!session) return Response.json({ error: { code: "unauthorized", message: "Sign in to receive live updates." } }, { status: 401 });
  const slot = slots.acquire(session.operator.userId);
  if (!slot.ok) {
    return slot.code === "busy"
      ? refused(503, "busy", "The server has too many live-update streams open. Try again shortly.")
      : refused(429, "too_many_streams", "Too many live-update streams are open for your account (at most 5). Close some tabs and reload.");
  }
  return connectionEventsResponse({
    orgId: session.operator.orgId,
    signal: request.signal,
    isStillValid: session.isStillValid,
    onClose: slot.release,
    recheckMs: env().SWITCHBOARD_LIVE_SESSION_RECHECK_SECONDS * 1000,
  });
}
