import { describe, expect, it } from "vitest";
import { KEY_PLACEHOLDER, VALUE_PLACEHOLDER, curlMcpToolCall, curlTool } from "@/lib/admin-api/snippets";
import { toolExampleArgs } from "@/lib/admin-api/tool-examples";
import { TOOLS } from "@/lib/admin-api/tools";

// The API docs page shows a copyable call for every tool, with arguments
// generated from the tool's own input schema: each must be one the server accepts.

describe("the API docs page's per-tool examples", () => {
  it.each(TOOLS.map((t) => [t.name, t] as const))("%s: the example arguments parse with the tool's input schema", (_name, tool) => {
    const args = toolExampleArgs(tool);
    expect(tool.input.safeParse(args).success).toBe(true);
    for (const name of tool.sensitive) if (name in args) expect(args[name]).toBe(VALUE_PLACEHOLDER);
    const required = (tool.input.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>);
    for (const [name, schema] of Object.entries(required)) if (!schema.safeParse(undefined).success) expect(args).toHaveProperty(name);
  });

  it("the set tool's example carries the value only as the placeholder, and both snippets name the tool and the key placeholder", () => {
    const set = TOOLS.find((t) => t.name === "admin_set_integration_credentials")!;
    expect(toolExampleArgs(set)).toEqual({ integration_key: "openai", value: VALUE_PLACEHOLDER });
    const pa = curlTool("https://sb.example", KEY_PLACEHOLDER, set.name, toolExampleArgs(set));
    const mcp = curlMcpToolCall("https://sb.example", KEY_PLACEHOLDER, set.name, toolExampleArgs(set));
    expect(pa).toContain("https://sb.example/api/powerautomate/admin_set_integration_credentials");
    expect(mcp).toContain('"method":"tools/call","params":{"name":"admin_set_integration_credentials","arguments":{"integration_key":"openai","value":"your-new-key"}}');
    for (const s of [pa, mcp]) expect(s).toContain(`Bearer ${KEY_PLACEHOLDER}`);
  });
});
