"use client";

import { signOut } from "next-auth/react";

// The answer to an activity report (session-activity.tsx) carries a renewed
// session cookie. One still in flight when the operator signs out would land
// after the sign-out had cleared the cookie and sign them straight back in
// (the Sign out click itself is activity: its pointerdown sends a report);
// one landing after a password change had replaced the cookie would put the
// ended session back and sign them out. So those changes wait for the report
// in flight first, and no report starts while they run.

/** A report not answered by then is abandoned (its signal aborts the fetch), so a sign-out never waits longer. */
const REPORT_TIMEOUT_MS = 5_000;

let inFlight: Promise<void> | null = null;
let stopped = false;
let paused = 0;

/**
 * Sends one report unless one is in flight or the session cookie is being replaced. `send` passes the signal to
 * its fetch (a fetch started after the timeout is refused at once) and handles its own errors.
 */
export function sendActivityReport(send: (signal: AbortSignal) => Promise<void>): void {
  if (stopped || paused > 0 || inFlight) return;
  inFlight = send(AbortSignal.timeout(REPORT_TIMEOUT_MS)).finally(() => {
    inFlight = null;
  });
}

/** Resolves once no report in flight can still be answered: when it settles, or at its timeout. */
async function reportsSettled(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([inFlight, new Promise((resolve) => (timer = setTimeout(resolve, REPORT_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/** Signs this browser out once no activity report can renew the session any more. */
export async function signOutAfterReports(): Promise<void> {
  stopped = true;
  if (inFlight) await reportsSettled();
  await signOut({ callbackUrl: "/login" });
}

/** Runs `change`, which replaces the session cookie, once no activity report is in flight, and with none started meanwhile. */
export async function withActivityReportsPaused<T>(change: () => Promise<T>): Promise<T> {
  paused += 1;
  try {
    if (inFlight) await reportsSettled();
    return await change();
  } finally {
    paused -= 1;
  }
}
