import "server-only";

// Provider-specific token-endpoint behaviour, brought back to RFC 6749 before
// oauth4webapi parses the answer:
// - GitHub answers form-encoded unless asked for JSON (we ask, and still
//   accept a form body), reports errors as 200 + `error`, and issues tokens
//   that never expire (no expires_in: kept as "no expiry").
// - Slack answers `ok: false` + `error` with status 200, calls its bot token
//   type "bot", and puts a user-token-only grant under `authed_user`.
// - Microsoft's ID tokens name the account's own tenant as issuer (not the
//   `common` URL we talk to), and Google's may say `accounts.google.com`
//   without the scheme: their ID tokens are dropped and the account comes
//   from the userinfo endpoint instead.

type TJson = Record<string, unknown>;

/** Headers sent with every token-endpoint request of a provider. */
export function tokenRequestHeaders(providerKey: string): Record<string, string> {
  return providerKey === "github" ? { accept: "application/json" } : {};
}

async function readBody(response: Response): Promise<TJson | null> {
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as TJson) : null;
  } catch {
    return null;
  }
}

function slack(body: TJson): TJson {
  const out: TJson = { ...body };
  if (body.ok === false && typeof body.error === "string") return { error: body.error };
  const user = body.authed_user as TJson | undefined;
  if (typeof out.access_token !== "string" && user && typeof user.access_token === "string") {
    Object.assign(out, { access_token: user.access_token, token_type: user.token_type ?? "bearer", scope: user.scope });
    if (typeof user.refresh_token === "string") out.refresh_token = user.refresh_token;
    if (typeof user.expires_in === "number") out.expires_in = user.expires_in;
  }
  return out;
}

/** The token endpoint's answer in standard form (a new Response; the original body is consumed). */
export async function normalizeTokenResponse(providerKey: string, response: Response): Promise<Response> {
  const body = await readBody(response);
  if (!body) return new Response(null, { status: response.status === 200 ? 502 : response.status, headers: response.headers });
  let out = providerKey === "slack" ? slack(body) : { ...body };
  if (providerKey === "github" && typeof out.expires_in === "string") out.expires_in = Number(out.expires_in);
  if (providerKey === "microsoft" || providerKey === "google") delete out.id_token;
  if (typeof out.token_type === "string" && out.token_type.toLowerCase() === "bot") out = { ...out, token_type: "bearer" };
  if (out.token_type === undefined && typeof out.access_token === "string") out.token_type = "bearer";
  // An error reported with 200 (GitHub, Slack) is an error: oauth4webapi reads it as one only from a 400.
  const status = response.status === 200 && typeof out.error === "string" && typeof out.access_token !== "string" ? 400 : response.status;
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Response(JSON.stringify(out), { status, statusText: response.statusText, headers });
}

export type TAccountIdentity = { id: string | null; email: string | null; name: string | null };

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, 320) : typeof v === "number" ? String(v) : null);

/** The account a token belongs to, from an ID token's claims, a userinfo answer, GitHub's /user or Slack's auth.test. */
export function identityFromProfile(providerKey: string, profile: TJson): TAccountIdentity {
  if (providerKey === "slack") {
    const team = str(profile.team);
    const user = str(profile.user);
    return { id: str(profile.user_id), email: null, name: user && team ? `${user} (${team})` : (user ?? team) };
  }
  return {
    id: str(profile.sub) ?? str(profile.id),
    email: str(profile.email),
    name: str(profile.name) ?? str(profile.login) ?? str(profile.preferred_username),
  };
}

/** Slack's auth.test answers 200 with ok:false for a bad token. */
export function profileError(providerKey: string, profile: TJson): string | null {
  if (providerKey === "slack" && profile.ok === false) return typeof profile.error === "string" ? profile.error : "not_authed";
  return null;
}
