import { errorResponse, readJsonBody } from "@/lib/admin-api/http";
import { runApiCall } from "@/lib/admin-api/pipeline";
import { runToolOverHttp } from "@/lib/admin-api/run-tool";
import { findTool } from "@/lib/admin-api/tools";

export const dynamic = "force-dynamic";

/** POST /api/powerautomate/{tool}: the MCP tools as plain REST, body = the tool's arguments. */
export async function POST(req: Request, { params }: { params: Promise<{ tool: string }> }): Promise<Response> {
  const { tool: name } = await params;
  const tool = findTool(name);
  return runApiCall(req, {
    surface: "powerautomate",
    route: "POST /api/powerautomate/{tool}",
    operation: tool?.name ?? "unknown_tool",
    handle: async (ctx) => {
      if (!tool) {
        const response = errorResponse({ code: "not_found", message: "There is no tool with that name; GET /api/openapi.json lists them." });
        return { response, operation: "unknown_tool", errorCode: "not_found", parameters: {} };
      }
      return runToolOverHttp(tool, ctx, () => readJsonBody(req, { emptyAs: {} }));
    },
  });
}
