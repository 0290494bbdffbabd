import type http from "node:http";
import aws4 from "aws4";
import { sendJson, startHttpServer, type THttpStandIn } from "./http-server";

// SES (SESv2 GetAccount) and S3 (ListBuckets, HeadBucket) stand-ins that
// verify every request's SigV4 signature with an independent implementation
// (the `aws4` package), unlike s3rver, which accepts any signature. The
// right key pair gets the real answer shapes; an unknown key id, a wrong
// secret, region or service gets AWS's refusals.

export const AWS_RIGHT = { access_key_id: "AKIASTANDINRIGHTKEY", secret_access_key: "right/secret+access/KEY0123456789abcdef", region: "eu-west-1" };
export const S3_BUCKETS = ["reports", "uploads"];
/** A key pair whose policy allows only `bucket`: ListBuckets is AccessDenied, HeadBucket on its bucket works. */
export const AWS_ONE_BUCKET = { access_key_id: "AKIASTANDINONEBUCKET", secret_access_key: "one/bucket+secret/KEY0123456789abcdef", region: AWS_RIGHT.region, bucket: "reports" };
const SECRETS: Record<string, string> = { [AWS_RIGHT.access_key_id]: AWS_RIGHT.secret_access_key, [AWS_ONE_BUCKET.access_key_id]: AWS_ONE_BUCKET.secret_access_key };

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

type TVerdict = { ok: true; keyId: string } | { ok: false; code: "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "MissingAuthenticationToken" };

/** Recomputes the signature with aws4 from the headers the client says it signed. */
export function verifySigV4(req: http.IncomingMessage, expected: { service: string; region: string }): TVerdict {
  const m = AUTH_RE.exec(String(req.headers.authorization ?? ""));
  if (!m) return { ok: false, code: "MissingAuthenticationToken" };
  const [, keyId, , region, service, signedHeaders, signature] = m;
  const secret = SECRETS[keyId!];
  if (!secret) return { ok: false, code: "InvalidAccessKeyId" };
  if (region !== expected.region || service !== expected.service) return { ok: false, code: "SignatureDoesNotMatch" };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(";")) headers[name] = String(req.headers[name] ?? "");
  const opts = { host: headers.host, method: req.method, path: req.url, service, region, headers: { ...headers } };
  delete (opts.headers as Record<string, string>).host;
  const signed = aws4.sign(opts, { accessKeyId: keyId, secretAccessKey: secret });
  const recomputed = /Signature=([0-9a-f]{64})/.exec(String(signed.headers?.Authorization ?? ""))?.[1];
  return recomputed === signature ? { ok: true, keyId: keyId! } : { ok: false, code: "SignatureDoesNotMatch" };
}

const SES_MESSAGES = {
  InvalidAccessKeyId: "The security token included in the request is invalid.",
  MissingAuthenticationToken: "Missing Authentication Token",
  SignatureDoesNotMatch: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
};

function s3Error(res: http.ServerResponse, code: string, message: string, status = 403): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`);
}

export type TAwsStandIn = THttpStandIn & {
  sesBase: string;
  s3Endpoint: string;
  baseUrls: string;
  verified: number;
  /** The SES account's switches GetAccount reports; a test may turn one off (and back on). */
  sesAccount: { SendingEnabled: boolean; ProductionAccessEnabled: boolean };
};

export async function startAwsStandIns(): Promise<TAwsStandIn> {
  const state = { verified: 0 };
  const sesAccount = { SendingEnabled: true, ProductionAccessEnabled: true };
  const server = await startHttpServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/ses/v1/account" && req.method === "GET") {
      // The signed path is the one on the wire (with the /ses mount), as AWS would see behind a proxy.
      const verdict = verifySigV4(req, { service: "ses", region: AWS_RIGHT.region });
      if (!verdict.ok) return sendJson(res, 403, { message: SES_MESSAGES[verdict.code] });
      state.verified += 1;
      return sendJson(res, 200, {
        DedicatedIpAutoWarmupEnabled: false,
        EnforcementStatus: "HEALTHY",
        ProductionAccessEnabled: sesAccount.ProductionAccessEnabled,
        SendingEnabled: sesAccount.SendingEnabled,
        SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 12 },
      });
    }
    if (url.startsWith("/s3/")) {
      const verdict = verifySigV4(req, { service: "s3", region: AWS_RIGHT.region });
      if (!verdict.ok) {
        const message = verdict.code === "InvalidAccessKeyId" ? "The AWS Access Key Id you provided does not exist in our records." : "The request signature we calculated does not match the signature you provided.";
        return s3Error(res, verdict.code, message);
      }
      state.verified += 1;
      const oneBucket = verdict.keyId === AWS_ONE_BUCKET.access_key_id;
      if (url === "/s3/" && req.method === "GET" && oneBucket) return s3Error(res, "AccessDenied", "Access Denied");
      const head = /^\/s3\/([^/?]+)$/.exec(url);
      if (head && req.method === "HEAD") {
        // HeadBucket answers with a status only: 200, 403 (not allowed) or 404 (no such bucket).
        const name = decodeURIComponent(head[1]!);
        const status = oneBucket ? (name === AWS_ONE_BUCKET.bucket ? 200 : 403) : S3_BUCKETS.includes(name) ? 200 : 404;
        res.writeHead(status);
        return res.end();
      }
      if (url === "/s3/" && req.method === "GET") {
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult><Owner><ID>o1</ID><DisplayName>acme-storage</DisplayName></Owner><Buckets>${S3_BUCKETS.map((b) => `<Bucket><Name>${b}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>`).join("")}</Buckets></ListAllMyBucketsResult>`,
        );
      }
      return s3Error(res, "NoSuchKey", "Not served by the stand-in.", 404);
    }
    sendJson(res, 404, { message: "not a stand-in path" });
  });
  const standIn: TAwsStandIn = {
    ...server,
    sesBase: `${server.origin}/ses`,
    s3Endpoint: `${server.origin}/s3`,
    baseUrls: `aws_ses=${server.origin}/ses`,
    sesAccount,
    get verified() {
      return state.verified;
    },
  };
  return standIn;
}
