import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily, once) so `next build` never reads the data directory.
async function handler(req: Request, ctx: RouteContext) {
  const params = await ctx.params;
  // next-auth accepts anonymous log lines from browsers at /_log whenever a
  // custom logger is set; nobody gets to write into the server log.
  if (params.nextauth?.[0] === "_log") return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  return NextAuth(req as never, { params } as never, authOptions());
}

export { handler as GET, handler as POST };
