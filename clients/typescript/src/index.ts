// @switchboard/client: a typed client for Switchboard's consumer API.
export { SwitchboardClient } from "./client.js";
export { SwitchboardError, type SwitchboardErrorCode } from "./errors.js";
export type { Connection, Credentials, ProxyInit, SwitchboardClientOptions } from "./types.js";
