import { z } from "zod";

/** zod 4's JSON Schema of `schema`, without the `$schema` line (embedded in MCP tool listings and OpenAPI). */
export function jsonSchemaOf(schema: z.ZodType, opts: { target: "draft-7" | "draft-2020-12"; io: "input" | "output" }): Record<string, unknown> {
  const out = z.toJSONSchema(schema, opts) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
