import "server-only";
import type { LoggerInstance } from "next-auth";
import { logger } from "@/lib/logger";

// next-auth's own logger prints multi-line stack traces (a forged or stale
// session cookie gives a 15-line JWT_SESSION_ERROR). This one writes a single
// JSON line through lib/logger.ts: the code and the error's name and first
// line of message, never a stack, metadata object or anything token-shaped.

const MAX_MESSAGE = 200;
// Runs of token alphabet long enough to be a JWT, a JWE part or a cookie value.
const TOKEN_LIKE = /[A-Za-z0-9_\-.~+/=]{24,}/g;

/** Codes that mean "this request's session is not valid": expected, not a server fault. */
const SESSION_REJECTED = new Set(["JWT_SESSION_ERROR", "SESSION_ERROR"]);

function describe(metadata: unknown): string | undefined {
  const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
  if (!(error instanceof Error)) return undefined;
  const firstLine = (error.message.split("\n")[0] ?? "").replace(TOKEN_LIKE, "<redacted>").slice(0, MAX_MESSAGE);
  return `${error.name || "Error"}: ${firstLine}`;
}

export const nextAuthLogger: LoggerInstance = {
  error(code, metadata) {
    const fields = { errorCode: code, error: describe(metadata) };
    if (SESSION_REJECTED.has(code)) logger.info("auth: session cookie rejected", fields);
    else logger.error("auth: next-auth error", fields);
  },
  warn(code) {
    logger.warn("auth: next-auth warning", { errorCode: code });
  },
  debug(code) {
    logger.debug("auth: next-auth debug", { errorCode: code });
  },
};
