import "server-only";
import * as oauth from "oauth4webapi";
import { OutboundError } from "@/lib/integrations/outbound/fetch";

// One error type for everything that can go wrong in a protocol step, with a
// message an operator can act on. Messages name the step and the provider's
// error code, never a token, code, state or secret.

export type TOAuthFailureCode =
  | "not_oauth"
  | "setup_incomplete"
  | "insecure_endpoint"
  | "invalid_grant"
  | "provider_error"
  | "invalid_response"
  | "unreachable"
  | "no_refresh_token"
  | "issuer_mismatch"
  | "rate_limited";

export type TOAuthStep = "discovery" | "token" | "refresh" | "userinfo" | "revocation" | "authorization";

const STEP_LABEL: Record<TOAuthStep, string> = {
  discovery: "reading the provider's metadata",
  token: "exchanging the authorization code",
  refresh: "refreshing the access token",
  userinfo: "reading the connected account",
  revocation: "revoking the token",
  authorization: "the authorization answer",
};

/** Provider-supplied text is cut short and stripped of control characters (it is shown, escaped, on the form). */
export function cleanProviderText(text: unknown, max = 200): string | null {
  if (typeof text !== "string") return null;
  const cleaned = text.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return cleaned === "" ? null : cleaned.slice(0, max);
}

export class OAuthFailure extends Error {
  constructor(
    readonly code: TOAuthFailureCode,
    message: string,
    readonly providerError: string | null = null,
    /** rate_limited: seconds until another attempt is accepted. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "OAuthFailure";
  }

  static from(err: unknown, step: TOAuthStep): OAuthFailure {
    if (err instanceof OAuthFailure) return err;
    const label = STEP_LABEL[step];
    if (err instanceof oauth.ResponseBodyError || err instanceof oauth.AuthorizationResponseError) {
      const code = cleanProviderText(err.error, 64) ?? "error";
      const description = cleanProviderText(err.error_description);
      const text = `The provider refused ${label}: ${code}${description ? ` — ${description}` : ""}.`;
      return new OAuthFailure(code === "invalid_grant" ? "invalid_grant" : "provider_error", text, code);
    }
    if (err instanceof oauth.WWWAuthenticateChallengeError) {
      return new OAuthFailure("provider_error", `The provider refused ${label} (HTTP ${err.status}).`, err.cause[0]?.parameters.error ?? null);
    }
    if (err instanceof OutboundError) return new OAuthFailure("unreachable", `Error while ${label}: ${err.message}`);
    if (err instanceof oauth.OperationProcessingError || err instanceof oauth.UnsupportedOperationError) {
      return new OAuthFailure("invalid_response", `The provider's answer while ${label} was not valid OAuth: ${cleanProviderText(err.message)}`);
    }
    if (err instanceof TypeError) return new OAuthFailure("invalid_response", `Error while ${label}: ${cleanProviderText(err.message)}`);
    return new OAuthFailure("invalid_response", `Unexpected error while ${label}.`);
  }
}
