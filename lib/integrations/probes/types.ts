import type { Provider } from "@/lib/integrations/providers/types";

// What every probe returns: a verdict a person can read, how long it took,
// and facts about the account on success. Never a secret: run-probe.ts
// scrubs every secret value from the message and the facts.

export const PROBE_CODES = [
  "ok",
  "rejected",
  "forbidden",
  "check_failed",
  "not_found",
  "provider_error",
  "provider_rate_limited",
  "target_refused",
  "timeout",
  "unreachable",
  "dns_failed",
  "tls_failed",
  "too_large",
  "too_many_redirects",
  "insecure_redirect",
  "invalid_input",
  "not_connected",
  "no_probe",
  "failed",
] as const;
export type TProbeCode = (typeof PROBE_CODES)[number];

export type TProbeAccount = { id?: string; name?: string; email?: string };

export type TProbeResult = {
  ok: boolean;
  code: TProbeCode;
  message: string;
  durationMs: number;
  /** Label → value, shown after the test ("Models available: 42"). */
  facts: Record<string, string>;
  account?: TProbeAccount;
};

/** A probe's verdict before timing and scrubbing. */
export type TProbeOutcome = Omit<TProbeResult, "durationMs">;

/** Setup fields and secrets merged (for OAuth also the obtained tokens). */
export type TProbeValues = Record<string, string>;

/** `deadline` aborts when the whole test's time is up: a probe closes its socket then (run-probe.ts stops waiting anyway). */
export type TProbe = (provider: Provider, values: TProbeValues, deadline: AbortSignal) => Promise<TProbeOutcome>;

export function passed(message: string, facts: Record<string, string> = {}, account?: TProbeAccount): TProbeOutcome {
  return { ok: true, code: "ok", message, facts, ...(account ? { account } : {}) };
}

export function failed(code: Exclude<TProbeCode, "ok">, message: string, facts: Record<string, string> = {}): TProbeOutcome {
  return { ok: false, code, message, facts };
}

/** Per-probe time budget: each protocol step and the whole call stay within it. */
export const PROBE_TIMEOUT_MS = 10_000;
