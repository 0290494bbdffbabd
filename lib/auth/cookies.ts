import type { CookiesOptions } from "next-auth";
import { publicUrlIsHttps } from "@/lib/env";

// next-auth's cookies, named by whether the public URL (NEXTAUTH_URL) is https.
// On https every cookie gets the __Host- prefix: the browser then accepts it
// only with Secure, Path=/ and no Domain, so neither a sibling subdomain nor a
// plain-http page can plant or overwrite a session or CSRF cookie. On http
// (local use) the plain names. No "server-only": proxy.ts reads the names.

const NAMES = {
  sessionToken: "next-auth.session-token",
  callbackUrl: "next-auth.callback-url",
  csrfToken: "next-auth.csrf-token",
  pkceCodeVerifier: "next-auth.pkce.code_verifier",
  state: "next-auth.state",
  nonce: "next-auth.nonce",
} as const;

const FIFTEEN_MINUTES = 15 * 60;

export function authCookies(https: boolean = publicUrlIsHttps()): CookiesOptions {
  const prefix = https ? "__Host-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure: https };
  const short = { ...options, maxAge: FIFTEEN_MINUTES };
  return {
    sessionToken: { name: `${prefix}${NAMES.sessionToken}`, options },
    callbackUrl: { name: `${prefix}${NAMES.callbackUrl}`, options },
    csrfToken: { name: `${prefix}${NAMES.csrfToken}`, options },
    pkceCodeVerifier: { name: `${prefix}${NAMES.pkceCodeVerifier}`, options: short },
    state: { name: `${prefix}${NAMES.state}`, options: short },
    nonce: { name: `${prefix}${NAMES.nonce}`, options },
  };
}

/** Whether a cookie is (a chunk of) a session token under either naming; next-auth splits large tokens into `.0`, `.1`, … */
export function isSessionCookie(name: string): boolean {
  return [false, true].some((https) => {
    const session = authCookies(https).sessionToken.name;
    return name === session || name.startsWith(`${session}.`);
  });
}
