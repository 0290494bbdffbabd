import "server-only";
import { apiFail, MESSAGES } from "./errors";
import { errorResponse, outcomeResponse, type TBody } from "./http";
import type { THandled } from "./pipeline";
import type { TTool, TToolContext } from "./tools";

/**
 * REST and Power Automate: the scope is checked before the body is read (a
 * user-scoped key gets 403 whatever it sends), then the tool runs on the
 * arguments and the outcome becomes the HTTP answer.
 */
export async function runToolOverHttp(tool: TTool, ctx: TToolContext, readArgs: () => Promise<TBody>): Promise<THandled> {
  const handled = (outcome: ReturnType<typeof apiFail>, parameters: Record<string, unknown> = {}): THandled => ({
    response: outcome.ok ? outcomeResponse(outcome) : errorResponse(outcome.error),
    operation: tool.name,
    errorCode: outcome.ok ? null : outcome.error.code,
    parameters,
  });
  if (tool.access === "admin" && ctx.principal.scope !== "admin") return handled(apiFail("forbidden_admin_scope", MESSAGES.forbiddenAdmin));
  const args = await readArgs();
  if (!args.ok) return handled(apiFail("invalid_request", args.message));
  const outcome = await tool.invoke(ctx, args.value);
  return handled(outcome, tool.meteredParams(args.value));
}
