import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { allowedRules, isUrlAllowed } from "@/lib/integrations/allowed-hosts";
import { readAll } from "@/lib/integrations/outbound/capped-body";
import { OutboundError, outboundFetch } from "@/lib/integrations/outbound/fetch";
import { CONNECTION_SELECT, rejectMalformedUuid } from "./connection-row";
import type { TServiceContext } from "./context";
import { openConnection, type TOpenedConnection } from "./oauth-connection";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { callerHeaders, credentialPlacement, type TRequestAuth } from "./request-auth";
import { signAwsRequest, sigv4Service } from "./sigv4";
import { recordCredentialRead, type TReadRecord } from "./read-accounting";
import { fail, NOT_CONFIGURED_MESSAGE, NOT_CONNECTED_MESSAGE, ok, type TResult } from "./result";
import { secretScrubber, sentSecrets } from "./secret-scrub";

// A request made with a connection's credentials, for consumers that should
// never hold a token. The URL must be on one of the connection's own hosts
// (allowed-hosts.ts) or nothing is sent. OAuth tokens are renewed ahead of
// expiry and, after a 401, once more followed by exactly one retry.
// Redirects are returned, not followed: a redirect must not carry the
// credential elsewhere. An upstream that echoes the credential back (a debug
// endpoint) gets it replaced by "<redacted>" in the headers and body it answers
// (secret-scrub.ts). authenticatedRequestStream hands the body over as it
// arrives (the consumer API's proxy); authenticatedRequest reads it whole.

export const ZAuthenticatedRequest = z.object({
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
  url: z.string().min(1).max(8192),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/).max(128), z.string().max(8192)).optional(),
  body: z.union([z.string().max(10 * 1024 * 1024), z.instanceof(Uint8Array)]).nullish(),
});
export type TAuthenticatedRequest = z.input<typeof ZAuthenticatedRequest>;
/** `body` is `bytes` decoded as UTF-8 (for text APIs); `bytes` is what the upstream sent (for binary ones). */
export type TUpstreamResponse = { status: number; headers: Record<string, string>; body: string; bytes: Uint8Array };
/**
 * The upstream's answer with its body still arriving (null: none), scrubbed as it streams. The caller reads it to
 * its end or cancels it; past the size cap or the deadline it errors with an OutboundError.
 */
export type TUpstreamStream = { status: number; headers: Record<string, string>; body: ReadableStream<Uint8Array> | null };

export const UPSTREAM_TIMEOUT_MS = 30_000;
export const UPSTREAM_MAX_BYTES = 10 * 1024 * 1024;

/** Caps of one call (the consumer API's proxy sets its own); `signal`: the caller gave up, the upstream call stops. */
export type TUpstreamLimits = { timeoutMs?: number; maxBytes?: number; signal?: AbortSignal };

export async function authenticatedRequest(
  ctx: TServiceContext,
  uuid: string,
  request: TAuthenticatedRequest,
  limits: TUpstreamLimits = {},
): Promise<TResult<TUpstreamResponse>> {
  const result = await authenticatedRequestStream(ctx, uuid, request, limits);
  if (!result.ok) return result;
  const { status, headers, body } = result.value;
  let bytes: Uint8Array;
  try {
    bytes = body ? await readAll(body) : new Uint8Array(0);
  } catch (err) {
    if (err instanceof OutboundError) return fail("upstream_failed", `${new URL(request.url).host}: ${err.message}`);
    throw err;
  }
  // `body` is decoded only when read: no extra copy for a caller that wants the bytes.
  return ok({
    status,
    headers,
    bytes,
    get body() {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    },
  });
}

/** authenticatedRequest with the body handed over as it arrives (the same checks, refresh, retry and scrubbing). */
export async function authenticatedRequestStream(
  ctx: TServiceContext,
  uuid: string,
  request: TAuthenticatedRequest,
  limits: TUpstreamLimits = {},
): Promise<TResult<TUpstreamStream>> {
  const used: TUsed = {};
  const result = await requestWithCredentials(ctx, uuid, request, limits, used);
  // Once the credential was handed to the outbound request, it was used on the caller's behalf, whatever
  // the outcome (the upstream may have done the work before a timeout or an oversize answer): counted like a
  // read, once per call, a 401 retry included (read-accounting.ts).
  if (used.sent && used.read) recordCredentialRead(used.read);
  return result;
}

type TUsed = { read?: TReadRecord; sent?: boolean };

