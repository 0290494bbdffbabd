import { z } from "zod";
import { CONNECTION_STATUSES } from "@/lib/integrations/connection-value";

// The one change event: a connection's status changed. It carries the uuid
// and the status only (plus the org, so each listener can keep to its own
// organization); readers fetch anything else from the service.

/** A constant, lowercase channel name (PGlite uses channel names unquoted). */
export const CONNECTION_CHANNEL = "switchboard_connection_changes";

export const ZConnectionChange = z.object({
  orgId: z.uuid(),
  uuid: z.uuid(),
  status: z.enum(CONNECTION_STATUSES),
});
export type TConnectionChange = z.infer<typeof ZConnectionChange>;

/** What a subscriber hears: a change, or that the stream dropped (changes may be missed) or resumed (read again to catch up). */
export type TConnectionSignal = { type: "change"; change: TConnectionChange } | { type: "dropped" } | { type: "resumed" };

export function encodeChange(change: TConnectionChange): string {
  return JSON.stringify({ o: change.orgId, u: change.uuid, s: change.status });
}

export function decodeChange(payload: string | undefined): TConnectionChange | null {
  try {
    const raw = JSON.parse(payload ?? "") as { o?: unknown; u?: unknown; s?: unknown };
    const parsed = ZConnectionChange.safeParse({ orgId: raw.o, uuid: raw.u, status: raw.s });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
