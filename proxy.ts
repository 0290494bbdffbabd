import { NextResponse, type NextRequest } from "next/server";
import { isSessionCookie } from "@/lib/auth/cookies";
import { env, publicUrlIsHttps } from "@/lib/env";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/http/security-headers";

// Runs before every page and route handler (static build files and the public
// icons aside):
// 1. a per-request CSP nonce: Next.js reads it from the request's
//    Content-Security-Policy header and puts it on its scripts; the same
//    policy goes on the response, plus HSTS when the public URL is https;
// 2. an optimistic check for a better redirect: /admin without a session
//    cookie goes to /login with the page it asked for, so sign-in returns
//    there. The real checks (valid session, role, org) run in the admin
//    layout and in every server action.
export function proxy(request: NextRequest) {
  if (!isDecodable(request.nextUrl.pathname)) return new NextResponse("Not found", { status: 404 });
  const https = publicUrlIsHttps();
  const csp = contentSecurityPolicy({ nonce: newNonce(), dev: env().NODE_ENV === "development", https });

  const response = needsSignIn(request) ? redirectToLogin(request) : continueWithCsp(request, csp);
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

/** A path with a stray "%" or invalid UTF-8 names nothing; Next's route matching would answer 500 (vercel/next.js#92527). */
function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function needsSignIn(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  if (path !== "/admin" && !path.startsWith("/admin/")) return false;
  return !request.cookies.getAll().some((c) => isSessionCookie(c.name));
}

function redirectToLogin(request: NextRequest): NextResponse {
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(login);
}

function continueWithCsp(request: NextRequest, csp: string): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but the build's static files and the files in public/.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
