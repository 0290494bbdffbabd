import "server-only";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

// AWS providers sign each request (SigV4) instead of sending a key: the AWS
// SDK's own signer does it, with the connection's access key and region.

const SERVICES: Record<string, string> = { aws_ses: "ses", s3: "s3" };

export function sigv4Service(providerKey: string): string | undefined {
  return SERVICES[providerKey];
}

export async function signAwsRequest(opts: {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  service: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: opts.service,
    region: opts.region,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: opts.service !== "s3",
  });
  const query: Record<string, string> = {};
  opts.url.searchParams.forEach((v, k) => (query[k] = v));
  const headers: Record<string, string> = { ...opts.headers, host: opts.url.host };
  if (opts.service === "s3") headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  const signed = await signer.sign({
    method: opts.method,
    protocol: opts.url.protocol,
    hostname: opts.url.hostname,
    port: opts.url.port ? Number(opts.url.port) : undefined,
    path: opts.url.pathname,
    query,
    headers,
    body: opts.body,
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== "host") out[k.toLowerCase()] = v;
  return out;
}
