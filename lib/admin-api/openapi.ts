import "server-only";
import type { z } from "zod";
import { API_ERROR_STATUS, ERROR_TEXT, type TApiErrorCode } from "./errors";
import { MAX_BODY_BYTES } from "./http";
import { jsonSchemaOf } from "./json-schema";
import { ZErrorBody, ZIntegrationKeyParam, ZSetCredentialsBody } from "./schemas";
import { adminListIntegrations, adminRemoveIntegrationCredentials, adminSetIntegrationCredentials } from "./tools/admin-tools";
import { TOOLS, type TTool } from "./tools";

// /api/openapi.json, generated from the zod schemas the handlers parse with
// (zod 4's JSON Schema output, draft 2020-12 as OpenAPI 3.1 uses).

function schema(s: z.ZodType, io: "input" | "output" = "output"): Record<string, unknown> {
  return jsonSchemaOf(s, { target: "draft-2020-12", io });
}


function errors(codes: TApiErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, TApiErrorCode[]>();
  for (const c of [...codes, "unauthorized", "rate_limited"] as TApiErrorCode[]) {
    const list = byStatus.get(API_ERROR_STATUS[c]) ?? [];
    if (!list.includes(c)) list.push(c);
    byStatus.set(API_ERROR_STATUS[c], list);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `\`${c}\`: ${ERROR_TEXT[c]}`).join("; "),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        ...(status === 429 ? { headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } } } : {}),
      },
    ]),
  );
}

function ok(tool: TTool): Record<string, unknown> {
  return { "200": { description: "OK", content: { "application/json": { schema: schema(tool.output) } } } };
}

const KEY_PARAM = { name: "key", in: "path", required: true, description: ZIntegrationKeyParam.description, schema: schema(ZIntegrationKeyParam, "input") };
const ADMIN_ERRORS: TApiErrorCode[] = ["forbidden_admin_scope"];
const TOOL_ERRORS: Record<string, TApiErrorCode[]> = {
  [adminSetIntegrationCredentials.name]: ["invalid_request", "integration_disabled", "invalid_credentials", "forbidden_admin_scope", "integration_not_found"],
  [adminRemoveIntegrationCredentials.name]: ["invalid_request", "forbidden_admin_scope", "integration_not_found"],
  [adminListIntegrations.name]: ADMIN_ERRORS,
};

function toolPath(tool: TTool): Record<string, unknown> {
  return {
    post: {
      operationId: `powerautomate_${tool.name}`,
      tags: ["Power Automate"],
      summary: tool.title,
      description: `${tool.description}\n\nThe body is the tool's arguments (as for the MCP tool \`${tool.name}\`).`,
      requestBody: { required: false, content: { "application/json": { schema: schema(tool.input, "input") } } },
      responses: { ...ok(tool), ...errors([...(TOOL_ERRORS[tool.name] ?? ["invalid_request", "not_found"])]) },
    },
  };
}

const MCP_POST = (summary: string, parameters: unknown[] = []) => ({
  post: {
    tags: ["MCP"],
    summary,
    description:
      "Model Context Protocol over Streamable HTTP (stateless, JSON responses). Send one JSON-RPC message per request: `initialize`, `tools/list`, `tools/call` (a batch array is refused with 400 and error -32600). " +
      `Tools: ${TOOLS.map((t) => `\`${t.name}\`${t.access === "admin" ? " (admin keys)" : ""}`).join(", ")}. ` +
      "Admin tools are not listed for other keys, and calling one answers `forbidden_admin_scope`.",
    parameters,
    requestBody: { required: true, content: { "application/json": { schema: { type: "object", description: "A JSON-RPC 2.0 request." } } } },
    responses: {
      "200": { description: "A JSON-RPC response." },
      "202": { description: "A notification was accepted." },
      "400": { description: "Not JSON (-32700), or a JSON-RPC batch (-32600): a JSON-RPC error object." },
      ...errors([]),
    },
  },
});

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard admin integration API",
      version: "1.0.0",
      description:
        "Configure integrations from scripts, automation and AI agents. The organization always comes from the API key. " +
        `Credential values go in and never come out. Request bodies are at most ${MAX_BODY_BYTES} bytes.`,
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    tags: [{ name: "Admin integrations" }, { name: "Power Automate" }, { name: "MCP" }],
    paths: {
      "/api/admin/integrations": {
        get: {
          operationId: "listIntegrations",
          tags: ["Admin integrations"],
          summary: adminListIntegrations.title,
          description: adminListIntegrations.description,
          responses: { ...ok(adminListIntegrations), ...errors(ADMIN_ERRORS) },
        },
      },
      "/api/admin/integrations/{key}/credentials": {
        parameters: [KEY_PARAM],
        put: {
          operationId: "setIntegrationCredentials",
          tags: ["Admin integrations"],
          summary: adminSetIntegrationCredentials.title,
          description: adminSetIntegrationCredentials.description,
          requestBody: { required: true, content: { "application/json": { schema: schema(ZSetCredentialsBody, "input") } } },
          responses: { ...ok(adminSetIntegrationCredentials), ...errors(TOOL_ERRORS[adminSetIntegrationCredentials.name]!) },
        },
        delete: {
          operationId: "removeIntegrationCredentials",
          tags: ["Admin integrations"],
          summary: adminRemoveIntegrationCredentials.title,
          description: adminRemoveIntegrationCredentials.description,
          responses: { ...ok(adminRemoveIntegrationCredentials), ...errors(TOOL_ERRORS[adminRemoveIntegrationCredentials.name]!) },
        },
      },
      ...Object.fromEntries(TOOLS.map((t) => [`/api/powerautomate/${t.name}`, toolPath(t)])),
      "/api/mcp": MCP_POST("MCP endpoint (key in the Authorization header)"),
      "/api/ai/{key}/mcp": MCP_POST("MCP endpoint with the key in the path (for clients that take only a URL)", [
        { name: "key", in: "path", required: true, description: "The API key. Never logged: recorded as <redacted>.", schema: { type: "string" } },
      ]),
    },
    components: {
      schemas: { Error: schema(ZErrorBody) },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "`Authorization: Bearer swb_…`" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" },
      },
    },
  };
}
