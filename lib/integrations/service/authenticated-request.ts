import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { allowedRules, isUrlAllowed } from "@/lib/integrations/allowed-hosts";
import { OutboundError, outboundFetch } from "@/lib/integrations/outbound/fetch";
import { CONNECTION_SELECT, rejectMalformedUuid } from "./connection-row";
import type { TServiceContext } from "./context";
import { openConnection, type TOpenedConnection } from "./oauth-connection";
import { expiresSoon, refreshAccessToken } from "./refresh-token";
import { callerHeaders, credentialPlacement, type TRequestAuth } from "./request-auth";
import { signAwsRequest, sigv4Service } from "./sigv4";
import { recordCredentialRead, type TReadRecord } from "./read-accounting";
import { fail, NOT_CONFIGURED_MESSAGE, NOT_CONNECTED_MESSAGE, ok, type TResult } from "./result";

// A request made with a connection's credentials, for consumers that should
// never hold a token. The URL must be on one of the connection's own hosts
// (allowed-hosts.ts) or nothing is sent. OAuth tokens are renewed ahead of
// expiry and, after a 401, once more followed by exactly one retry.
// Redirects are returned, not followed: a redirect must not carry the
// credential elsewhere. An upstream that echoes the credential back (a debug
// endpoint) gets it replaced by "<redacted>" in the headers and body it answers.

export const ZAuthenticatedRequest = z.object({
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
  url: z.string().min(1).max(8192),
  headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/).max(128), z.string().max(8192)).optional(),
  body: z.union([z.string().max(10 * 1024 * 1024), z.instanceof(Uint8Array)]).nullish(),
});
export type TAuthenticatedRequest = z.input<typeof ZAuthenticatedRequest>;
/** `body` is `bytes` decoded as UTF-8 (for text APIs); `bytes` is what the upstream sent (for binary ones). */
export type TUpstreamResponse = { status: number; headers: Record<string, string>; body: string; bytes: Uint8Array };

export const UPSTREAM_TIMEOUT_MS = 30_000;
export const UPSTREAM_MAX_BYTES = 10 * 1024 * 1024;

/** Caps of one call (the consumer API's proxy sets its own). */
export type TUpstreamLimits = { timeoutMs?: number; maxBytes?: number };

export async function authenticatedRequest(
  ctx: TServiceContext,
  uuid: string,
  request: TAuthenticatedRequest,
  limits: TUpstreamLimits = {},
): Promise<TResult<TUpstreamResponse>> {
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
): Promise<TResult<TUpstreamResponse>> {
  const malformed = rejectMalformedUuid<TUpstreamResponse>(uuid);
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
): Promise<TResult<TUpstreamResponse>> {
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
    });
    const secrets = sentSecrets(conn, auth);
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = scrubText(v, secrets)));
    const bytes = scrubBytes(new Uint8Array(await response.arrayBuffer()), secrets);
    // `body` is decoded only when read (the consumer proxy passes the bytes on and never does): no extra copy per call.
    return ok({
      status: response.status,
      headers,
      bytes,
      get body() {
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
      },
    });
  } catch (err) {
    if (err instanceof OutboundError) return fail("upstream_failed", `${url.host}: ${err.message}`);
    throw err;
  }
}

const REDACTED = "<redacted>";
/** Shorter values (a region, a port) would match ordinary text. */
const MIN_SCRUBBED_LENGTH = 8;

/** Every secret this call may have put on the wire: the connection's secrets and the auth it sent (a refreshed token, a Basic pair). */
function sentSecrets(conn: TOpenedConnection, auth: TRequestAuth): string[] {
  const values = new Set(Object.values(conn.secrets));
  for (const v of [...Object.values(auth.headers), ...Object.values(auth.query)]) {
    values.add(v);
    const scheme = /^(Bearer|Basic)\s+(\S+)$/i.exec(v);
    if (scheme) values.add(scheme[2]!);
  }
  return [...values].filter((v) => v.length >= MIN_SCRUBBED_LENGTH);
}

function scrubText(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => (t.includes(s) ? t.split(s).join(REDACTED) : t), text);
}

function scrubBytes(bytes: Uint8Array, secrets: string[]): Uint8Array {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const secret of secrets) {
    const needle = Buffer.from(secret, "utf8");
    if (buf.indexOf(needle) === -1) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = buf.indexOf(needle); at !== -1; at = buf.indexOf(needle, from)) {
      parts.push(buf.subarray(from, at), Buffer.from(REDACTED));
      from = at + needle.length;
    }
    parts.push(buf.subarray(from));
    buf = Buffer.concat(parts);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
