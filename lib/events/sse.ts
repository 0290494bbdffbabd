import "server-only";
import { subscribeConnectionChanges } from "@/lib/events/service/listener";
import type { TConnectionSignal } from "@/lib/events/connection-change";

// The browser's end of the change events: a Server-Sent Events stream of one
// organization's status changes. Events: `ready` (listening; after a
// reconnect the page re-reads), `status` ({ uuid, status }), `resync` (the
// server's own stream to the database resumed after a drop: re-read),
// `dropped` (changes may be late until `resync`), `reauth` (the session is
// checked again: the server then closes the stream and the page re-reads,
// which lands on the sign-in page if the session has ended). A comment every
// 20 s keeps proxies from closing an idle stream. Every `recheckMs` (30 s by
// default, SWITCHBOARD_LIVE_SESSION_RECHECK_SECONDS) the session that opened
// the stream is re-checked (`isStillValid`), so a signed-out, revoked or idle
// session stops receiving within that interval; a failed check (the database
// unreachable) ends the stream as well.

const HEARTBEAT_MS = 20_000;

export type TConnectionEventsOptions = {
  orgId: string;
  signal: AbortSignal;
  isStillValid: () => Promise<boolean>;
  /** Called once when the stream ends, however it ends (frees its slot). */
  onClose: () => void;
  recheckMs: number;
};

export function connectionEventsResponse(opts: TConnectionEventsOptions): Response {
  const encoder = new TextEncoder();
  let cleanup: () => void = () => undefined;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const event = (name: string, data: unknown) => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      const onSignal = (s: TConnectionSignal) => {
        if (s.type === "change") {
          if (s.change.orgId === opts.orgId) event("status", { uuid: s.change.uuid, status: s.change.status });
        } else event(s.type === "resumed" ? "resync" : "dropped", {});
      };
      send("retry: 2000\n\n");
      let unsubscribe: () => void = () => undefined;
      const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      let checking = false;
      const recheck = setInterval(() => {
        if (checking || closed) return;
        checking = true;
        opts
          .isStillValid()
          .catch(() => false)
          .then((valid) => {
            checking = false;
            if (valid) return;
            event("reauth", {});
            cleanup();
          });
      }, opts.recheckMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        opts.onClose();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      opts.signal.addEventListener("abort", cleanup, { once: true });
      try {
        const off = await subscribeConnectionChanges(onSignal);
        // Ended while subscribing: cleanup has run without this subscription.
        if (closed) return off();
        unsubscribe = off;
      } catch {
        event("dropped", {});
        return cleanup();
      }
      if (opts.signal.aborted) return cleanup();
      event("ready", {});
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: keeps the response out of compression, which would buffer it.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
