"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";

type TLiveState = "connecting" | "live" | "reconnecting";

/**
 * Keeps the page's server components current from the server's change
 * events (Server-Sent Events at /api/events/connections, fed by PostgreSQL
 * LISTEN/NOTIFY, so a change made through any instance arrives). A status
 * event re-renders the page in place (router.refresh keeps client state such
 * as a half-typed form); after a dropped stream the page is re-read once the
 * stream is back, since changes may have been missed in between. A stream
 * refused for too many open tabs (429) is retried with the same backoff.
 */
export function LiveRefresh() {
  const router = useRouter();
  const [state, setState] = useState<TLiveState>("connecting");
  useEffect(() => {
    let source: EventSource | null = null;
    let missed = false;
    let refreshTimer: number | undefined;
    let retryTimer: number | undefined;
    let retries = 0;
    const refresh = () => {
      window.clearTimeout(refreshTimer);
      // Changes arriving together cost one re-render.
      refreshTimer = window.setTimeout(() => router.refresh(), 30);
    };
    const open = () => {
      source = new EventSource("/api/events/connections");
      source.addEventListener("ready", () => {
        retries = 0;
        setState("live");
        if (missed) {
          missed = false;
          refresh();
        }
      });
      source.addEventListener("status", refresh);
      source.addEventListener("resync", () => {
        setState("live");
        refresh();
      });
      source.addEventListener("dropped", () => setState("reconnecting"));
      // The server re-checked the session and closes the stream: re-read the
      // page (the sign-in page if the session has ended); the browser reopens
      // the stream with its current cookie.
      source.addEventListener("reauth", refresh);
      source.onerror = () => {
        missed = true;
        setState("reconnecting");
        // The browser retries by itself unless the server refused the stream (e.g. signed out).
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retryTimer = window.setTimeout(open, Math.min(30_000, 2_000 * 2 ** retries++));
        }
      };
    };
    open();
    return () => {
      source?.close();
      window.clearTimeout(refreshTimer);
      window.clearTimeout(retryTimer);
    };
  }, [router]);
  return <span hidden data-live-updates={state} />;
}
