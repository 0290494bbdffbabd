import "server-only";
import { OutboundError } from "./errors";
import { describeNetworkError } from "./network-errors";

// The body of an outbound answer, capped as it is read: a declared
// Content-Length over the cap is refused before anything is returned; past
// the cap while it streams, or past the call's deadline (even while nobody
// reads), the stream errors with an OutboundError and the upstream body is
// cancelled. `release` runs once when the body is done, whichever way
// (finished, failed, cancelled by its reader): outboundFetch frees the
// connection there, never before.

type TWhere = { host: string; port: number; timeoutMs: number };
export type TBodyLimits = { maxBytes: number; signal: AbortSignal; where: TWhere };

function tooLarge(where: TWhere, maxBytes: number): OutboundError {
  return new OutboundError("too_large", `The answer from ${where.host} was larger than ${maxBytes} bytes.`);
}

/** The upstream's body as a capped stream; throws OutboundError "too_large" for a declared length over the cap. */
export async function cappedBody(
  body: ReadableStream<Uint8Array>,
  contentLength: string | null,
  limits: TBodyLimits,
  release: () => void,
): Promise<ReadableStream<Uint8Array>> {
  const { maxBytes, signal, where } = limits;
  if (Number(contentLength ?? "0") > maxBytes) {
    await body.cancel().catch(() => undefined);
    release();
    throw tooLarge(where, maxBytes);
  }
  const reader = body.getReader();
  // The deadline's reason (a TimeoutError) read as every other outbound timeout is.
  const lateError = () => describeNetworkError(signal.reason, where);
  let total = 0;
  let open = true;
  let onAbort: () => void = () => undefined;
  /** Ends the upstream side once; false when it already was. */
  const close = (): boolean => {
    if (!open) return false;
    open = false;
    signal.removeEventListener("abort", onAbort);
    reader.cancel().catch(() => undefined);
    release();
    return true;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // The deadline also holds while the reader waits (a slow consumer): the stream errors at once.
        onAbort = () => void (close() && controller.error(lateError()));
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      },
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          if (close()) controller.error(signal.aborted ? lateError() : describeNetworkError(err, where));
          return;
        }
        if (!open) return;
        if (chunk.done) {
          close();
          controller.close();
          return;
        }
        total += chunk.value.byteLength;
        if (total > maxBytes) {
          close();
          controller.error(tooLarge(where, maxBytes));
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Reads a body to its end (its cap and deadline included); rejects with the stream's error. */
export async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}
