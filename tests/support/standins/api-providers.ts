import type http from "node:http";
import { sendJson, startHttpServer, type THttpStandIn } from "./http-server";

// HTTP stand-ins for every built-in API-key / bot-token / key+secret HTTP
// provider, on one port: provider `p` lives under /p (the test points it
// there with SWITCHBOARD_PROVIDER_BASE_URLS=p=http://127.0.0.1:PORT/p). Each
// implements the provider's validation path and checks the credential exactly
// where and how the real API expects it; the right one gets the provider's
// success shape with account facts, anything else its failure shape.

export const RIGHT: Record<string, Record<string, string>> = {
  openai: { api_key: "sk-proj-right-openai-key" },
  anthropic: { api_key: "sk-ant-right-anthropic-key" },
  openrouter: { api_key: "sk-or-v1-right-openrouter-key" },
  mistral: { api_key: "right-mistral-key" },
  deepseek: { api_key: "sk-right-deepseek-key" },
  xai: { api_key: "xai-right-xai-key" },
  gemini: { api_key: "AIza-right-gemini-key" },
  groq: { api_key: "gsk_right_groq_key" },
  elevenlabs: { api_key: "sk_right_elevenlabs_key" },
  telegram: { bot_token: "123456789:AA-right-telegram-token_0123456789abc" },
  discord: { bot_token: "right.discord.bot-token" },
  twilio: { account_sid: "AC0123456789abcdef", key_sid: "SK0123456789abcdef", key_secret: "right-twilio-secret" },
  sendgrid: { api_key: "SG.right-sendgrid-key" },
  brevo: { api_key: "xkeysib-right-brevo-key" },
  postmark: { api_key: "right-postmark-server-token" },
  stripe: { api_key: "sk_test_right_stripe_key" },
  hubspot: { api_key: "pat-na1-right-hubspot-token" },
  github_token: { api_key: "github_pat_right_token" },
  generic_api_key: { api_key: "right-generic-key", header_name: "X-Api-Key", header_prefix: "Token ", validation_path: "/v1/me" },
  google: { access_token: "ya29.right-google-token" },
  microsoft: { access_token: "eyJ.right-microsoft-token", tenant: "common" },
  slack: { access_token: "xoxb-right-slack-token" },
  github: { access_token: "gho_right_github_token" },
  generic_oauth2: { access_token: "right-generic-oauth-token", userinfo_path: "/oauth2/userinfo" },
};

/** A provider's success body: the base of the "works, but…" answers a test sets in `answers`. */
export function successBody(provider: string): Record<string, unknown> {
  return structuredClone(ROUTES[provider]!.ok) as Record<string, unknown>;
}

type TRoute = {
  method: string;
  path: string;
  /** Does the request carry the right credential, exactly as the real API wants it? */
  authorized(req: http.IncomingMessage, path: string): boolean;
  ok: unknown;
  fail: { status: number; body: unknown };
};

