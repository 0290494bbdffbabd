import "server-only";
import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/audit/types";
import { optionalParam, zPageParam } from "@/lib/validation/search-params";

// The audit page's address: each filter is checked before it reaches a query
// (a NUL byte in `target` used to make PostgreSQL refuse it: a 500).
export const AUDIT_SEARCH_PARAMS = {
  action: optionalParam(z.enum(AUDIT_ACTIONS, { error: "is not a known action" })),
  target: optionalParam(z.uuid({ error: "must be a connection id (a UUID)" }).transform((v) => v.toLowerCase())),
  page: zPageParam,
};
