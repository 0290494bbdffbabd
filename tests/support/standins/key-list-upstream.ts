import type http from "node:http";
import { sendJson, startHttpServer, type THttpStandIn } from "./http-server";
import { standInBaseUrls } from "./api-providers";

// One HTTP upstream for every API-key provider, for tests that send many
// different credentials (canaries) and need each accepted or refused on
// purpose: it knows a list of valid keys, like a provider's key store. A
// request is authorized when one of them travels in a header (Bearer, Bot,
// Basic password, x-api-key …) or in the path (Telegram's bot token); any
// other gets a 401 in OpenAI's error shape. The answer to an authorized call
// passes every registry check (Telegram's ok, Twilio's status).

export const REFUSAL_MESSAGE = "Incorrect API key provided.";

/** The answer to an authorized call: it satisfies every built-in provider's `checks` (tests/unit/key-list-upstream.test.ts holds it to that). */
export const ACCEPTED_BODY = {
  ok: true, // Telegram
  status: "active", // Twilio
  api_key_blocked: false, // xAI
  api_key_disabled: false,
  team_blocked: false,
  data: [],
  result: { first_name: "Bot", username: "bot" },
};

export type TKeyListUpstream = THttpStandIn & {
  /** SWITCHBOARD_PROVIDER_BASE_URLS entries pointing every HTTP provider here. */
  baseUrls: string;
  /** Makes `key` a valid credential; returns it. */
  accept(key: string): string;
  /** Requests seen, as "provider path" ("openai /v1/models"). */
  requests: string[];
};

function credentialsIn(req: http.IncomingMessage): string[] {
  const out = [req.url ?? ""];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "host" || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push(v);
      const basic = /^Basic (.+)$/i.exec(v);
      if (basic) out.push(Buffer.from(basic[1]!, "base64").toString("utf8"));
    }
  }
  return out;
}

export async function startKeyListUpstream(port = 0): Promise<TKeyListUpstream> {
  const valid = new Set<string>();
  const requests: string[] = [];
  const server = await startHttpServer((req, res) => {
    const url = req.url ?? "/";
    const slash = url.indexOf("/", 1);
    requests.push(`${url.slice(1, slash === -1 ? undefined : slash)} ${slash === -1 ? "/" : url.slice(slash)}`);
    const seen = credentialsIn(req);
    // Whole tokens only: "Bearer <key>", "<user>:<key>", a path segment, a query value — never a prefix of a longer value.
    const authorized = [...valid].some((key) => seen.some((s) => s === key || s.endsWith(` ${key}`) || s.endsWith(`:${key}`) || s.split(/[/?&]/).some((seg) => seg === `bot${key}` || seg === `key=${key}`)));
    if (!authorized) return sendJson(res, 401, { error: { message: REFUSAL_MESSAGE, type: "invalid_request_error" }, message: REFUSAL_MESSAGE });
    sendJson(res, 200, ACCEPTED_BODY);
  }, port);
  return {
    ...server,
    baseUrls: standInBaseUrls(server.origin),
    requests,
    accept(key) {
      valid.add(key);
      return key;
    },
  };
}
