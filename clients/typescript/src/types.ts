// The consumer API's shapes (GET/POST /api/v1/connections/{uuid}…), as the
// client returns them. Timestamps are ISO 8601 strings, as on the wire.

export type Connection = {
  uuid: string;
  /** Provider key, e.g. "github", "openai". */
  provider: string;
  name: string;
  authType: string;
  status: string;
  lastValidatedAt: string | null;
  validationStatus: string | null;
  connectedAt: string | null;
  expiresAt: string | null;
};

export type Credentials = {
  uuid: string;
  provider: string;
  authType: string;
  /** The secret fields by name (e.g. `{ apiKey }` or `{ accessToken }`). Keep them in memory only. */
  credentials: Record<string, string>;
  expiresAt: string | null;
};

/** What Switchboard should send upstream on the consumer's behalf (it adds the authentication). */
export type ProxyInit = {
  method?: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
  /**
   * A path starting with "/", appended to the provider's API base URL (e.g. "/models"), or an
   * absolute URL on one of the connection's hosts (anything else is refused, nothing is sent).
   */
  path: string;
  query?: Record<string, string | number | boolean | string[]>;
  /** Sent upstream; Authorization, Cookie, Proxy-Authorization and Host are dropped (Switchboard adds the connection's auth). */
  headers?: Record<string, string>;
  /** A string is sent as is; an object or array as JSON (content-type application/json unless given). */
  body?: string | Record<string, unknown> | unknown[];
  /** Cancels the call (and any wait between retries). */
  signal?: AbortSignal;
};

export type SwitchboardClientOptions = {
  /** Where Switchboard runs, e.g. "https://switchboard.example.com". */
  baseUrl: string;
  /** A consumer-scoped API key. Sent as `Authorization: Bearer …`; never logged or put in an error. */
  apiKey: string;
  /** A fetch implementation (defaults to the global fetch). */
  fetch?: typeof fetch;
  /** Retries after the first attempt on 429, 5xx and (idempotent calls) network errors. Default 3. */
  retries?: number;
  /** Per-attempt time limit. Default 10 000 ms. */
  timeoutMs?: number;
  /** First backoff delay without Retry-After; doubles per retry. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry. A Retry-After beyond it is not waited for: the error is thrown. Default 30 000 ms. */
  maxRetryDelayMs?: number;
  /** Testing hooks: how to wait, the clock (ms since the epoch) and the jitter source (0 ≤ x < 1). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
};
