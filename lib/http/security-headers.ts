import "server-only";
import { randomBytes } from "node:crypto";

// The per-request security headers, set by proxy.ts on every page and route
// (the static ones — X-Frame-Options, nosniff, Referrer-Policy,
// Permissions-Policy — are in next.config.mjs).
//
// Scripts: only those carrying this request's nonce, and what they load
// ('strict-dynamic'); Next.js reads the nonce from the request's CSP header and
// puts it on its own scripts. Styles: 'unsafe-inline', because React renders
// style attributes and sonner injects its stylesheet at run time, neither of
// which a nonce can cover (and with a nonce in style-src, browsers ignore
// 'unsafe-inline'). Images: data: for the provider logos, which are inline SVG
// data URIs.

/** A fresh, unguessable nonce for one response (128 bits, base64). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export type TCspOptions = { nonce: string; dev: boolean; https: boolean };

export function contentSecurityPolicy({ nonce, dev, https }: TCspOptions): string {
  const directives = [
    "default-src 'self'",
    // React's development build uses eval for its error overlays; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** HSTS for a public URL on https: browsers then never try plain http for two years. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
