import "server-only";
import { API_ERROR_STATUS, errorBody, type TApiError, type TApiOutcome } from "./errors";

// Small HTTP helpers of the admin API: JSON answers that are never cached, and
// request bodies read with a size cap (a chunked body has no Content-Length).

export const MAX_BODY_BYTES = 64 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function errorResponse(error: TApiError, headers: Record<string, string> = {}): Response {
  const retry: Record<string, string> = error.retryAfterSeconds !== undefined ? { "Retry-After": String(error.retryAfterSeconds) } : {};
  return json(API_ERROR_STATUS[error.code], errorBody(error), { ...retry, ...headers });
}

export function outcomeResponse(outcome: TApiOutcome): Response {
  return outcome.ok ? json(200, outcome.body) : errorResponse(outcome.error);
}

export type TBody = { ok: true; value: unknown } | { ok: false; message: string };

/** The request's JSON body; `emptyAs` stands in for an empty body (e.g. {} for a tool without parameters). */
export async function readJsonBody(req: Request, opts: { emptyAs?: unknown } = {}): Promise<TBody> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false, message: `The body is larger than ${MAX_BODY_BYTES} bytes.` };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return { ok: false, message: `The body is larger than ${MAX_BODY_BYTES} bytes.` };
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return { ok: false, message: "The body is not valid UTF-8." };
  }
  if (text.trim() === "") return "emptyAs" in opts ? { ok: true, value: opts.emptyAs } : { ok: false, message: "The body is empty: send a JSON object." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: "The body is not valid JSON." };
  }
}
