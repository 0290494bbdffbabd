import "server-only";
import type { z } from "zod";
import { API_ERROR_STATUS, ERROR_TEXT, type TApiErrorCode } from "./errors";
import { MAX_BODY_BYTES } from "./http";
import { jsonSchemaOf } from "./json-schema";
import { ZErrorBody, ZIntegrationKeyParam, ZSetCredentialsBody } from "./schemas";
import { ZConnectionUuidParam, ZConsumerConnection, ZConsumerCredentials, ZProxyBody } from "@/lib/consumer-api/schemas";
import { adminListIntegrations, adminRemoveIntegrationCredentials, adminSetIntegrationCredentials } from "./tools/admin-tools";
import { TOOLS, type TTool } from "./tools";

// /api/openapi.json, generated from the zod schemas the handlers parse with
// (zod 4's JSON Schema output, draft 2020-12 as OpenAPI 3.1 uses).

function schema(s: z.ZodType, io: "input" | "output" = "output"): Record<string, unknown> {
  return jsonSchemaOf(s, { target: "draft-2020-12", io });
}


function errors(codes: TApiErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, TApiErrorCode[]>();
  // Every API route can answer these: a key check, the per-key budget, and a failure of ours (errors.ts).
  for (const c of [...codes, "unauthorized", "rate_limited", "internal_error"] as TApiErrorCode[]) {
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
      "500": {
        description:
          `\`internal_error\`: ${ERROR_TEXT.internal_error}. A failure inside an MCP request answers a JSON-RPC error object (code -32603, ` +
          "`data.code` `internal_error` and a `data.reference` for the server log); one before the request was read (the key check) answers the Error body.",
        content: {
          "application/json": {
            schema: { oneOf: [{ $ref: "#/components/schemas/Error" }, { type: "object", description: "A JSON-RPC 2.0 error response." }] },
          },
        },
      },
    },
  },
});

const UUID_PARAM = { name: "uuid", in: "path", required: true, description: ZConnectionUuidParam.description, schema: { type: "string" } };
const CONSUMER_ERRORS: TApiErrorCode[] = ["forbidden_scope", "not_found", "connection_unusable", "internal_error"];
const CONSUMER_NOTE =
  "Consumer-scoped keys only (admin and user keys get `forbidden_scope`). A connection not on the key's allow-list, of another organization, " +
  "unknown, or not a uuid at all answers the same 404. Served by the data plane in front of the web app (no session, no cookies).";

function consumerPaths(): Record<string, unknown> {
  const json = (s: z.ZodType) => ({ "200": { description: "OK", content: { "application/json": { schema: schema(s) } } } });
  return {
    "/api/v1/connections/{uuid}": {
      parameters: [UUID_PARAM],
      get: {
        operationId: "getConnection",
        tags: ["Consumer API"],
        summary: "A connection's metadata and status (never its secrets)",
        description: CONSUMER_NOTE,
        responses: { ...json(ZConsumerConnection), ...errors(CONSUMER_ERRORS) },
      },
    },
    "/api/v1/connections/{uuid}/credentials": {
      parameters: [UUID_PARAM],
      post: {
        operationId: "getConnectionCredentials",
        tags: ["Consumer API"],
        summary: "The connection's credentials, an OAuth access token refreshed first when it is about to expire",
        description: `${CONSUMER_NOTE} Every successful read is counted and audited (credentials_read, one row per key, connection and minute, with the count).`,
        responses: { ...json(ZConsumerCredentials), ...errors([...CONSUMER_ERRORS, "upstream_failed"]) },
      },
    },
    "/api/v1/connections/{uuid}/proxy": {
      parameters: [UUID_PARAM],
      post: {
        operationId: "proxyConnectionRequest",
        tags: ["Consumer API"],
        summary: "Switchboard makes the call with the connection's credentials; the consumer never holds them",
        description:
          `${CONSUMER_NOTE} Only the connection's own hosts are reached; redirects are returned, not followed. ` +
          "OAuth: refreshed ahead of expiry, and after an upstream 401 refreshed once and retried once. " +
          "The answer is the upstream's status, body and safe headers (content type, ETag, rate-limit headers…; never Set-Cookie); " +
          "a credential the upstream echoes back is replaced by <redacted>. The body is passed on as it arrives (chunked). The request body, " +
          "the upstream's answer and its time, body included, are capped (SWITCHBOARD_PROXY_MAX_REQUEST_BYTES, SWITCHBOARD_PROXY_MAX_RESPONSE_BYTES, " +
          "SWITCHBOARD_PROXY_TIMEOUT_SECONDS): a cap reached before the first byte of the body went out answers 502 upstream_failed, " +
          "one reached later closes the connection before the chunked body ends (an incomplete answer, never a shorter complete-looking one).",
        requestBody: { required: true, content: { "application/json": { schema: schema(ZProxyBody, "input") } } },
        responses: {
          "2XX": { description: "Any status: the upstream's answer, passed through." },
          ...errors([...CONSUMER_ERRORS, "invalid_request", "host_not_allowed", "upstream_failed"]),
        },
      },
    },
  };
}

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard admin integration API and consumer API",
      version: "1.0.0",
      description:
        "Configure integrations from scripts, automation and AI agents (admin API, MCP, Power Automate): credential values go in and never come out; " +
        `request bodies are at most ${MAX_BODY_BYTES} bytes. Consumer services read a connection's credentials, or have Switchboard make the call, ` +
        "with a consumer key limited to the connections it was given (/api/v1). The organization always comes from the API key.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    tags: [{ name: "Admin integrations" }, { name: "Power Automate" }, { name: "MCP" }, { name: "Consumer API" }],
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
      ...consumerPaths(),
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
