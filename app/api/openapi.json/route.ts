import { json } from "@/lib/admin-api/http";
import { openApiDocument } from "@/lib/admin-api/openapi";
import { publicBaseUrl } from "@/lib/http/public-url";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 description of the admin API (public: it describes, it grants nothing). */
export async function GET(): Promise<Response> {
  return json(200, openApiDocument(publicBaseUrl()));
}
