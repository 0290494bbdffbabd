import { SwitchboardError, errorFromResponse } from "./errors.js";
import { backoffDelay, defaultSleep, isRetryableStatus, parseRetryAfter } from "./retry.js";
import type { Connection, Credentials, ProxyInit, SwitchboardClientOptions } from "./types.js";

const VERSION = "0.1.0";
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

type TSend = {
  method: "GET" | "POST";
  path: string;
  body?: string;
  /** Safe to send again after a network error or a 5xx (the call may have been processed). */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Keep the timeout running until the body has been read (JSON calls) or stop it at the headers (streams). */
  timeoutCoversBody: boolean;
};

/**
 * A client for Switchboard's consumer API. One instance per API key; safe to
 * share between concurrent calls.
 *
 * The key lives in a private field: it is not enumerable, not in
 * `JSON.stringify(client)` nor in any error message, and never logged.
 */
export class SwitchboardClient {
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #retries: number;
  readonly #timeoutMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: SwitchboardClientOptions) {
    if (!options.apiKey) throw new TypeError("SwitchboardClient: apiKey is required");
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new TypeError("SwitchboardClient: baseUrl must be an absolute http(s) URL");
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new TypeError("SwitchboardClient: baseUrl must be an absolute http(s) URL");
    this.#apiKey = options.apiKey;
    this.#baseUrl = base.toString().replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#retries = Math.max(0, Math.floor(options.retries ?? 3));
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#baseDelayMs = options.retryBaseDelayMs ?? 200;
    this.#maxDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Metadata and status of a connection (no secrets). */
  async getConnection(uuid: string, options: { signal?: AbortSignal } = {}): Promise<Connection> {
    return this.#json<Connection>({ method: "GET", path: `/api/v1/connections/${segment(uuid)}`, idempotent: true, signal: options.signal, timeoutCoversBody: true });
  }

  /** The connection's current credentials (an OAuth token is refreshed first when it is about to expire). */
  async getCredentials(uuid: string, options: { signal?: AbortSignal } = {}): Promise<Credentials> {
    // A read: sending it again changes nothing, so network errors and 5xx are retried too.
    return this.#json<Credentials>({ method: "POST", path: `/api/v1/connections/${segment(uuid)}/credentials`, idempotent: true, signal: options.signal, timeoutCoversBody: true });
  }

  /**
   * Has Switchboard call the provider with the connection's credentials (the
   * token never reaches this process) and returns the answer as a Response,
   * body streamed. 429 is retried for every method; network errors and 5xx
   * only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE).
   */
  async request(uuid: string, init: ProxyInit): Promise<Response> {
    const method = init.method ?? "GET";
    const envelope: Record<string, unknown> = { method, path: init.path };
    if (init.query) envelope.query = Object.fromEntries(Object.entries(init.query).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
    if (init.headers) envelope.headers = init.headers;
    // Objects travel as JSON values: Switchboard serializes them and sets the content type.
    if (init.body !== undefined) envelope.body = init.body;
    return this.#send({
      method: "POST",
      path: `/api/v1/connections/${segment(uuid)}/proxy`,
      body: JSON.stringify(envelope),
      idempotent: IDEMPOTENT.has(method),
      signal: init.signal,
      timeoutCoversBody: false,
    });
  }

  async #json<T>(call: TSend): Promise<T> {
    const res = await this.#send(call);
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw this.#transportError(err, call, 1);
    }
  }

  /** One call with its retries. Resolves with a 2xx answer, or with the last answer for request(); throws SwitchboardError otherwise. */
  async #send(call: TSend): Promise<Response> {
    const raw = !call.timeoutCoversBody;
    for (let attempt = 1; ; attempt++) {
      const retriesLeft = attempt <= this.#retries;
      let res: Response;
      try {
        res = await this.#attempt(call);
      } catch (err) {
        if (call.signal?.aborted) throw call.signal.reason;
        const error = this.#transportError(err, call, attempt);
        if (!call.idempotent || !retriesLeft) throw error;
        await this.#sleep(backoffDelay(attempt - 1, this.#baseDelayMs, this.#maxDelayMs, this.#random), call.signal);
        continue;
      }
      if (res.ok) return res;
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), this.#now());
      const retryable = isRetryableStatus(res.status) && (res.status === 429 || call.idempotent);
      const tooLong = retryAfterMs !== undefined && retryAfterMs > this.#maxDelayMs;
      if (retryable && retriesLeft && !tooLong) {
        await res.body?.cancel().catch(() => undefined);
        await this.#sleep(retryAfterMs ?? backoffDelay(attempt - 1, this.#baseDelayMs, this.#maxDelayMs, this.#random), call.signal);
        continue;
      }
      if (raw) return res;
      throw await errorFromResponse(res, attempt, retryAfterMs);
    }
  }

  async #attempt(call: TSend): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new SwitchboardError({ code: "timeout", message: `no answer within ${this.#timeoutMs} ms`, status: 0 })), this.#timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}`, accept: "application/json", "user-agent": `switchboard-client-ts/${VERSION}` };
    if (call.body !== undefined) headers["content-type"] = "application/json";
    try {
      // No redirects: the key must only ever go to baseUrl (a 3xx comes back as an error).
      const res = await this.#fetch(`${this.#baseUrl}${call.path}`, { method: call.method, headers, body: call.body, signal, redirect: "manual" });
      if (!call.timeoutCoversBody || !res.ok) return res;
      // JSON calls: the time limit also covers reading the body.
      const text = await res.text();
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      clearTimeout(timer);
    }
  }

  #transportError(err: unknown, call: TSend, attempts: number): SwitchboardError {
    if (err instanceof SwitchboardError) return new SwitchboardError({ code: err.code, message: err.message, status: err.status, attempts });
    const timedOut = (err as Error | undefined)?.name === "AbortError" || (err as { cause?: unknown } | undefined)?.cause instanceof SwitchboardError;
    if (timedOut) return new SwitchboardError({ code: "timeout", message: `no answer within ${this.#timeoutMs} ms`, status: 0, attempts });
    if (err instanceof SyntaxError) return new SwitchboardError({ code: "invalid_response", message: "Switchboard answered with a body that is not JSON", status: 0, attempts });
    // The key travels in a header, never in the URL, so the cause's message cannot contain it.
    return new SwitchboardError({ code: "network_error", message: `could not reach Switchboard for ${call.method} ${call.path}`, status: 0, attempts, cause: err });
  }
}

/** A uuid as one path segment (anything else is the server's 404, never another path). */
function segment(uuid: string): string {
  if (typeof uuid !== "string" || uuid.length === 0) throw new TypeError("a connection uuid is required");
  return encodeURIComponent(uuid);
}
