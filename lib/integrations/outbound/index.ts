import "server-only";

// The outbound module: every call Switchboard makes to a host an operator
// typed or a provider names goes through here.
export { outboundFetch, OUTBOUND_DEFAULTS, type TOutboundInit } from "./fetch";
export { OutboundError, TARGET_REFUSED_MESSAGE, type TOutboundErrorCode } from "./errors";
export { resolveOutboundTarget, canonicalHost, setOutboundResolver, type TCheckedTarget, type TResolver } from "./resolve-target";
export { describeNetworkError } from "./network-errors";
export { outboundCas } from "./tls-trust";
