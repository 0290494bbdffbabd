"use client";

import { signOut } from "next-auth/react";

// The answer to an activity report (session-activity.tsx) carries a renewed
// session cookie. One still in flight when the operator signs out would land
// after the sign-out had cleared the cookie and sign them straight back in
// (the Sign out click itself is activity: its pointerdown sends a report). So
// signing out stops the reports and waits for the one in flight first.

let inFlight: Promise<void> | null = null;
let stopped = false;

/** Sends one report unless one is in flight or the operator is signing out; `send` handles its own errors. */
export function sendActivityReport(send: () => Promise<void>): void {
  if (stopped || inFlight) return;
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
