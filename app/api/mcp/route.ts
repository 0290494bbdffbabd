import { handleMcpPost, mcpMethodNotAllowed } from "@/lib/admin-api/mcp";
import { runApiCall } from "@/lib/admin-api/pipeline";

export const dynamic = "force-dynamic";

/** MCP over Streamable HTTP; the key comes as `Authorization: Bearer` (or x-api-key). */
export async function POST(req: Request): Promise<Response> {
  return runApiCall(req, { surface: "mcp", route: "POST /api/mcp", operation: "mcp", handle: (ctx) => handleMcpPost(req, ctx) });
}

export const GET = mcpMethodNotAllowed;
export const DELETE = mcpMethodNotAllowed;
