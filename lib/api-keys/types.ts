import type { TApiKeyScope } from "./schemas";

/** Who is calling the API: resolved from the key, never from the request. */
export type TApiPrincipal = {
  keyId: string;
  orgId: string;
  name: string;
  prefix: string;
  scope: TApiKeyScope;
  /** Consumer keys: the connection uuids they may reach. */
  allowedConnections: string[];
  /** The operator who created the key (null when that account is gone). */
  createdById: string | null;
  /** When the key stops working (ISO time; null: never). Cached principals are checked against it on every call. */
  expiresAt: string | null;
};

/** A key as the admin UI lists it: never the key or its hash. */
export type TApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  scope: TApiKeyScope;
  createdAt: string;
  createdByEmail: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Judged when the list was read. */
  state: "active" | "revoked" | "expired";
  allowedConnections: { uuid: string; label: string | null }[];
};
