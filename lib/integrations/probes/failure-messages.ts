import "server-only";
import { OutboundError } from "@/lib/integrations/outbound";
import { failed, type TProbeOutcome } from "./types";

// Turning HTTP answers and outbound errors into the sentences an operator
// reads. `detail` is the provider's own error text (scrubbed of secrets
// later, in run-probe.ts).

function withDetail(sentence: string, detail: string | undefined): string {
  const d = detail?.replace(/\s+/g, " ").trim().slice(0, 200);
  return d ? `${sentence}: ${d.replace(/[.!]$/, "")}.` : `${sentence}.`;
}

/** A non-2xx answer from a provider, worded by status. */
export function httpFailure(opts: { providerName: string; credential: string; status: number; detail?: string }): TProbeOutcome {
  const { providerName: p, credential: c, status, detail } = opts;
  if (status === 401) return failed("rejected", withDetail(`${p} rejected the ${c} (401)`, detail));
  if (status === 403) return failed("forbidden", withDetail(`${p} refused the ${c} (403); it may lack a permission this test needs`, detail));
  if (status === 404) return failed("not_found", withDetail(`${p} answered 404 Not Found; check the ${c} and the other fields`, detail));
  if (status === 429) return failed("provider_rate_limited", `${p} is rate-limiting requests (429); the ${c} may be fine, try again later.`);
  if (status >= 500) return failed("provider_error", `${p} had a server error (${status}); try again later.`);
  return failed("rejected", withDetail(`${p} refused the request (${status})`, detail));
}

/** An OutboundError (refused target, timeout, TLS…) as a probe outcome. */
export function outboundFailure(err: OutboundError): TProbeOutcome {
  return failed(err.code, err.message);
}

export function isOutboundError(err: unknown): err is OutboundError {
  return err instanceof OutboundError;
}
