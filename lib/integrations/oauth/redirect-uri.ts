import "server-only";
import { publicBaseUrl } from "@/lib/http/public-url";

const CALLBACK_PATH = "/api/oauth/callback";

/**
 * The exact redirect URI operators register with an OAuth provider, built
 * from the app's configured public URL (NEXTAUTH_URL; `npm start` sets it)
 * and never from request headers, which a client can forge.
 */
export function oauthRedirectUri(): string {
  return `${publicBaseUrl()}${CALLBACK_PATH}`;
}
