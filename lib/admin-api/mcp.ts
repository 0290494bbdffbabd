import "server-only";
import type { z } from "zod";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorBody, type TApiOutcome } from "./errors";
import { json, readJsonBody } from "./http";
import { jsonSchemaOf } from "./json-schema";
import type { THandled } from "./pipeline";
import { findTool, toolsFor, type TTool, type TToolContext } from "./tools";

// The MCP server: the official SDK's low-level Server over its Web-standard
// Streamable HTTP transport, stateless (a server and transport per request)
// and answering in JSON. The low-level server lets tools/list show admin
// tools to admin keys only while a call to one by any other key still gets
// forbidden_admin_scope (instead of "unknown tool").

const SERVER_INFO = { name: "switchboard", version: "1.0.0" };

// Draft 7: what MCP clients (the SDK's Ajv included) validate with by default.
const jsonSchema = (schema: z.ZodType) => jsonSchemaOf(schema, { target: "draft-7", io: "input" });
const outputSchema = (schema: z.ZodType) => jsonSchemaOf(schema, { target: "draft-7", io: "output" });

export function toolListing(tool: TTool) {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input) as { type: "object"; [k: string]: unknown },
    outputSchema: outputSchema(tool.output) as { type: "object"; [k: string]: unknown },
    annotations: {
      title: tool.title,
      readOnlyHint: tool.access === "read",
      destructiveHint: tool.name === "admin_remove_integration_credentials",
      idempotentHint: tool.name !== "admin_set_integration_credentials",
      openWorldHint: false,
    },
  };
}

function toolResult(outcome: TApiOutcome): CallToolResult {
  if (outcome.ok) {
    const body = outcome.body as Record<string, unknown>;
    return { content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: body };
  }
  return { isError: true, content: [{ type: "text", text: JSON.stringify(errorBody(outcome.error)) }] };
}

type TCallRecord = { operation: string; errorCode: string | null; parameters: Record<string, unknown> };

function newServer(ctx: TToolContext, record: (r: TCallRecord) => void): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: toolsFor(ctx.principal.scope).map(toolListing) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    const tool = findTool(request.params.name);
    if (!tool) {
      record({ operation: "unknown_tool", errorCode: "not_found", parameters: {} });
      return toolResult({ ok: false, error: { code: "not_found", message: "There is no tool with that name; tools/list names them." } });
    }
    const outcome = await tool.invoke(ctx, args);
    record({ operation: tool.name, errorCode: outcome.ok ? null : outcome.error.code, parameters: tool.meteredParams(args) });
    return toolResult(outcome);
  });
  return server;
}

/** The JSON-RPC method of a request body, for metering. */
function methodOf(body: unknown): string {
  const method = (body as { method?: unknown } | null)?.method;
  return typeof method === "string" ? method.slice(0, 64) : "invalid";
}

// MCP 2025-06-18 removed JSON-RPC batching. Refusing a batch whole keeps one
// HTTP request = one authorised, rate-limited and metered call: N tool calls
// can never pass as one.
const BATCH_REFUSED = "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18); send one request per HTTP POST.";

/** One MCP POST (initialize, tools/list, tools/call …) for an authenticated key. */
export async function handleMcpPost(req: Request, ctx: TToolContext): Promise<THandled> {
  const body = await readJsonBody(req);
  if (!body.ok) {
    const response = json(400, { jsonrpc: "2.0", error: { code: -32700, message: `Parse error: ${body.message}` }, id: null });
    return { response, operation: "invalid", errorCode: "invalid_request", parameters: {} };
  }
  if (Array.isArray(body.value)) {
    const response = json(400, { jsonrpc: "2.0", id: null, error: { code: -32600, message: BATCH_REFUSED } });
    return { response, operation: "batch", errorCode: "invalid_request", parameters: {} };
  }
  let call: TCallRecord = { operation: methodOf(body.value), errorCode: null, parameters: {} };
  const server = newServer(ctx, (r) => (call = r));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(req, { parsedBody: body.value });
    return { response, ...call };
  } finally {
    await server.close();
  }
}

/** GET would open a server-to-client SSE stream; a stateless server has nothing to send on it. */
export function mcpMethodNotAllowed(): Response {
  return json(405, { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: POST JSON-RPC messages to this endpoint." }, id: null }, { Allow: "POST" });
}
