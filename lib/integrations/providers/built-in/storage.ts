import "server-only";

import type { Provider } from "../types";
import { accessKeyFields } from "./fields";

export const storageProviders: Provider[] = [
  {
    key: "s3",
    name: "S3-compatible storage",
    description: "Amazon S3 or any S3-compatible object store (Cloudflare R2, MinIO, Backblaze B2, Wasabi…).",
    icon: "bucket",
    authType: "key_secret",
    setupFields: [
      {
        key: "endpoint",
        label: "Endpoint",
        type: "text",
        required: false,
        secret: false,
        format: "url",
        placeholder: "https://<account>.r2.cloudflarestorage.com",
        help: "Leave empty for Amazon S3.",
        destinationFor: ["secret_access_key"],
      },
      {
        key: "region",
        label: "Region",
        type: "text",
        required: true,
        secret: false,
        placeholder: "us-east-1",
        help: "Use \"auto\" for Cloudflare R2.",
      },
      { key: "bucket", label: "Bucket", type: "text", required: true, secret: false, placeholder: "my-bucket" },
      ...accessKeyFields(),
      {
        key: "addressing_style",
        label: "Addressing style",
        type: "select",
        required: false,
        secret: false,
        default: "virtual",
        options: [
          { value: "virtual", label: "Virtual-hosted (bucket.endpoint)" },
          { value: "path", label: "Path (endpoint/bucket), e.g. MinIO" },
        ],
      },
    ],
    capabilities: ["storage", "files"],
    // ListBuckets, SigV4-signed, on the endpoint (or Amazon S3): the key works and the bucket is listed.
    validate: { kind: "s3" },
    apiBaseUrl: "https://s3.{region}.amazonaws.com",
    docsUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-iam.html",
    instructions: [
      "Create the bucket in your provider's console (AWS S3, R2, MinIO…).",
      "Create an access key limited to that bucket (AWS: an IAM user/policy; R2: Manage R2 API Tokens).",
      "Enter the endpoint (empty for AWS), region, bucket and both key values.",
    ],
    enabled: true,
  },
  {
    key: "sftp",
    name: "SFTP",
    description: "Transfer files over SSH with a password or a private key.",
    icon: "fileserver",
    authType: "credentials",
    setupFields: [
      {
        key: "host",
        label: "Host",
        type: "text",
        required: true,
        secret: false,
        format: "hostname",
        placeholder: "files.example.com",
        // The password travels there; the private key signs in there (a
        // signature travels, not the key), so it too is typed again.
        destinationFor: ["password", "private_key", "passphrase"],
      },
      {
        key: "port",
        label: "Port",
        type: "number",
        required: false,
        secret: false,
        placeholder: "22",
        default: "22",
      },
      { key: "username", label: "Username", type: "text", required: true, secret: false },
      {
        key: "auth_method",
        label: "Authentication",
        type: "select",
        required: true,
        secret: false,
        options: [
          { value: "password", label: "Password" },
          { value: "private_key", label: "Private key" },
        ],
      },
      {
        key: "password",
        label: "Password",
        type: "password",
        required: false,
        secret: true,
        help: "Required when authenticating with a password.",
      },
      {
        key: "private_key",
        label: "Private key",
        type: "textarea",
        required: false,
        secret: true,
        format: "pem",
        placeholder: "-----BEGIN OPENSSH PRIVATE KEY-----",
        help: "PEM text, including the BEGIN and END lines. Required when authenticating with a key.",
      },
      {
        key: "passphrase",
        label: "Key passphrase",
        type: "password",
        required: false,
        secret: true,
        help: "Only if the private key is encrypted.",
      },
    ],
    capabilities: ["files", "storage"],
    validate: { kind: "sftp" },
    docsUrl: "https://man.openbsd.org/ssh-keygen",
    instructions: [
      "Get the host, port and username from your server or hosting provider.",
      "For key authentication create a key pair (ssh-keygen -t ed25519) and add the public key to ~/.ssh/authorized_keys on the server.",
      "Paste the private key (PEM) here, or choose Password.",
    ],
    enabled: true,
  },
];
