import { runApiCall } from "@/lib/admin-api/pipeline";
import { runToolOverHttp } from "@/lib/admin-api/run-tool";
import { adminListIntegrations } from "@/lib/admin-api/tools/admin-tools";

export const dynamic = "force-dynamic";

/** GET /api/admin/integrations: the catalog joined with the key's organization's state. */
export async function GET(req: Request): Promise<Response> {
  return runApiCall(req, {
    surface: "rest",
    route: "GET /api/admin/integrations",
    operation: adminListIntegrations.name,
    handle: (ctx) => runToolOverHttp(adminListIntegrations, ctx, async () => ({ ok: true, value: {} })),
  });
}
