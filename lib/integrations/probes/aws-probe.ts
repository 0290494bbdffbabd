import "server-only";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { outboundFetch } from "@/lib/integrations/outbound";
import type { Provider } from "@/lib/integrations/providers/types";
import { fillTemplate } from "@/lib/integrations/providers/url-template";
import { httpFailure } from "./failure-messages";
import { displayValue, parseJson, readFacts, readPath } from "./json-path";
import { failed, passed, PROBE_TIMEOUT_MS, type TProbeOutcome, type TProbeValues } from "./types";

// aws_ses and S3-compatible storage: real SigV4-signed calls, signed by the
// AWS SDK's own signer (@smithy/signature-v4), sent through the outbound
// module like every other probe.

type TSigned = { url: URL; headers: Record<string, string> };

async function signedGet(opts: { url: URL; service: string; region: string; values: TProbeValues; method?: "GET" | "HEAD" }): Promise<TSigned> {
  const signer = new SignatureV4({
    service: opts.service,
    region: opts.region,
    credentials: { accessKeyId: opts.values.access_key_id!, secretAccessKey: opts.values.secret_access_key! },
    sha256: Sha256,
    uriEscapePath: opts.service !== "s3",
    applyChecksum: true,
  });
  const u = opts.url;
  const query = Object.fromEntries(u.searchParams);
  const signed = await signer.sign({
    method: opts.method ?? "GET",
    protocol: u.protocol,
    hostname: u.hostname,
    port: u.port ? Number(u.port) : undefined,
    path: u.pathname,
    query,
    headers: { host: u.host, accept: "application/json" },
  });
  // fetch sets Host from the URL itself (the same value that was signed).
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  void _host;
  return { url: u, headers };
}

function missingKeys(values: TProbeValues): string | null {
  if (!values.access_key_id) return "Enter the access key ID first.";
  if (!values.secret_access_key) return "Enter the secret access key first.";
  if (!values.region) return "Enter the region first.";
  return null;
}

/** SESv2 GetAccount: the keys work, and the account's sending quota and production access. */
export async function sesProbe(provider: Provider, values: TProbeValues): Promise<TProbeOutcome> {
  const missing = missingKeys(values);
  if (missing) return failed("invalid_input", missing);
  const base = fillTemplate(provider.apiBaseUrl ?? "https://email.{region}.amazonaws.com", values).replace(/\/+$/, "");
  const { url, headers } = await signedGet({ url: new URL(`${base}/v1/account`), service: "ses", region: values.region!, values });
  const res = await outboundFetch(url, { headers, timeoutMs: PROBE_TIMEOUT_MS });
  const body = parseJson(await res.text());
  if (!res.ok) return httpFailure({ providerName: provider.name, credential: "access key", status: res.status, detail: displayValue(readPath(body, "message")) });
  const facts = readFacts(body, {
    "Production access": "ProductionAccessEnabled",
    "Sending enabled": "SendingEnabled",
    "Daily sending quota": "SendQuota.Max24HourSend",
    "Sent in the last 24 h": "SendQuota.SentLast24Hours",
    "Maximum send rate (per second)": "SendQuota.MaxSendRate",
  });
  if (readPath(body, "SendingEnabled") === false) return failed("check_failed", "The access key works, but sending is disabled for this SES account.", facts);
  return passed(`${provider.name} accepted the access key (region ${values.region}).`, facts);
}

function xmlValues(xml: string, tag: string): string[] {
  const unescape = (t: string) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, "g"))].map((m) => unescape(m[1]!));
}

/** S3 ListBuckets on the endpoint; a key limited to one bucket gets a HeadBucket on it instead. */
export async function s3Probe(provider: Provider, values: TProbeValues): Promise<TProbeOutcome> {
  const missing = missingKeys(values);
  if (missing) return failed("invalid_input", missing);
  const endpoint = (values.endpoint || fillTemplate(provider.apiBaseUrl ?? "https://s3.{region}.amazonaws.com", values)).replace(/\/+$/, "");
  const list = await signedGet({ url: new URL(`${endpoint}/`), service: "s3", region: values.region!, values });
  const res = await outboundFetch(list.url, { headers: list.headers, timeoutMs: PROBE_TIMEOUT_MS });
  const xml = await res.text();
  const bucket = values.bucket;
  if (res.ok) {
    const names = xmlValues(xml, "Name");
    const facts: Record<string, string> = { "Buckets visible": String(names.length) };
    const owner = xmlValues(xml, "DisplayName")[0];
    if (owner) facts["Owner"] = owner;
    if (bucket && !names.includes(bucket)) {
      return failed("check_failed", `The access key works, but the bucket "${bucket}" is not among the ${names.length} buckets it can list.`, facts);
    }
    if (bucket) facts["Bucket"] = `${bucket} (found)`;
    return passed(`${provider.name} accepted the access key.`, facts, owner ? { name: owner } : undefined);
  }
  const code = xmlValues(xml, "Code")[0];
  if (res.status === 403 && code === "AccessDenied" && bucket) return headBucket(provider, values, endpoint, bucket);
  const detail = [code, xmlValues(xml, "Message")[0]].filter(Boolean).join(": ");
  return httpFailure({ providerName: provider.name, credential: "access key", status: res.status, detail });
}

async function headBucket(provider: Provider, values: TProbeValues, endpoint: string, bucket: string): Promise<TProbeOutcome> {
  const base = new URL(`${endpoint}/`);
  const url =
    values.addressing_style === "path" ? new URL(`${endpoint}/${encodeURIComponent(bucket)}`) : new URL(`${base.protocol}//${bucket}.${base.host}/`);
  const signed = await signedGet({ url, service: "s3", region: values.region!, values, method: "HEAD" });
  const res = await outboundFetch(signed.url, { method: "HEAD", headers: signed.headers, timeoutMs: PROBE_TIMEOUT_MS });
  if (res.ok) return passed(`${provider.name} accepted the access key for the bucket "${bucket}" (it may not list other buckets).`, { Bucket: `${bucket} (reachable)` });
  return httpFailure({ providerName: provider.name, credential: "access key", status: res.status, detail: `no access to the bucket "${bucket}"` });
}
