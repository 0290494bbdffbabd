import "server-only";
import { outboundFetch } from "@/lib/integrations/outbound";
import { isLoopbackHttp } from "@/lib/integrations/oauth/http";
import type { Provider } from "@/lib/integrations/providers/types";
import { fillTemplate } from "@/lib/integrations/providers/url-template";
import { httpFailure } from "./failure-messages";
import { displayValue, parseJson, readPath } from "./json-path";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeAccount, type TProbeOutcome, type TProbeValues } from "./types";

// OAuth connections: the provider's userinfo endpoint with the stored access
// token (refreshing an expired token belongs to the OAuth engine).

const FIRST = (body: unknown, paths: string[]) => paths.map((p) => displayValue(readPath(body, p))).find((v) => v !== undefined);

export async function oauthUserinfoProbe(provider: Provider, values: TProbeValues): Promise<TProbeOutcome> {
  const token = values.access_token;
  if (!token) return failed("not_connected", `Not connected yet: use Connect to sign in with ${provider.name} first.`);
  let url: string;
  try {
    url = fillTemplate(provider.oauth?.userinfoUrl ?? "", values);
    new URL(url);
  } catch {
    return failed("invalid_input", "Enter the userinfo URL to test this connection.");
  }
  // The access token travels with it: https only (plain http for loopback stand-ins).
  if (new URL(url).protocol !== "https:" && !isLoopbackHttp(url)) return failed("invalid_input", "The userinfo URL must use https://.");
  const res = await outboundFetch(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" }, timeoutMs: PROBE_TIMEOUT_MS });
  const body = parseJson(await res.text());
  if (res.status === 401) return failed("rejected", `${provider.name} rejected the access token (401); it may have expired or been revoked. Connect again.`);
  if (!res.ok) return httpFailure({ providerName: provider.name, credential: "access token", status: res.status, detail: FIRST(body, ["error_description", "error.message", "message"]) });
  // Slack answers 200 with ok:false for a dead token.
  if (readPath(body, "ok") === false) return failed("rejected", `${provider.name} rejected the access token: ${displayValue(readPath(body, "error")) ?? "unknown error"}.`);
  const account: TProbeAccount = {
    id: FIRST(body, ["sub", "id", "user_id"]),
    name: FIRST(body, ["name", "login", "user", "preferred_username"]),
    email: FIRST(body, ["email", "mail", "userPrincipalName"]),
  };
  const facts: Record<string, string> = {};
  if (account.email) facts["Email"] = account.email;
  if (account.name) facts["Name"] = account.name;
  const team = FIRST(body, ["team"]);
  if (team) facts["Workspace"] = team;
  const who = account.email ?? account.name;
  return passed(who ? `${provider.name} accepted the access token (signed in as ${who}).` : `${provider.name} accepted the access token.`, facts, account);
}
