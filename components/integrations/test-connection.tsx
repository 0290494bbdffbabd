"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { UseFormReturn } from "react-hook-form";
import { testConnectionAction, testCredentialsAction } from "@/app/admin/settings/integrations/test-actions";
import { Button } from "@/components/ui/button";
import type { TProbeResult } from "@/lib/integrations/probes/types";

// Test Connection on the setup form: "Test connection" tests what is typed
// (stored secrets are filled in on the server, nothing is saved); after Save
// the saved connection is tested and the result recorded. The result is shown
// inline, in a live region so screen readers announce it.

type TTestState =
  | { phase: "idle" }
  | { phase: "running"; saved: boolean }
  | { phase: "done"; saved: boolean; result: TProbeResult }
  | { phase: "refused"; message: string };

export type TConnectionTester = {
  state: TTestState;
  testTyped(values: Record<string, string>, clear: string[]): Promise<Record<string, string> | undefined>;
  testSaved(): Promise<void>;
};

export function useConnectionTest(uuid: string): TConnectionTester {
  const router = useRouter();
  const [state, setState] = useState<TTestState>({ phase: "idle" });
  return {
    state,
    async testTyped(values, clear) {
      setState({ phase: "running", saved: false });
      const r = await testCredentialsAction({ uuid, values, clear });
      setState(r.ok ? { phase: "done", saved: false, result: r.data } : { phase: "refused", message: r.error.message });
      return r.ok ? undefined : r.error.fields;
    },
    async testSaved() {
      setState({ phase: "running", saved: true });
      const r = await testConnectionAction({ uuid });
      setState(r.ok ? { phase: "done", saved: true, result: r.data.result } : { phase: "refused", message: r.error.message });
      if (r.ok) router.refresh();
    },
  };
}

/** The form's "Test connection" button: tests the current values without saving them. */
export function TestConnectionButton(props: { tester: TConnectionTester; form: UseFormReturn<Record<string, string>>; clear: Set<string> }) {
  const running = props.tester.state.phase === "running";
  return (
    <Button
      variant="secondary"
      disabled={running}
      onClick={async () => {
        props.form.clearErrors();
        const fields = await props.tester.testTyped(props.form.getValues(), [...props.clear]);
        for (const [key, message] of Object.entries(fields ?? {})) props.form.setError(key, { message });
      }}
    >
      {running ? "Testing…" : "Test connection"}
    </Button>
  );
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The inline result; the live region exists before any result so its changes are announced. */
export function TestResultPanel({ tester }: { tester: TConnectionTester }) {
  const s = tester.state;
  return (
    <div role="status" aria-live="polite" aria-atomic="true" data-testid="test-result" data-outcome={s.phase === "done" ? (s.result.ok ? "ok" : "failed") : s.phase}>
      {s.phase === "running" && <p className="text-sm text-zinc-600 dark:text-zinc-400">{s.saved ? "Saved. Testing the connection…" : "Testing the connection…"}</p>}
      {s.phase === "refused" && <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">{s.message}</p>}
      {s.phase === "done" && (
        <div
          className={`rounded-md px-3 py-2 text-sm ${s.result.ok ? "bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
        >
          <p className="font-medium">
            {s.result.ok ? "Connection works." : "Connection test failed."} {s.saved ? "(saved settings)" : "(not saved)"}{" "}
            <span className="font-normal">in {duration(s.result.durationMs)}</span>
          </p>
          <p className="mt-1">{s.result.message}</p>
          {Object.keys(s.result.facts).length > 0 && (
            <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5">
              {Object.entries(s.result.facts).map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-xs opacity-80">{label}</dt>
                  <dd className="text-xs font-medium break-all">{value}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      )}
    </div>
  );
}
