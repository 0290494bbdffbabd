import { NextResponse, type NextRequest } from "next/server";

// An optimistic check only, for a better redirect: a request to /admin with
// no session cookie goes to /login with the page it asked for, so sign-in
// returns there. The real checks (valid session, role, org) run in the admin
// layout and in every server action.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/** A path with a stray "%" or invalid UTF-8 names nothing; Next's route matching would answer 500 (vercel/next.js#92527). */
function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function proxy(request: NextRequest) {
  if (!isDecodable(request.nextUrl.pathname)) return new NextResponse("Not found", { status: 404 });
  if (!request.nextUrl.pathname.startsWith("/admin")) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/admin/:path*", "/api/:path*"] };