async function requestWithCredentials(
  ctx: TServiceContext,
  uuid: string,
  request: TAuthenticatedRequest,
  limits: TUpstreamLimits,
  used: TUsed,
): Promise<TResult<TUpstreamStream>> {
  const malformed = rejectMalformedUuid<TUpstreamStream>(uuid);
  if (malformed) return malformed;
  const parsed = ZAuthenticatedRequest.safeParse(request);
  if (!parsed.success) return fail("invalid", "The request needs a method, an absolute URL and string headers.");
  const req = parsed.data;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return fail("invalid", "The request URL is not an absolute URL.");
  }

  const prisma = await db();
  const row = await prisma.setting.findFirst({ where: { uuid: uuid.toLowerCase(), orgId: ctx.orgId }, select: CONNECTION_SELECT });
  if (!row) return fail("not_configured", NOT_CONFIGURED_MESSAGE);
  const opened = openConnection(row);
  if (!opened.ok) return opened;
  const conn = opened.value;
  if (url.username || url.password || !isUrlAllowed(url, allowedRules(conn.provider, conn.value.setup))) {
    return fail("host_not_allowed", `${url.protocol}//${url.host} is not one of this connection's hosts. Add it under Allowed hosts on the connection's page.`);
  }
  // Nothing is sent for a connection with no account connected (never, or disconnected since).
  if (conn.value.status === "disconnected") return fail("not_connected", NOT_CONNECTED_MESSAGE);
  used.read = { orgId: ctx.orgId, uuid: row.uuid, actor: ctx.actor, provider: conn.provider.key, name: conn.value.name };
  const send = (auth: TRequestAuth) => {
    used.sent = true;
    return sendUpstream(url, req, conn, auth, limits);
  };

  const awsService = sigv4Service(conn.provider.key);
  if (awsService) {
    const { access_key_id: accessKeyId, region } = conn.value.setup;
    const secretAccessKey = conn.secrets.secret_access_key;
    if (!accessKeyId || !secretAccessKey || !region) return fail("not_connected", "Save the access key, its secret and the region first.");
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : (req.body ?? undefined);
    const headers = await signAwsRequest({ url, method: req.method, headers: callerHeaders(conn.provider, req.headers), body, service: awsService, region, accessKeyId, secretAccessKey });
    return send({ headers, query: {} });
  }
  if (conn.value.auth_type !== "oauth2") {
    const placement = credentialPlacement(conn.provider, conn.value.setup, conn.secrets);
    if (!placement.ok) return fail(placement.missing ? "not_connected" : "unsupported", placement.message);
    return send(placement.auth);
  }

  let token = conn.secrets.access_token;
  if (!token) return fail("not_connected", NOT_CONNECTED_MESSAGE);
  if (expiresSoon(conn.value.expires_at) && conn.secrets.refresh_token) {
    const fresh = await refreshAccessToken(ctx, { uuid: row.uuid, staleAccessToken: token });
    if (!fresh.ok) return fresh;
    token = fresh.value.accessToken;
  }
  const first = await send(bearer(token));
  if (!first.ok || first.value.status !== 401) return first;
  await first.value.body?.cancel().catch(() => undefined);
  const fresh = await refreshAccessToken(ctx, { uuid: row.uuid, staleAccessToken: token });
  if (!fresh.ok) return fresh;
  return send(bearer(fresh.value.accessToken));
}

function bearer(token: string): TRequestAuth {
  return { headers: { authorization: `Bearer ${token}` }, query: {} };
}

async function sendUpstream(
  url: URL,
  req: z.output<typeof ZAuthenticatedRequest>,
  conn: TOpenedConnection,
  auth: TRequestAuth,
  limits: TUpstreamLimits,
): Promise<TResult<TUpstreamStream>> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(auth.query)) target.searchParams.set(k, v);
  try {
    const response = await outboundFetch(target, {
      method: req.method,
      headers: { ...callerHeaders(conn.provider, req.headers), ...auth.headers },
      body: req.method === "GET" || req.method === "HEAD" ? undefined : (req.body ?? undefined),
      timeoutMs: limits.timeoutMs ?? UPSTREAM_TIMEOUT_MS,
      maxBytes: limits.maxBytes ?? UPSTREAM_MAX_BYTES,
      maxRedirects: 0,
      stream: true,
      signal: limits.signal,
    });
    const scrubber = secretScrubber(sentSecrets(conn, auth));
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = scrubber.text(v)));
    const body = response.body ? (response.body as ReadableStream<Uint8Array>).pipeThrough(scrubber.stream()) : null;
    return ok({ status: response.status, headers, body });
  } catch (err) {
    if (err instanceof OutboundError) return fail("upstream_failed", `${url.host}: ${err.message}`);
    throw err;
  }
}
