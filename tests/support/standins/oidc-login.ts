// Walks oidc-provider's real login and consent pages over HTTP, the way a
// browser would (cookies, redirects, posting the forms back), and returns the
// URL the provider finally redirects to: our callback with code and state.

type Jar = Map<string, string>;

function remember(jar: Jar, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

function formOf(html: string, base: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]!] = m[2]!;
  return { action: new URL(form[1]!.replace(/&amp;/g, "&"), base).href, fields };
}

/** Signs in as `login` and grants consent; returns the redirect back to `redirectPrefix` (or throws with what the server said). */
export async function authorizeAs(authorizationUrl: string, login: string, redirectPrefix: string): Promise<string> {
  const jar: Jar = new Map();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) } });
    remember(jar, response);
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url).href;
      if (next.startsWith(redirectPrefix)) return next;
      url = next;
      init = {};
      continue;
    }
    const html = await response.text();
    const form = formOf(html, url);
    if (!form) throw new Error(`authorization stopped at ${new URL(url).pathname} (${response.status}): ${html.replace(/<style[\s\S]*?<\/style>/gi, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
    const body = new URLSearchParams(form.fields);
    if (form.fields.prompt === "login") {
      body.set("login", login);
      body.set("password", "any password");
    }
    url = form.action;
    init = { method: "POST", body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error("too many steps in the authorization flow");
}
