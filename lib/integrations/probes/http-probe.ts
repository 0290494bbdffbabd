import "server-only";
import { outboundFetch } from "@/lib/integrations/outbound";
import type { Provider, ValidationDescriptor } from "@/lib/integrations/providers/types";
import { fillTemplate } from "@/lib/integrations/providers/url-template";
import { httpFailure } from "./failure-messages";
import { displayValue, parseJson, readFacts, readPath } from "./json-path";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeOutcome, type TProbeValues } from "./types";

// The registry's HTTP probes (api_key, bot_token and key_secret providers
// with an HTTP API): the request the descriptor declares, success = 2xx and
// every check holding, then the facts and the account label it names.

type THttpDescriptor = Extract<ValidationDescriptor, { kind: "http" }>;

function labelOf(provider: Provider, field: string): string {
  const f = provider.setupFields.find((x) => x.key === field);
  const label = f?.label ?? field;
  // "Bot token" → "bot token"; acronyms such as "API key" stay as they are.
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

function credentialField(v: THttpDescriptor): string {
  return v.auth.type === "basic" ? v.auth.passwordField : v.auth.field;
}

/** The request the descriptor declares, or the name of the field that is still empty. */
export function buildHttpRequest(provider: Provider, v: THttpDescriptor, values: TProbeValues): { url: URL; headers: Record<string, string> } | { missing: string } | { malformed: string } {
  const auth = v.auth;
  const required = auth.type === "basic" ? [auth.usernameField, auth.passwordField] : [auth.field];
  const missing = required.find((k) => !values[k]);
  if (missing) return { missing };
  // A credential that goes into the path unencoded must have its documented shape (no '/', '?', '#', '%'…).
  if (auth.type === "path" && !new RegExp(auth.pattern).test(values[auth.field]!)) return { malformed: auth.patternMessage };
  let url: URL;
  try {
    url = new URL(fillTemplate(v.url, values));
  } catch {
    const absent = provider.setupFields.find((f) => v.url.includes(`{${f.key}}`) || v.url.includes(`{+${f.key}}`));
    return { missing: absent?.key ?? credentialField(v) };
  }
  // Header names are case-insensitive: the descriptor's own (e.g. "Accept") replace the defaults.
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [name, value] of Object.entries(v.headers ?? {})) headers[name.toLowerCase()] = value;
  switch (auth.type) {
    case "bearer":
      headers.authorization = `Bearer ${values[auth.field]}`;
      break;
    case "header": {
      const name = (auth.headerField && values[auth.headerField]) || auth.header;
      const prefix = auth.prefixField && values[auth.prefixField] ? values[auth.prefixField] : (auth.prefix ?? "");
      headers[name.toLowerCase()] = `${prefix}${values[auth.field]}`;
      break;
    }
    case "basic":
      headers.authorization = `Basic ${Buffer.from(`${values[auth.usernameField]}:${values[auth.passwordField]}`).toString("base64")}`;
      break;
    case "query":
      url.searchParams.set(auth.param, values[auth.field]!);
      break;
    case "path":
      break; // the URL template carries it
  }
  return { url, headers };
}

export async function httpProbe(provider: Provider, values: TProbeValues): Promise<TProbeOutcome> {
  const v = provider.validate;
  if (v.kind !== "http") throw new Error("httpProbe needs an http descriptor");
  const request = buildHttpRequest(provider, v, values);
  if ("missing" in request) return failed("invalid_input", `Enter the ${labelOf(provider, request.missing)} first.`);
  if ("malformed" in request) return failed("invalid_input", `${request.malformed}.`);
  const credential = labelOf(provider, credentialField(v));

  const res = await outboundFetch(request.url, { method: v.method, headers: request.headers, timeoutMs: PROBE_TIMEOUT_MS });
  const body = parseJson(await res.text());
  if (!res.ok) {
    const detail = v.errorPath ? displayValue(readPath(body, v.errorPath)) : undefined;
    return httpFailure({ providerName: provider.name, credential, status: res.status, detail });
  }
  for (const check of v.checks ?? []) {
    if (readPath(body, check.path) !== check.equals) return failed("check_failed", check.message);
  }
  const account = v.accountPath ? displayValue(readPath(body, v.accountPath)) : undefined;
  const facts = readFacts(body, v.facts);
  return passed(account ? `${provider.name} accepted the ${credential} (connected as ${account}).` : `${provider.name} accepted the ${credential}.`, facts, account ? { name: account } : undefined);
}
