"use client";

import { signOut } from "next-auth/react";

// The answer to an activity report (session-activity.tsx) carries a renewed
// session cookie. One still in flight when the operator signs out would land
// after the sign-out had cleared the cookie and sign them straight back in
// (the Sign out click itself is activity: its pointerdown sends a report);
// one landing after a password change had replaced the cookie would put the
// ended session back and sign them out. So those changes wait for the report
// in flight first, and no report starts while they run.

let inFlight: Promise<void> | null = null;
let stopped = false;
let paused = 0;

/** Sends one report unless one is in flight or the session cookie is being replaced; `send` handles its own errors. */
export function sendActivityReport(send: () => Promise<void>): void {
  if (stopped || paused > 0 || inFlight) return;
  inFlight = send().finally(() => {
    inFlight = null;
  });
}

/** Signs this browser out once no activity report can renew the session any more. */
export async function signOutAfterReports(): Promise<void> {
  stopped = true;
  await inFlight;
  await signOut({ callbackUrl: "/login" });
}

/** Runs `change`, which replaces the session cookie, once no activity report is in flight, and with none started meanwhile. */
export async function withActivityReportsPaused<T>(change: () => Promise<T>): Promise<T> {
  paused += 1;
  try {
    await inFlight;
    return await change();
  } finally {
    paused -= 1;
  }
}
