import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { logger } from "@/lib/logger";
import { errorBody, MESSAGES, type TApiOutcome } from "./errors";
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

/**
 * What a handler that threw answers: JSON-RPC InternalError with a generic
 * message and a reference, never the error's own text (a driver's message
 * can quote a parameter); the reference and the error's class go to the log.
 */
function internalError(operation: string, err: unknown): Error & { code: number; data: { code: "internal_error"; reference: string } } {
  const reference = randomUUID();
  logger.error("mcp request failed", { tool: operation, reference, error: (err as Error)?.name ?? "unknown" });
  // A plain Error (McpError would prefix its message): the SDK answers with its code, message and data.
  const message = `internal_error: ${MESSAGES.internal} Reference: ${reference}.`;
  return Object.assign(new Error(message), { code: ErrorCode.InternalError, data: { code: "internal_error" as const, reference } });
}

function newServer(ctx: TToolContext, record: (r: TCallRecord) => void): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    try {
      return { tools: toolsFor(ctx.principal.scope).map(toolListing) };
    } catch (err) {
      record({ operation: "tools/list", errorCode: "internal_error", parameters: {} });
      throw internalError("tools/list", err);
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    const tool = findTool(request.params.name);
    if (!tool) {
      record({ operation: "unknown_tool", errorCode: "not_found", parameters: {} });
      return toolResult({ ok: false, error: { code: "not_found", message: "There is no tool with that name; tools/list names them." } });
    }
    const parameters = tool.meteredParams(args);
    try {
      const outcome = await tool.invoke(ctx, args);
      record({ operation: tool.name, errorCode: outcome.ok ? null : outcome.error.code, parameters });
      return toolResult(outcome);
    } catch (err) {
      record({ operation: tool.name, errorCode: "internal_error", parameters });
      throw internalError(tool.name, err);
    }
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
    // A handler's failure travels as a JSON-RPC error; the HTTP status says so too (and the metering row counts it as failed).
    if (call.errorCode === "internal_error") return { response: new Response(response.body, { status: 500, headers: response.headers }), ...call };
    return { response, ...call };
  } catch (err) {
    const error = internalError(call.operation, err);
    const response = json(500, { jsonrpc: "2.0", id: null, error: { code: error.code, message: error.message, data: error.data } });
    return { response, ...call, errorCode: "internal_error" };
  } finally {
    await server.close();
  }
}

/** GET would open a server-to-client SSE stream; a stateless server has nothing to send on it. */
export function mcpMethodNotAllowed(): Response {
  return json(405, { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: POST JSON-RPC messages to this endpoint." }, id: null }, { Allow: "POST" });
}
