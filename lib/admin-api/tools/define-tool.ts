import "server-only";
import type { z } from "zod";
import type { TApiPrincipal } from "@/lib/api-keys/types";
import type { TServiceContext } from "@/lib/integrations/service";
import { apiFail, MESSAGES, type TApiOutcome } from "@/lib/admin-api/errors";
import { redactParams } from "@/lib/telemetry/redact-params";

// One tool = one operation of the admin API. MCP lists and calls tools, the
// Power Automate facade posts to /api/powerautomate/{tool}, and the REST
// routes call the same tools: one implementation behind every surface.

export type TToolContext = { principal: TApiPrincipal; service: TServiceContext };

type TToolSpec<S extends z.ZodObject> = {
  name: string;
  title: string;
  description: string;
  /** "admin": admin-scoped keys only; "read": any key (consumer keys see only their connections). */
  access: "admin" | "read";
  input: S;
  output: z.ZodType;
  /** Parameters replaced by "<redacted>" in telemetry and logs. */
  sensitive: readonly string[];
  run(ctx: TToolContext, input: z.output<S>): Promise<TApiOutcome>;
};

export type TTool = Omit<TToolSpec<z.ZodObject>, "run"> & {
  /** Checks the scope, then parses `args` (403 before 400), then runs. */
  invoke(ctx: TToolContext, args: unknown): Promise<TApiOutcome>;
  /** What metering and logs may keep of `args`: declared parameters only, sensitive ones redacted. */
  meteredParams(args: unknown): Record<string, unknown>;
};

/**
 * Input problems as "parameter: message". Parsed with reportInput off, the
 * messages hold no submitted values; the path is cut to its first segment, a
 * declared parameter (an object schema drops unknown keys), because deeper
 * segments can be a caller's own keys (the fields of a `value` object).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const [first, ...rest] = i.path;
      const where = typeof first === "string" ? `${first}${rest.length ? " (a nested field)" : ""}` : "body";
      return `${where}: ${i.message}`;
    })
    .join("; ");
}

export function defineTool<S extends z.ZodObject>(spec: TToolSpec<S>): TTool {
  const policy = { declared: Object.keys(spec.input.shape), sensitive: spec.sensitive };
  return {
    ...spec,
    meteredParams: (args) => redactParams(args, policy),
    async invoke(ctx, args) {
      if (spec.access === "admin" && ctx.principal.scope !== "admin") return apiFail("forbidden_admin_scope", MESSAGES.forbiddenAdmin);
      const parsed = spec.input.safeParse(args ?? {}, { reportInput: false });
      if (!parsed.success) return apiFail("invalid_request", describeIssues(parsed.error));
      return spec.run(ctx, parsed.data);
    },
  };
}
