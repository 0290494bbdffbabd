import "server-only";
import { env } from "@/lib/env";

const CALLBACK_PATH = "/api/oauth/callback";

/**
 * The exact redirect URI operators register with an OAuth provider, built
 * from the app's configured public URL (NEXTAUTH_URL; `npm start` sets it)
 * and never from request headers, which a client can forge. `fallbackOrigin`
 * is used only when no URL is configured (`next dev`).
 */
export function oauthRedirectUri(fallbackOrigin: string): string {
  const base = env().NEXTAUTH_URL ?? fallbackOrigin;
  return new URL(CALLBACK_PATH, base).toString();
}
