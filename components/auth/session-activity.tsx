"use client";

import { useEffect } from "react";
import { getCsrfToken } from "next-auth/react";
import { sendActivityReport } from "./activity-reports";

/**
 * Reports the operator's activity (a click, a key press, opening a page) to
 * the server at most once per `pingSeconds`, as a next-auth session update,
 * which moves the session's idle clock (lib/auth/session-policy.ts). Pages
 * refreshing themselves are not activity, so a tab left open still times out.
 * Signing out waits for a report in flight (activity-reports.ts).
 */
export function SessionActivity({ pingSeconds }: { pingSeconds: number }) {
  useEffect(() => {
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < pingSeconds * 1000) return;
      last = now;
      sendActivityReport(async (signal) => {
        try {
          const csrfToken = await getCsrfToken();
          await fetch("/api/auth/session", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ csrfToken, data: {} }),
            signal,
          });
        } catch {
          last = 0; // offline for a moment: the next activity tries again
        }
      });
    };
    report();
    const options = { capture: true, passive: true } as const;
    window.addEventListener("pointerdown", report, options);
    window.addEventListener("keydown", report, options);
    return () => {
      window.removeEventListener("pointerdown", report, options);
      window.removeEventListener("keydown", report, options);
    };
  }, [pingSeconds]);
  return null;
}
