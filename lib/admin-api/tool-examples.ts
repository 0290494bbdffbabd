import "server-only";
import { jsonSchemaOf } from "./json-schema";
import { VALUE_PLACEHOLDER } from "./snippets";
import type { TTool } from "./tools";

// Example arguments for each tool, generated from its input schema (the one
// the server parses with): every required parameter, a sensitive one as a
// placeholder. tests/unit/tool-examples.test.ts parses each with its tool.

/** Values for parameters whose schema alone names no example (a catalog key the server always has). */
const EXAMPLE_VALUES: Record<string, string> = {
  integration_key: "openai",
  connection: "openai",
  provider: "openai",
};

type TProp = { enum?: unknown[]; examples?: unknown[] };

export function toolExampleArgs(tool: TTool): Record<string, unknown> {
  const schema = jsonSchemaOf(tool.input, { target: "draft-2020-12", io: "input" }) as { properties?: Record<string, TProp>; required?: string[] };
  const args: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const p = schema.properties?.[name] ?? {};
    if (tool.sensitive.includes(name)) args[name] = VALUE_PLACEHOLDER;
    else if (name in EXAMPLE_VALUES) args[name] = EXAMPLE_VALUES[name];
    else if (p.examples?.length) args[name] = p.examples[0];
    else if (p.enum?.length) args[name] = p.enum[0];
    else throw new Error(`toolExampleArgs: no example for ${tool.name}.${name}; add one to EXAMPLE_VALUES`);
  }
  return args;
}
