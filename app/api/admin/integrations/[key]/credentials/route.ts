import { readJsonBody } from "@/lib/admin-api/http";
import { runApiCall } from "@/lib/admin-api/pipeline";
import { runToolOverHttp } from "@/lib/admin-api/run-tool";
import { ZSetCredentialsBody } from "@/lib/admin-api/schemas";
import { describeIssues } from "@/lib/admin-api/tools/define-tool";
import { adminRemoveIntegrationCredentials, adminSetIntegrationCredentials } from "@/lib/admin-api/tools/admin-tools";

export const dynamic = "force-dynamic";

type TParams = { params: Promise<{ key: string }> };

/** PUT: set or rotate the credential of `{key}` (body `{"value": …}`). */
export async function PUT(req: Request, { params }: TParams): Promise<Response> {
  const { key } = await params;
  return runApiCall(req, {
    surface: "rest",
    route: "PUT /api/admin/integrations/{key}/credentials",
    operation: adminSetIntegrationCredentials.name,
    handle: (ctx) =>
      runToolOverHttp(adminSetIntegrationCredentials, ctx, async () => {
        const body = await readJsonBody(req);
        if (!body.ok) return body;
        const parsed = ZSetCredentialsBody.safeParse(body.value, { reportInput: false });
        if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
        return { ok: true, value: { integration_key: key, value: parsed.data.value } };
      }),
  });
}

/** DELETE: deactivate `{key}`; idempotent (200 whether or not credentials existed). */
export async function DELETE(req: Request, { params }: TParams): Promise<Response> {
  const { key } = await params;
  return runApiCall(req, {
    surface: "rest",
    route: "DELETE /api/admin/integrations/{key}/credentials",
    operation: adminRemoveIntegrationCredentials.name,
    handle: (ctx) => runToolOverHttp(adminRemoveIntegrationCredentials, ctx, async () => ({ ok: true, value: { integration_key: key } })),
  });
}
