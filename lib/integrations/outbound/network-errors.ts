import "server-only";
import { OutboundError } from "./errors";

// One reading of socket-level failures for every outbound protocol (HTTP,
// SMTP, PostgreSQL, SSH), so the operator sees the same words for the same
// problem. Messages name the host and port the operator typed, never more.

const TLS_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ETIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ECONNECTIONTIMEOUT"]);

/** The first `code` found along an error's cause chain. */
export function errorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

export function seconds(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** An OutboundError for a failed connection to `host:port` (an OutboundError passes through unchanged). */
export function describeNetworkError(err: unknown, where: { host: string; port: number; timeoutMs: number }): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = errorCode(err);
  const target = `${where.host}:${where.port}`;
  if (code && TLS_CODES.has(code)) {
    const what = code === "ERR_TLS_CERT_ALTNAME_INVALID" ? "is not valid for this host name" : code.includes("EXPIRED") ? "has expired" : code === "EPROTO" || code === "ERR_SSL_WRONG_VERSION_NUMBER" ? "could not be negotiated (is this the TLS port?)" : "is not trusted";
    return new OutboundError("tls_failed", `The TLS certificate of ${target} ${what}.`, { cause: err });
  }
  if ((code && TIMEOUT_CODES.has(code)) || (err as Error)?.name === "TimeoutError" || (err as Error)?.name === "AbortError") {
    return new OutboundError("timeout", `Could not reach ${target} within ${seconds(where.timeoutMs)}.`, { cause: err });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new OutboundError("dns_failed", `The host name ${where.host} could not be resolved.`, { cause: err });
  if (code && UNREACHABLE_CODES.has(code)) return new OutboundError("unreachable", `Could not connect to ${target}.`, { cause: err });
  return new OutboundError("unreachable", `The connection to ${target} failed.`, { cause: err });
}
