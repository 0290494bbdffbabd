import { describe, expect, it } from "vitest";
import { API_ERROR_STATUS } from "@/lib/admin-api/errors";
import { openApiDocument } from "@/lib/admin-api/openapi";
import { MAX_VALUE_LENGTH } from "@/lib/admin-api/schemas";
import { TOOLS } from "@/lib/admin-api/tools";
import { toolListing } from "@/lib/admin-api/mcp";

describe("the OpenAPI document and the MCP tool listing", () => {
  const doc = openApiDocument("https://switchboard.example") as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, unknown>> };

  it("describes every endpoint and every tool, with schemas from the handlers' zod", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://switchboard.example" }]);
    for (const t of TOOLS) expect(doc.paths[`/api/powerautomate/${t.name}`], t.name).toBeDefined();
    const put = JSON.stringify(doc.paths["/api/admin/integrations/{key}/credentials"]!.put);
    expect(put).toContain(`"maxLength":${MAX_VALUE_LENGTH}`);
    expect(put).toContain('"minLength":1');
    for (const code of ["invalid_request", "integration_disabled", "invalid_credentials", "forbidden_admin_scope", "integration_not_found", "unauthorized", "rate_limited"]) {
      expect(put).toContain(code);
    }
    expect(Object.keys(API_ERROR_STATUS)).toContain("forbidden_admin_scope");
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });

  it("lists the 500 internal_error answer on every admin, Power Automate and MCP operation", () => {
    const ops = [
      doc.paths["/api/admin/integrations"]!.get,
      doc.paths["/api/admin/integrations/{key}/credentials"]!.put,
      doc.paths["/api/admin/integrations/{key}/credentials"]!.delete,
      ...TOOLS.map((t) => doc.paths[`/api/powerautomate/${t.name}`]!.post),
      doc.paths["/api/mcp"]!.post,
      doc.paths["/api/ai/{key}/mcp"]!.post,
    ] as { responses: Record<string, { description: string; content: unknown }> }[];
    expect(API_ERROR_STATUS.internal_error).toBe(500);
    for (const op of ops) {
      expect(op.responses["500"]?.description).toContain("`internal_error`");
      expect(JSON.stringify(op.responses["500"]?.content)).toContain("#/components/schemas/Error");
    }
    expect(doc.paths["/api/mcp"]!.post).toMatchObject({ responses: { "500": { description: expect.stringContaining("JSON-RPC error object") } } });
  });

  it("describes the consumer API's three endpoints with the same error shape", () => {
    const meta = doc.paths["/api/v1/connections/{uuid}"]!.get as { responses: Record<string, unknown> };
    const creds = doc.paths["/api/v1/connections/{uuid}/credentials"]!.post as { responses: Record<string, { content?: unknown }> };
    const proxy = doc.paths["/api/v1/connections/{uuid}/proxy"]!.post as { requestBody: unknown; responses: Record<string, unknown> };
    for (const op of [meta, creds, proxy]) {
      for (const status of ["401", "403", "404", "429"]) expect(JSON.stringify(op.responses[status])).toContain("#/components/schemas/Error");
    }
    const props = (r: unknown) => Object.keys((r as { content: { "application/json": { schema: { properties: object } } } }).content["application/json"].schema.properties);
    expect(props(meta.responses["200"])).not.toContain("credentials");
    expect(props(creds.responses["200"])).toEqual(["uuid", "provider", "authType", "credentials", "expiresAt"]);
    expect(JSON.stringify(proxy.requestBody)).toContain('"required":["method","path"]');
    expect(JSON.stringify(proxy.responses)).toContain("host_not_allowed");
    expect(JSON.stringify(proxy.responses["502"])).toContain("upstream_failed");
    expect(JSON.stringify(creds.responses["403"])).toContain("forbidden_scope");
  });

  it("lists each tool's input as a JSON Schema object, the sensitive value described as such", () => {
    const set = toolListing(TOOLS.find((t) => t.name === "admin_set_integration_credentials")!);
    expect(set.inputSchema).toMatchObject({ type: "object", required: ["integration_key", "value"] });
    expect(JSON.stringify(set.inputSchema)).toContain("redacted from telemetry");
    expect(set.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    expect(toolListing(TOOLS.find((t) => t.name === "list_providers")!).annotations).toMatchObject({ readOnlyHint: true });
  });
});
