import "server-only";

const BASE = "http://switchboard.invalid";
const MAX_LENGTH = 2048;
// Backslashes (browsers read "/\host" as "//host"), control characters (the
// URL parser drops tabs and newlines, gluing "/\t/host" into "//host").
const FORBIDDEN = /[\\\u0000-\u001f\u007f]/;
// A scheme anywhere a browser could start reading one: "/https://x", "/javascript:…".
const SCHEME = /(^|\/)[a-z][a-z\d+.-]*:/i;

/** Every form a path may take on its way to the browser: as given, and percent-decoded (up to three times). */
function decodedForms(input: string): string[] | null {
  const forms = [input];
  let current = input;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null; // malformed escapes: nothing a real link of ours contains
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/** Same origin and not protocol-relative once the URL parser has resolved dot segments. */
function isSameOriginPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//") || FORBIDDEN.test(path)) return false;
  let url: URL;
  try {
    url = new URL(path, BASE);
  } catch {
    return false;
  }
  const resolved = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === BASE && !resolved.startsWith("//");
}

/**
 * The same-site path to go to after sign-in, or `fallback`. The result is the
 * normalised path, so it is checked after normalisation as well as before:
 * dot segments turn "/.//evil.com" into "//evil.com", which a browser reads as
 * another origin. Refused: anything that is not a path on this origin in its
 * given or percent-decoded form (protocol-relative, backslashes, control
 * characters, a scheme), and anything longer than any link of ours. An open
 * redirect would hand a fresh session's first page to someone else's site.
 */
export function safeRedirectPath(input: string | undefined, fallback: string): string {
  if (typeof input !== "string" || input.length > MAX_LENGTH) return fallback;
  const forms = decodedForms(input);
  if (!forms || forms.some((form) => SCHEME.test(form) || !isSameOriginPath(form))) return fallback;
  const url = new URL(input, BASE);
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  const normalisedForms = decodedForms(normalised);
  if (!normalisedForms || normalisedForms.some((form) => !isSameOriginPath(form))) return fallback;
  return normalised;
}
