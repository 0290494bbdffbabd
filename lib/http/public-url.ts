import "server-only";
import { env } from "@/lib/env";

/**
 * The app's public base URL for the OAuth redirect URI, copy-paste examples (API keys page, API docs)
 * and the OpenAPI `servers` entry: NEXTAUTH_URL, which the server sets to
 * http://localhost:PORT when it is not configured. Never anything from the
 * request: a Host or X-Forwarded-Host header is the caller's to choose, and
 * would end up in commands people paste into a shell with their key.
 */
export function publicBaseUrl(): string {
  const e = env();
  return (e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}
