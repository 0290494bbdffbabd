// A minimal OAuth 2.0 token endpoint on 127.0.0.1 for the refresh scenario:
// answers grant_type=refresh_token after `delayMs` (a real provider is not
// instant, which is what lets concurrent callers pile up), rotates the
// refresh token on every call and refuses a spent one with invalid_grant, and
// counts every call.
import http from "node:http";

export async function startTokenEndpoint({ initialRefreshToken, delayMs = 100 }) {
  let current = initialRefreshToken;
  const counts = { calls: 0, invalidGrant: 0 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c) => (body += c));
    req.on("end", () => {
      counts.calls++;
      const form = new URLSearchParams(body);
      setTimeout(() => {
        res.setHeader("content-type", "application/json");
        res.setHeader("cache-control", "no-store");
        if (req.url !== "/token" || form.get("grant_type") !== "refresh_token" || form.get("refresh_token") !== current) {
          counts.invalidGrant++;
          res.writeHead(400).end(JSON.stringify({ error: "invalid_grant", error_description: "refresh token unknown or spent" }));
          return;
        }
        current = `rt-${counts.calls}`;
        res.writeHead(200).end(JSON.stringify({ access_token: `at-${counts.calls}`, refresh_token: current, token_type: "Bearer", expires_in: 3600 }));
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    port,
    tokenUrl: `http://127.0.0.1:${port}/token`,
    counts,
    currentRefreshToken: () => current,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
