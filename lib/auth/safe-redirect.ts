import "server-only";

const BASE = "http://switchboard.invalid";

/**
 * The same-site path to go to after sign-in, or `fallback`. Anything a browser
 * could read as another origin ("//evil", "/\evil", "https://evil", control
 * characters) is refused: an open redirect would hand a fresh session's first
 * page to someone else's site.
 */
export function safeRedirectPath(input: string | undefined, fallback: string): string {
  if (!input || !input.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(input)) return fallback;
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || input.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
