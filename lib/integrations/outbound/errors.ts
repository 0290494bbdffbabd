import "server-only";

// Errors of the outbound module. A refused target always carries the same
// message, whatever the reason (loopback, private, metadata, a redirect to
// one of those…): the answer must not tell an operator which internal
// addresses or ports exist.

export type TOutboundErrorCode =
  | "target_refused"
  | "timeout"
  | "too_large"
  | "too_many_redirects"
  | "insecure_redirect"
  | "unreachable"
  | "dns_failed"
  | "tls_failed";

export class OutboundError extends Error {
  constructor(
    readonly code: TOutboundErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutboundError";
  }
}

export const TARGET_REFUSED_MESSAGE =
  "Switchboard does not connect to this address: local, private and reserved networks are closed to outbound calls. An administrator can open a self-hosted service with SWITCHBOARD_OUTBOUND_ALLOW.";

export function refused(): OutboundError {
  return new OutboundError("target_refused", TARGET_REFUSED_MESSAGE);
}
