// Every failure the client reports is a SwitchboardError: the API's own
// `{"error":{"code","message"}}` with its HTTP status, or a client-side code
// (network_error, timeout, invalid_response) with status 0.

export type SwitchboardErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden_scope"
  | "not_found"
  | "host_not_allowed"
  | "connection_unusable"
  | "rate_limited"
  | "internal_error"
  | "upstream_failed"
  | "network_error"
  | "timeout"
  | "invalid_response"
  | (string & {});

export class SwitchboardError extends Error {
  readonly code: SwitchboardErrorCode;
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** How long the server asked to wait (429/503 with Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made, retries included. */
  readonly attempts: number;

  constructor(init: { code: SwitchboardErrorCode; message: string; status: number; retryAfterMs?: number; attempts?: number; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "SwitchboardError";
    this.code = init.code;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

function isErrorBody(v: unknown): v is { error: { code: string; message: string } } {
  const e = (v as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined;
  return typeof e === "object" && e !== null && typeof e.code === "string" && typeof e.message === "string";
}

/** The error an unsuccessful answer stands for (reads the body). */
export async function errorFromResponse(res: Response, attempts: number, retryAfterMs: number | undefined): Promise<SwitchboardError> {
  const text = await res.text().catch(() => "");
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: described below by status only (the body may be a proxy's HTML page)
  }
  if (isErrorBody(body)) return new SwitchboardError({ ...body.error, status: res.status, retryAfterMs, attempts });
  return new SwitchboardError({ code: res.status >= 500 ? "internal_error" : "invalid_response", message: `Switchboard answered HTTP ${res.status} without an error body`, status: res.status, retryAfterMs, attempts });
}
