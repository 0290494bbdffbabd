import type http from "node:http";
import { readBody, sendJson, startHttpServer, type THttpStandIn } from "./http-server";

// A scripted OAuth token endpoint (and userinfo) on 127.0.0.1, for the
// provider answers oidc-provider never gives: no refresh token in a refresh
// answer, no expires_in, an invalid_grant after another worker rotated the
// token. Every request is recorded (path, form body); the test decides each
// token answer with `answer`, which may also act before answering.

export type TTokenRequest = { path: string; form: URLSearchParams; headers: http.IncomingHttpHeaders };
export type TTokenAnswer = { status?: number; body: Record<string, unknown>; contentType?: string };

export type TTokenEndpoint = THttpStandIn & {
  requests: TTokenRequest[];
  /** Token requests only (any path ending in "/token" or "/access_token"). */
  tokenRequests(): TTokenRequest[];
  /** Decides the next token answers; the default grants `access-<n>` / `refresh-<n>` for an hour. */
  answer: (req: TTokenRequest, n: number) => Promise<TTokenAnswer> | TTokenAnswer;
  /** The userinfo / profile answer (any other path). */
  profile: Record<string, unknown>;
};

const isTokenPath = (path: string) => /\/(token|access_token)$/.test(path);

export function grant(n: number, extra: Record<string, unknown> = {}): TTokenAnswer {
  return { body: { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "Bearer", expires_in: 3600, ...extra } };
}

export async function startTokenEndpoint(): Promise<TTokenEndpoint> {
  const holder: { standin?: TTokenEndpoint } = {};
  const server = await startHttpServer(async (req, res) => {
    const standin = holder.standin!;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const record = { path, form: new URLSearchParams(await readBody(req)), headers: req.headers };
    standin.requests.push(record);
    if (!isTokenPath(path)) return sendJson(res, 200, standin.profile);
    const a = await standin.answer(record, standin.tokenRequests().length);
    if (a.contentType) {
      res.writeHead(a.status ?? 200, { "content-type": a.contentType });
      return res.end(new URLSearchParams(a.body as Record<string, string>).toString());
    }
    sendJson(res, a.status ?? 200, a.body);
  });
  const standin: TTokenEndpoint = {
    ...server,
    requests: [],
    tokenRequests: () => standin.requests.filter((r) => isTokenPath(r.path)),
    answer: (_req, n) => grant(n),
    profile: { sub: "user-1", email: "ada@example.com", name: "Ada" },
  };
  holder.standin = standin;
  return standin;
}
