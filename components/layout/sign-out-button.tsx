"use client";

import { signOutAfterReports } from "@/components/auth/activity-reports";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOutAfterReports()}
      className="text-sm text-zinc-600 underline-offset-2 hover:underline dark:text-zinc-400"
    >
      Sign out
    </button>
  );
}