const bearer = (key: string) => (req: http.IncomingMessage) => req.headers.authorization === `Bearer ${key}`;
const header = (name: string, value: string) => (req: http.IncomingMessage) => req.headers[name] === value;
const basic = (user: string, pass: string) => (req: http.IncomingMessage) => req.headers.authorization === `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const openaiError = { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } };
const models = { object: "list", data: [{ id: "model-a" }, { id: "model-b" }, { id: "model-c" }] };

const ROUTES: Record<string, TRoute> = {
  openai: { method: "GET", path: "/v1/models", authorized: bearer(RIGHT.openai!.api_key!), ok: models, fail: { status: 401, body: openaiError } },
  anthropic: {
    method: "GET",
    path: "/v1/models?limit=1000",
    authorized: (req) => req.headers["x-api-key"] === RIGHT.anthropic!.api_key && req.headers["anthropic-version"] === "2023-06-01",
    ok: { data: [{ id: "claude-a", type: "model" }, { id: "claude-b", type: "model" }], has_more: false },
    fail: { status: 401, body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } } },
  },
  openrouter: {
    method: "GET",
    path: "/api/v1/key",
    authorized: bearer(RIGHT.openrouter!.api_key!),
    ok: { data: { label: "sk-or-v1-rig...key", usage: 25.5, limit: 100, limit_remaining: 74.5, is_free_tier: false } },
    fail: { status: 401, body: { error: { message: "No auth credentials found", code: 401 } } },
  },
  mistral: { method: "GET", path: "/v1/models", authorized: bearer(RIGHT.mistral!.api_key!), ok: models, fail: { status: 401, body: { message: "Unauthorized", request_id: "x" } } },
  deepseek: {
    method: "GET",
    path: "/user/balance",
    authorized: bearer(RIGHT.deepseek!.api_key!),
    ok: { is_available: true, balance_infos: [{ currency: "USD", total_balance: "50.00", granted_balance: "10.00", topped_up_balance: "40.00" }] },
    fail: { status: 401, body: { error: { message: "Authentication Fails, Your api key is invalid", type: "authentication_error" } } },
  },
  xai: {
    method: "GET",
    path: "/v1/api-key",
    authorized: bearer(RIGHT.xai!.api_key!),
    ok: { name: "Switchboard key", team_id: "team-42", redacted_api_key: "xai-...-key", api_key_blocked: false, api_key_disabled: false, team_blocked: false, acls: ["api-key:model:*"] },
    fail: { status: 400, body: { code: "Client specified an invalid argument", error: "Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai." } },
  },
  gemini: {
    method: "GET",
    path: "/v1beta/models?pageSize=1000",
    authorized: header("x-goog-api-key", RIGHT.gemini!.api_key!),
    ok: { models: [{ name: "models/gemini-a" }, { name: "models/gemini-b" }] },
    fail: { status: 400, body: { error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } } },
  },
  groq: { method: "GET", path: "/openai/v1/models", authorized: bearer(RIGHT.groq!.api_key!), ok: models, fail: { status: 401, body: { error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" } } } },
  elevenlabs: {
    method: "GET",
    path: "/v1/user",
    authorized: header("xi-api-key", RIGHT.elevenlabs!.api_key!),
    ok: { user_id: "u1", first_name: "Ada", subscription: { tier: "creator", character_count: 1200, character_limit: 100000 } },
    fail: { status: 401, body: { detail: { status: "invalid_api_key", message: "Invalid API key" } } },
  },
  telegram: {
    method: "GET",
    // Telegram's form exactly: the token literally, colon included (a %3A does not match).
    path: `/bot${RIGHT.telegram!.bot_token!}/getMe`,
    authorized: () => true, // the token is the path: a wrong one does not match this route
    ok: { ok: true, result: { id: 123456789, is_bot: true, first_name: "Switchboard Bot", username: "switchboard_test_bot" } },
    fail: { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } },
  },
  discord: {
    method: "GET",
    path: "/api/v10/users/@me",
    authorized: (req) => req.headers.authorization === `Bot ${RIGHT.discord!.bot_token}`,
    ok: { id: "80351110224678912", username: "switchboard-bot", bot: true },
    fail: { status: 401, body: { message: "401: Unauthorized", code: 0 } },
  },
  twilio: {
    method: "GET",
    path: `/2010-04-01/Accounts/${RIGHT.twilio!.account_sid}.json`,
    authorized: basic(RIGHT.twilio!.key_sid!, RIGHT.twilio!.key_secret!),
    ok: { sid: RIGHT.twilio!.account_sid, friendly_name: "Acme Production", status: "active", type: "Full" },
    fail: { status: 401, body: { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 } },
  },
  sendgrid: {
    method: "GET",
    path: "/v3/scopes",
    authorized: bearer(RIGHT.sendgrid!.api_key!),
    ok: { scopes: ["mail.send", "scopes.read", "user.profile.read"] },
    fail: { status: 401, body: { errors: [{ field: null, message: "authorization required" }] } },
  },
  brevo: {
    method: "GET",
    path: "/v3/account",
    authorized: header("api-key", RIGHT.brevo!.api_key!),
    ok: { email: "ops@acme.test", companyName: "Acme", plan: [{ type: "free", credits: 300, creditsType: "sendLimit" }] },
    fail: { status: 401, body: { code: "unauthorized", message: "Key not found" } },
  },
  postmark: {
    method: "GET",
    path: "/server",
    authorized: (req) => req.headers["x-postmark-server-token"] === RIGHT.postmark!.api_key && req.headers.accept === "application/json",
    ok: { ID: 1, Name: "Acme transactional", DeliveryType: "Live" },
    fail: { status: 401, body: { ErrorCode: 10, Message: "The Server Token you provided in the X-Postmark-Server-Token request header was invalid." } },
  },
  stripe: {
    method: "GET",
    path: "/v1/balance",
    authorized: bearer(RIGHT.stripe!.api_key!),
    ok: { object: "balance", livemode: false, available: [{ amount: 12345, currency: "usd" }] },
    fail: { status: 401, body: { error: { message: "Invalid API Key provided: sk_test_********************_key", type: "invalid_request_error" } } },
  },
  hubspot: {
    method: "GET",
    path: "/account-info/v3/details",
    authorized: bearer(RIGHT.hubspot!.api_key!),
    ok: { portalId: 2519445, accountType: "STANDARD", timeZone: "US/Eastern", companyCurrency: "USD" },
    fail: { status: 401, body: { status: "error", message: "Authentication credentials not found.", category: "INVALID_AUTHENTICATION" } },
  },
  github_token: {
    method: "GET",
    path: "/user",
    authorized: (req) => req.headers.authorization === `Bearer ${RIGHT.github_token!.api_key}` && req.headers["x-github-api-version"] === "2022-11-28",
    ok: { login: "octo-ada", id: 1, name: "Ada Octo" },
    fail: { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } },
  },
  google: {
    method: "GET",
    path: "/v1/userinfo",
    authorized: bearer(RIGHT.google!.access_token!),
    ok: { sub: "1000001", email: "ada@acme.test", name: "Ada Lovelace", email_verified: true },
    fail: { status: 401, body: { error: "invalid_token", error_description: "Invalid Credentials" } },
  },
  microsoft: {
    method: "GET",
    path: "/oidc/userinfo",
    authorized: bearer(RIGHT.microsoft!.access_token!),
    ok: { sub: "ms-sub", name: "Ada Lovelace", email: "ada@acme.onmicrosoft.test" },
    fail: { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } } },
  },
  slack: {
    method: "GET",
    path: "/api/auth.test",
    authorized: bearer(RIGHT.slack!.access_token!),
    // Slack answers 200 either way; ok:false says the token is dead.
    ok: { ok: true, url: "https://acme.slack.com/", team: "Acme", user: "switchboard", team_id: "T1", user_id: "U1" },
    fail: { status: 200, body: { ok: false, error: "invalid_auth" } },
  },
  github: {
    method: "GET",
    path: "/user",
    authorized: bearer(RIGHT.github!.access_token!),
    ok: { login: "octo-ada", id: 1, name: "Ada Octo", email: "ada@acme.test" },
    fail: { status: 401, body: { message: "Bad credentials" } },
  },
  generic_oauth2: {
    method: "GET",
    path: "/oauth2/userinfo",
    authorized: bearer(RIGHT.generic_oauth2!.access_token!),
    ok: { sub: "g-1", preferred_username: "ada", email: "ada@idp.test" },
    fail: { status: 401, body: { error: "invalid_token" } },
  },
  generic_api_key: {
    method: "GET",
    path: "/v1/me",
    authorized: header("x-api-key", `Token ${RIGHT.generic_api_key!.api_key}`),
    ok: { id: "me" },
    fail: { status: 403, body: { error: "forbidden" } },
  },
};

export const HTTP_STANDIN_PROVIDERS = Object.keys(ROUTES);

export type TApiStandIn = THttpStandIn & {
  /** SWITCHBOARD_PROVIDER_BASE_URLS entries pointing each provider at its stand-in. */
  baseUrls: string;
  /** generic_api_key / generic_oauth2 have no registry URL: their URL fields point here. */
  genericBaseUrl: string;
  genericOAuthBase: string;
  requests: { provider: string; path: string }[];
  /** Providers whose stand-in now refuses every credential (a key revoked at the provider). */
  revoked: Set<string>;
  /**
   * What a provider's stand-in answers the RIGHT credential instead of its
   * success shape: the provider's own "the key works, but…" shapes (an xAI key
   * blocked, a Twilio account suspended, Telegram's ok:false). Tests set and clear it.
   */
  answers: Map<string, { status: number; body: unknown }>;
};

/** The SWITCHBOARD_PROVIDER_BASE_URLS value for stand-ins at `origin`. */
export function standInBaseUrls(origin: string): string {
  return HTTP_STANDIN_PROVIDERS.filter((p) => !p.startsWith("generic_"))
    .map((p) => `${p}=${origin}/${p}`)
    .join(",");
}

export async function startApiStandIns(port = 0): Promise<TApiStandIn> {
  const requests: { provider: string; path: string }[] = [];
  const revoked = new Set<string>();
  const answers = new Map<string, { status: number; body: unknown }>();
  const server = await startHttpServer((req, res) => {
    const url = req.url ?? "/";
    const slash = url.indexOf("/", 1);
    const provider = url.slice(1, slash === -1 ? undefined : slash);
    const rest = slash === -1 ? "/" : url.slice(slash);
    const route = ROUTES[provider];
    requests.push({ provider, path: rest });
    if (!route) return sendJson(res, 404, { error: "no such stand-in" });
    if (provider === "telegram" && rest !== route.path && /^\/bot[^/]+\/getMe$/.test(rest)) return sendJson(res, route.fail.status, route.fail.body);
    if (req.method !== route.method || rest !== route.path) return sendJson(res, 404, { error: `stand-in ${provider} serves ${route.method} ${route.path}` });
    if (revoked.has(provider) || !route.authorized(req, rest)) return sendJson(res, route.fail.status, route.fail.body);
    const answer = answers.get(provider);
    if (answer) return sendJson(res, answer.status, answer.body);
    sendJson(res, 200, route.ok);
  }, port);
  const baseUrls = standInBaseUrls(server.origin);
  return { ...server, baseUrls, revoked, answers, genericBaseUrl: `${server.origin}/generic_api_key`, genericOAuthBase: `${server.origin}/generic_oauth2`, requests };
}
