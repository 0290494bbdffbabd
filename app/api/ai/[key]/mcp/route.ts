import { handleMcpPost, mcpMethodNotAllowed } from "@/lib/admin-api/mcp";
import { runApiCall } from "@/lib/admin-api/pipeline";
import { AI_MCP_ROUTE } from "@/lib/telemetry/redact-params";

export const dynamic = "force-dynamic";

/**
 * MCP for clients that can only be given a URL: the key is the path segment.
 * It is never logged or metered: the route is recorded as /api/ai/<redacted>/mcp.
 */
export async function POST(req: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  const { key } = await params;
  return runApiCall(req, { surface: "mcp", route: `POST ${AI_MCP_ROUTE}`, operation: "mcp", pathKey: key, handle: (ctx) => handleMcpPost(req, ctx) });
}

export const GET = mcpMethodNotAllowed;
export const DELETE = mcpMethodNotAllowed;
